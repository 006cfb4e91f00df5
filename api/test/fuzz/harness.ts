// The GraphQL fuzz run: two organizations (A, whose people and tokens send every request, and
// B, the victim nobody acts for, whose texts carry a secret marker), requests from generator.ts
// sent one at a time over real HTTP (subscriptions over the api's graphql-ws socket), and the
// oracles below checked on every answer.
//
// Oracles, per request:
// - `5xx`: an HTTP status of 500 or more.
// - `internal-error`: an INTERNAL_SERVER_ERROR (an unexpected error a resolver threw).
// - `internals`: a stack frame, a file path or Prisma's words in the body.
// - `refused-wrote`: a refused request (HTTP 4xx, errors without data, or an Error result)
//   changed a row. Every table carries a row trigger (installed by the run) that logs each
//   insert, delete and real update, so a change is pinned to the request that made it. Writes a
//   refused request may make are not counted: `Session` (last seen, sign-in and sign-out),
//   `RateLimitBucket` (failed sign-ins, cost buckets), `IdempotencyKey`, `RequestLog`, and the
//   `lastSeenAt` / `lastUsedAt` columns; nor are webhook deliveries, which the api's event
//   listener writes after the request whose event they carry.
// - `query-wrote`: a query changed a row (same exclusions).
// - `cross-tenant-read`: an answer holds B's marker, or the id of an object of B the request
//   did not itself send.
// - `cross-tenant-write`: a request changed a row of B (its organizationId, or for tables without
//   one, any column holding the id of one of B's rows).
// And per batch of requests: an md5 checksum of every table (without the exclusions above) before
// and after; a table whose checksum moved must have logged changes (so the trigger log misses
// nothing), and the checksum of B's rows must never move.
import { randomBytes } from 'node:crypto';
import type { Role } from '@pressroom/db';
import { createClient, type Client } from 'graphql-ws';
import { getNamedType, isEnumType, isInterfaceType, isNonNullType, type GraphQLSchema } from 'graphql';
import WebSocket from 'ws';
import { emitEvent, type DomainEventInput } from '@pressroom/db/events';
import { emulatedImage } from '@pressroom/workflows/emulators';
import { apiTokenPrefix } from '../../src/auth/sessions.js';
import { randomSecret, sha256 } from '../../src/auth/secrets.js';
import { decodeGlobalId } from '../../src/schema/ids.js';
import { gid, roles, seedOrganization, seedUser, TestClient, type SeededOrganization, type TestApi } from '../kit.js';
import { operations } from '../operations.js';

const catalogue = new Map(operations.map((operation) => [operation.name, operation]));
import {
  documentWithVariables,
  entryPoints,
  fileMarker,
  generateRequest,
  loadSchema,
  Random,
  requestSeed,
  rootArguments,
  type EntryPoint,
  type FuzzRequest,
  type IdPools,
} from './generator.js';

export interface FuzzOptions {
  seed: number;
  requests: number;
  /** Requests between two table checksums (and between repairs of the callers). */
  batch?: number;
  /** Only these request indexes (to replay one request of a run). */
  only?: number[];
  log?: (line: string) => void;
}

export interface Failure {
  oracle: string;
  seed: number;
  index: number;
  caller: string;
  entry: string;
  detail: string;
  /** The answer's status and the start of its body. */
  answer: string;
  /** The request as first sent, then shrunk to the fewest hostile values that still fail. */
  request: { document: string; variables: Record<string, unknown> };
  minimal?: { document: string; variables: Record<string, unknown> };
}

export interface FuzzReport {
  seed: number;
  requests: number;
  seconds: number;
  byStatus: Record<string, number>;
  byCaller: Record<string, number>;
  byKind: Record<string, number>;
  byClass: Record<string, number>;
  refused: number;
  entries: number;
  entriesAnswered: number;
  checksumBatches: number;
  /** Per entry point: requests sent, how many succeeded, and the refusals by code. */
  byEntry: Record<string, EntryStats>;
  /** Per subscription kept open after the run: events of its organization it heard, and of the other. */
  live: Record<string, { own: number; other: number; replayed: number; refused?: boolean }>;
  failures: Failure[];
}

export interface EntryStats {
  requests: number;
  succeeded: number;
  refused: Record<string, number>;
}

/**
 * Operations that cannot succeed against the fuzz api, and why: the full run reports them so
 * rather than as a gap of the generator.
 */
export const cannotSucceedHere: Record<string, string> = {
  approvePost: 'waits on the review workflow, and no Temporal worker polls the fuzz api (UNAVAILABLE)',
  rejectPost: 'waits on the review workflow, and no Temporal worker polls the fuzz api (UNAVAILABLE)',
  checkPublication: 'waits on the publish workflow, and no Temporal worker polls the fuzz api (UNAVAILABLE)',
  suggestCaptionsForMedia: 'waits on the AI workflow, and no Temporal worker polls the fuzz api (UNAVAILABLE)',
  // Not impossible: an invite to the outsider's email (one of the emails seen), then the outsider
  // sending the token it mailed. A chain of draws that 10,000 requests did not make (seed 1717).
  acceptInvite:
    "needs the invited person's own session: an invite to the outsider caller's email, then the outsider sending its mailed token (rarely drawn)",
};

/** Tables a refused request may legitimately write (see the header). */
export const excludedTables = ['Session', 'RateLimitBucket', 'IdempotencyKey', 'RequestLog'];
/**
 * Written after the request that caused them, by the api's event listener (webhook deliveries
 * for a domain event an earlier request committed): they land in whichever request's window is
 * open, so they are not pinned on it. Their rows are still checked for the other organization.
 */
export const asynchronousTables = ['WebhookDelivery', 'WebhookDeliveryAttempt'];
const ignoredColumns = ['lastSeenAt', 'lastUsedAt'];

const internals: Array<[RegExp, string]> = [
  [/\n\s+at /, 'stack frame'],
  [/\bat [\w$.<>]+ \([^)]*:\d+:\d+\)/, 'stack frame'],
  [/\/work\/|\/home\/|\/tmp\/|\/usr\/|[A-Z]:\\\\/, 'file path'],
  [/node_modules/, 'node_modules'],
  [/\.[cm]?[jt]s:\d+/, 'source location'],
  [/prisma/i, 'prisma'],
  [/invalid invocation/i, 'prisma invocation'],
  [/PrismaClient|DriverAdapterError|ECONNREFUSED|violates .* constraint|syntax error at or near/i, 'database'],
];

type Caller = { name: string; group: 'member' | 'token' | 'anonymous' | 'outsider'; client: () => TestClient };

interface Response {
  status: number;
  text: string;
  /** A subscription the server took and kept open (nothing wrong arrived while the harness waited). */
  accepted?: boolean;
  body: { data?: Record<string, unknown> | null; errors?: Array<{ message?: string; extensions?: { code?: string } }> };
}

interface Change {
  id: string;
  tbl: string;
  op: string;
  row: Record<string, unknown>;
}

export class FuzzRun {
  readonly schema: GraphQLSchema = loadSchema();
  readonly entries: EntryPoint[] = entryPoints(this.schema);
  private a!: SeededOrganization;
  private b!: SeededOrganization;
  private marker = `bsecret${randomBytes(6).toString('hex')}`;
  /** B's raw ids and global ids (all of B's rows): none may show up in A's answers. */
  private foreignIds = new Set<string>();
  private foreignGlobalIds = new Set<string>();
  /** Ids of B a request sent (an answer may echo them: that is not a leak). */
  private sentForeign = new Set<string>();
  private pools!: IdPools;
  private callers: Caller[] = [];
  private sockets = new Map<string, Client>();
  private lastChange = '0';
  private tablesWithOrganization = new Set<string>();
  private tables: string[] = [];
  /** What the api answered A's callers, by field name (and the tokens it mailed): see IdPools.seen. */
  private seen = new Map<string, unknown[]>();
  private mailRead = 0;
  /** A person signed in who belongs to no organization (until a request of the run invites them). */
  private outsider!: { id: string; email: string };
  /** The PNG a `File` argument carries. */
  private file: Buffer = Buffer.alloc(0);

  constructor(private readonly api: TestApi) {}

  /** Seeds A and B (an object of every kind the operation catalogue can make, in each) and the change log. */
  async setUp(): Promise<void> {
    const { api } = this;
    this.a = await seedOrganization(api);
    this.b = await seedOrganization(api);
    for (const org of [this.a, this.b]) {
      for (const operation of operations) await operation.prepare(api, org, 'OWNER');
      // An in-app notification for each member, for the mutations that take one's own.
      for (const role of roles) {
        await api.db.notification.create({
          data: {
            organizationId: org.organization.id,
            userId: org.members[role].userId,
            channel: 'IN_APP',
            kind: 'fuzz',
            subject: 'Fuzz',
            body: 'A notification',
            idempotencyKey: `fuzz-${randomBytes(8).toString('hex')}`,
          },
        });
      }
    }
    await this.markVictim();
    this.file = await emulatedImage('fuzz upload', 64, 64);
    // Their email is one an invite may go to (see repair): acceptInvite can then succeed, as them.
    this.outsider = await seedUser(api.db, 'Outsider');
    await this.installChangeLog();
    await this.collectForeignIds();
  }

  /** B's texts carry the marker, so any of them in an answer to A shows. */
  private async markVictim() {
    const { db } = this.api;
    const where = { organizationId: this.b.organization.id };
    const m = this.marker;
    await db.organization.update({ where: { id: this.b.organization.id }, data: { name: `Org ${m}` } });
    await db.brand.updateMany({ where, data: { name: `Brand ${m}`, voice: `Voice ${m}` } });
    await db.post.updateMany({ where, data: { caption: `Caption ${m}` } });
    await db.brandKnowledgeDocument.updateMany({ where, data: { title: `Doc ${m}`, content: `Knowledge ${m}` } });
    await db.batch.updateMany({ where, data: { brief: `Brief ${m}` } });
    await db.apiToken.updateMany({ where, data: { name: `Token ${m}` } });
    await db.mediaAsset.updateMany({ where, data: { filename: `${m}.jpg` } });
    for (const role of roles) {
      await db.user.update({ where: { id: this.b.members[role].userId }, data: { name: `${role} ${m}` } });
    }
  }

  private async sql<T = Record<string, unknown>>(query: string, ...params: unknown[]): Promise<T[]> {
    return this.api.db.$queryRawUnsafe<T[]>(query, ...params);
  }

  private async installChangeLog() {
    const tables = await this.sql<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('_prisma_migrations', 'fuzz_change')`,
    );
    this.tables = tables.map((t) => t.table_name).sort();
    const withOrganization = await this.sql<{ table_name: string }>(
      `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'organizationId'`,
    );
    this.tablesWithOrganization = new Set(withOrganization.map((t) => t.table_name));
    await this.sql(
      `CREATE TABLE IF NOT EXISTS fuzz_change (id bigserial PRIMARY KEY, tbl text NOT NULL, op text NOT NULL, row jsonb NOT NULL)`,
    );
    await this.sql(`
      CREATE OR REPLACE FUNCTION fuzz_record() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND (to_jsonb(OLD) - '{${ignoredColumns.join(',')}}'::text[]) = (to_jsonb(NEW) - '{${ignoredColumns.join(',')}}'::text[]) THEN
          RETURN NULL;
        END IF;
        INSERT INTO fuzz_change (tbl, op, row)
          VALUES (TG_TABLE_NAME, TG_OP, CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD) ELSE to_jsonb(NEW) END);
        RETURN NULL;
      END $$`);
    for (const table of this.tables) {
      await this.sql(`DROP TRIGGER IF EXISTS fuzz_change ON "${table}"`);
      await this.sql(
        `CREATE TRIGGER fuzz_change AFTER INSERT OR UPDATE OR DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION fuzz_record()`,
      );
    }
  }

  private async collectForeignIds() {
    const b = this.b.organization.id;
    this.foreignIds.add(b);
    for (const table of this.tablesWithOrganization) {
      const rows = await this.sql<{ id: unknown }>(
        `SELECT id::text AS id FROM "${table}" WHERE "organizationId" = $1`,
        b,
      ).catch(() => []);
      for (const row of rows) this.foreignIds.add(String(row.id));
    }
    for (const role of roles) this.foreignIds.add(this.b.members[role].userId);
    const foreignPools = await this.poolsOf(this.b);
    for (const ids of foreignPools.values()) for (const id of ids) this.foreignGlobalIds.add(id);
    // Short ids (a number) would match anywhere: only long ones are checked.
    for (const id of [...this.foreignIds]) if (id.length < 12) this.foreignIds.delete(id);
  }

  /** Global ids of every Node type's rows in `org` (by the Prisma model of the same name). */
  private async poolsOf(org: SeededOrganization): Promise<Map<string, string[]>> {
    const node = this.schema.getType('Node');
    const types = node && isInterfaceType(node) ? this.schema.getPossibleTypes(node).map((type) => type.name) : [];
    const pools = new Map<string, string[]>();
    const db = this.api.db as unknown as Record<
      string,
      { findMany?: (args: unknown) => Promise<Array<{ id: unknown }>> }
    >;
    for (const type of types) {
      let ids: string[] = [];
      if (type === 'Organization') ids = [org.organization.id];
      else if (type === 'User') ids = roles.map((role) => org.members[role].userId);
      else {
        const delegate = db[type.charAt(0).toLowerCase() + type.slice(1)];
        // The newest rows (what the run made) and the oldest (the fixtures, in every state the
        // catalogue prepares: a finished webhook delivery, a published article...).
        const rows: Array<{ id: unknown }> = [];
        for (const order of ['desc', 'asc'] as const) {
          const some = await delegate
            ?.findMany?.({
              where: { organizationId: org.organization.id },
              select: { id: true },
              take: 6,
              orderBy: { id: order },
            })
            .catch(() => []);
          rows.push(...(some ?? []));
        }
        ids = [...new Set(rows.map((row) => String(row.id)))];
      }
      if (ids.length)
        pools.set(
          type,
          ids.map((id) => gid(type, id)),
        );
    }
    return pools;
  }

  /**
   * Before each batch: A's members back in their roles with fresh sessions (a request may have
   * removed, demoted or signed one out), fresh tokens, and the id pools read again.
   */
  private async repair() {
    const { api, a } = this;
    const { db } = api;
    // The seeded brand (the catalogue makes its fresh targets there) is back if a request deleted it.
    await db.brand.upsert({
      where: { id: a.brand.id },
      create: { id: a.brand.id, organizationId: a.organization.id, name: 'Brand', slug: `restored-${a.brand.id}` },
      update: {},
    });
    for (const role of roles) {
      const member = a.members[role];
      await db.membership.upsert({
        where: { organizationId_userId: { organizationId: a.organization.id, userId: member.userId } },
        create: { organizationId: a.organization.id, userId: member.userId, role },
        update: { role },
      });
    }
    const scopeType = this.schema.getType('ApiTokenScope');
    // Each value of the schema's ApiTokenScope is described by the scope a token carries (`posts:read`).
    const scopes = isEnumType(scopeType)
      ? scopeType.getValues().map((value) => value.description?.trim() ?? value.name.toLowerCase())
      : [];
    const tokenSets: Array<[string, string[]]> = [
      ['token[all]', scopes],
      ['token[none]', []],
      ...scopes.map((scope): [string, string[]] => [`token[${scope}]`, [scope]]),
      ...scopes.map((scope): [string, string[]] => [`token[all-${scope}]`, scopes.filter((s) => s !== scope)]),
    ];
    const callers: Caller[] = [{ name: 'anonymous', group: 'anonymous', client: () => api.anonymous() }];
    // Back outside A if an invite of the last batch let them in.
    await db.membership.deleteMany({ where: { organizationId: a.organization.id, userId: this.outsider.id } });
    const outsider = await api.signedInAs(this.outsider.id);
    // Kept among the newest emails seen (the oldest drop out).
    const emails = (this.seen.get('email') ?? []).filter((email) => email !== this.outsider.email);
    this.seen.set('email', [...emails, this.outsider.email]);
    callers.push({ name: 'outsider', group: 'outsider', client: () => outsider });
    for (const role of roles) {
      const client = await api.signedInAs(a.members[role].userId);
      callers.push({ name: role, group: 'member', client: () => client });
    }
    for (const [name, tokenScopes] of tokenSets) {
      const token = `${apiTokenPrefix}${randomSecret()}`;
      await db.apiToken.create({
        data: {
          organizationId: a.organization.id,
          name: `fuzz ${name}`,
          prefix: token.slice(0, 12),
          tokenHash: sha256(token),
          scopes: tokenScopes,
        },
      });
      const client = api.withToken(token);
      callers.push({ name, group: 'token', client: () => client });
    }
    this.callers = callers;
    for (const socket of this.sockets.values()) await socket.dispose();
    this.sockets.clear();
    this.pools = {
      own: await this.poolsOf(a),
      foreign: await this.poolsOf(this.b),
      ownOrganization: a.organization.gid,
      seen: this.seen,
    };
    this.lastChange = await this.changeCursor();
  }

  private async changeCursor(): Promise<string> {
    const [row] = await this.sql<{ id: string | null }>(`SELECT max(id)::text AS id FROM fuzz_change`);
    return row?.id ?? '0';
  }

  private async changesSince(cursor: string): Promise<Change[]> {
    return this.sql<Change>(
      `SELECT c.id::text AS id, c.tbl, c.op, c.row FROM fuzz_change c WHERE c.id > $1::bigint ORDER BY c.id`,
      cursor,
    );
  }

  /** md5 of each table's rows (without the excluded tables and columns). */
  private async checksums(onlyOrganization?: string): Promise<Map<string, string>> {
    const sums = new Map<string, string>();
    const ignored = `'{${ignoredColumns.join(',')}}'::text[]`;
    for (const table of this.tables) {
      if (excludedTables.includes(table)) continue;
      let where = '';
      if (onlyOrganization) {
        if (table === 'Organization') where = `WHERE t.id = '${onlyOrganization}'`;
        else if (this.tablesWithOrganization.has(table)) where = `WHERE t."organizationId" = '${onlyOrganization}'`;
        else continue;
      }
      const [row] = await this.sql<{ sum: string | null }>(
        `SELECT md5(coalesce(string_agg((to_jsonb(t) - ${ignored})::text, '|' ORDER BY (to_jsonb(t) - ${ignored})::text), '')) AS sum FROM "${table}" t ${where}`,
      );
      sums.set(table, row?.sum ?? '');
    }
    return sums;
  }

  async run(options: FuzzOptions): Promise<FuzzReport> {
    const log = options.log ?? (() => {});
    const batch = options.batch ?? 100;
    const started = performance.now();
    const report: FuzzReport = {
      seed: options.seed,
      requests: 0,
      seconds: 0,
      byStatus: {},
      byCaller: {},
      byKind: {},
      byClass: {},
      refused: 0,
      entries: this.entries.length,
      entriesAnswered: 0,
      checksumBatches: 0,
      byEntry: Object.fromEntries(
        this.entries.map((entry): [string, EntryStats] => [entry.name, { requests: 0, succeeded: 0, refused: {} }]),
      ),
      live: {},
      failures: [],
    };
    const answered = new Set<string>();
    /** The first request of each subscription that the server took: kept open after the run. */
    const liveCandidates = new Map<
      string,
      { entry: EntryPoint; caller: string; request: FuzzRequest; index: number }
    >();
    const victimBefore = await this.checksums(this.b.organization.id);
    const indexes = options.only ?? Array.from({ length: options.requests }, (_, i) => i);
    for (let start = 0; start < indexes.length; start += batch) {
      await this.repair();
      const before = await this.checksums();
      const batchCursor = this.lastChange;
      for (const index of indexes.slice(start, start + batch)) {
        const random = new Random(requestSeed(options.seed, index));
        // Every entry point about equally often, whatever the caller.
        const entry = this.entries[index % this.entries.length]!;
        const caller = this.pickCaller(random);
        // A third of the mutations the catalogue knows start from a fresh target of its own
        // (made before the request, outside what the request is checked for), so valid calls
        // reach their success paths and hostile ones hit real objects.
        const catalogued = entry.kind === 'mutation' ? catalogue.get(entry.name) : undefined;
        let known: Record<string, unknown> | undefined;
        if (catalogued && random.chance(1 / 3)) {
          const role = caller.group === 'member' ? (caller.name as Role) : 'OWNER';
          const prepared = await catalogued.prepare(this.api, this.a, role).catch(() => undefined);
          if (prepared) known = rootArguments(catalogued.document, prepared.variables);
          // What the catalogue wrote is not the request's.
          this.lastChange = await this.changeCursor();
        }
        const request = generateRequest(this.schema, entry, random, this.pools, known ? { known } : {});
        const outcome = await this.send(caller, request);
        report.requests++;
        count(report.byStatus, String(outcome.response.status));
        count(report.byCaller, caller.group === 'token' ? 'token' : caller.name);
        count(report.byKind, entry.kind);
        for (const kind of Object.values(request.classes)) count(report.byClass, kind);
        const stats = report.byEntry[entry.name]!;
        stats.requests++;
        if (outcome.refused) {
          report.refused++;
          count(stats.refused, refusalCode(outcome.response));
        } else {
          stats.succeeded++;
          answered.add(entry.name);
          if (entry.kind === 'subscription' && outcome.problems.length === 0 && !liveCandidates.has(entry.name)) {
            liveCandidates.set(entry.name, { entry, caller: caller.name, request, index });
          }
        }
        for (const [oracle, detail] of outcome.problems) {
          const failure: Failure = {
            oracle,
            seed: options.seed,
            index,
            caller: caller.name,
            entry: entry.name,
            detail,
            answer: `${outcome.response.status} ${outcome.response.text.slice(0, 400)}`,
            request: { document: request.document, variables: request.variables },
          };
          const known = report.failures.some((f) => f.oracle === oracle && f.entry === entry.name);
          if (!known) failure.minimal = await this.shrink(caller, entry, request, oracle);
          report.failures.push(failure);
          log(`FAIL ${oracle} #${index} ${caller.name} ${entry.name}: ${detail}`);
        }
      }
      // The trigger log must account for every table whose checksum moved.
      const after = await this.checksums();
      const logged = new Set((await this.changesSince(batchCursor)).map((change) => change.tbl));
      for (const [table, sum] of after) {
        if (before.get(table) !== sum && !logged.has(table)) {
          report.failures.push(
            batchFailure(
              'unlogged-change',
              options.seed,
              indexes[start]!,
              `table ${table} changed with nothing logged`,
            ),
          );
        }
      }
      const victim = await this.checksums(this.b.organization.id);
      for (const [table, sum] of victim) {
        if (victimBefore.get(table) !== sum) {
          report.failures.push(
            batchFailure(
              'cross-tenant-write',
              options.seed,
              indexes[start]!,
              `B's rows of ${table} changed in this batch`,
            ),
          );
          victimBefore.set(table, sum);
        }
      }
      report.checksumBatches++;
      if (((start / batch) | 0) % 10 === 9) {
        log(
          `${report.requests} requests, ${report.failures.length} failures, ${((performance.now() - started) / 1000).toFixed(0)} s`,
        );
      }
    }
    for (const socket of this.sockets.values()) await socket.dispose();
    this.sockets.clear();
    if (!options.only) await this.liveCheck([...liveCandidates.values()], options.seed, report);
    report.entriesAnswered = answered.size;
    report.seconds = (performance.now() - started) / 1000;
    return report;
  }

  /**
   * Subscriptions that succeeded, kept open while domain events are announced: first events of B
   * (B's own, and copies of A's naming the very ids each subscriber asked about, announced for
   * B), of which nobody may hear anything; then A's own events again (the newest of each kind,
   * those naming a subscriber's ids first), of which each subscriber must hear one, and no
   * answer may hold anything of B. After the run's last checksums (events make webhook deliveries).
   */
  private async liveCheck(
    candidates: Array<{ entry: EntryPoint; caller: string; request: FuzzRequest; index: number }>,
    seed: number,
    report: FuzzReport,
  ): Promise<void> {
    if (candidates.length === 0) return;
    await this.repair();
    const a = this.a.organization.id;
    const b = this.b.organization.id;
    type Row = { kind: string; organizationId: string; payload: Record<string, unknown> };
    const events = await this.sql<Row>(
      `SELECT kind, "organizationId", payload FROM "DomainEvent" WHERE "organizationId" IN ($1, $2)
        GROUP BY kind, "organizationId", payload ORDER BY max(id) DESC`,
      a,
      b,
    );
    const open = [];
    for (const candidate of candidates) {
      const caller = this.callers.find((c) => c.name === candidate.caller);
      if (!caller) continue;
      // The raw ids the subscriber asked about (and who it is), to pick events it listens for.
      const ids = new Set<string>();
      collectStrings(candidate.request.variables, (text) => {
        try {
          ids.add(decodeGlobalId(text).id);
        } catch {
          // not an id
        }
      });
      const member = caller.group === 'member' ? this.a.members[caller.name as Role] : undefined;
      if (member) ids.add(member.userId);
      // By the payload key each one would fill: `brandId` as asked, `id` as the key naming the
      // subscription's type (`batchId` of a Batch, `jobId` of an AdsBulkJob), `userId` the caller.
      const typeName = getNamedType(candidate.entry.field.type).name;
      const asked = (key: string): string | undefined => {
        if (key === 'userId') return member?.userId;
        const value =
          candidate.request.values[`a_${key}`] ??
          (typeName.endsWith(capitalize(key.slice(0, -2))) ? candidate.request.values.a_id : undefined);
        if (typeof value !== 'string') return undefined;
        try {
          return decodeGlobalId(value).id;
        } catch {
          return undefined;
        }
      };
      const messages: unknown[] = [];
      const client = this.socketFor(caller);
      const stop = client.subscribe(
        { query: candidate.request.document, variables: candidate.request.variables },
        {
          next: (message) => void messages.push(message),
          error: (error) => void messages.push({ error: String(error) }),
          complete: () => {},
        },
      );
      open.push({ candidate, caller, ids, asked, messages, client, stop });
    }
    await sleep(500);
    // A refusal can come later than the run's first look (the access check answers after it): a
    // subscription refused now is not kept, and nothing it was sent counts as heard.
    for (const subscriber of [...open]) {
      if (subscriber.messages.length) {
        subscriber.stop();
        open.splice(open.indexOf(subscriber), 1);
        report.live[subscriber.candidate.entry.name] = { own: 0, other: 0, replayed: 0, refused: true };
      }
    }
    const replay = async (organizationId: string, rows: Row[]) => {
      const seen = new Set<string>();
      for (const row of rows) {
        const key = `${row.kind} ${JSON.stringify(row.payload)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        await this.api.db.$transaction((tx) =>
          emitEvent(tx, { kind: row.kind, organizationId, payload: row.payload } as DomainEventInput),
        );
      }
    };
    const mentions = (row: Row, ids: Set<string>) =>
      Object.values(row.payload).some((v) => typeof v === 'string' && ids.has(v));
    const ownEvents = events.filter((row) => row.organizationId === a);
    const kinds = [...new Set(ownEvents.map((row) => row.kind))];
    // For each subscriber and kind, A's events naming its ids (or the newest of the kind).
    // And the newest of each kind made to name what the subscriber asked about.
    const forA: Row[] = [];
    for (const { ids, asked } of open) {
      for (const kind of kinds) {
        const ofKind = ownEvents.filter((row) => row.kind === kind);
        const named = ofKind.filter((row) => mentions(row, ids));
        forA.push(...named.slice(0, 2));
        const newest = ofKind[0];
        if (!newest) continue;
        const payload = Object.fromEntries(
          Object.entries(newest.payload).map(([key, value]) => [key, (key.endsWith('Id') && asked(key)) || value]),
        );
        forA.push({ ...newest, payload });
      }
    }
    await replay(b, [...events.filter((row) => row.organizationId === b), ...forA]);
    await sleep(800);
    for (const subscriber of open) {
      const name = subscriber.candidate.entry.name;
      report.live[name] = { own: 0, other: subscriber.messages.length, replayed: forA.length };
      if (subscriber.messages.length) {
        report.failures.push(
          liveFailure(
            'live-cross-tenant',
            seed,
            subscriber,
            `heard an event of B: ${JSON.stringify(subscriber.messages[0]).slice(0, 300)}`,
          ),
        );
      }
      subscriber.messages.length = 0;
    }
    await replay(a, forA);
    const deadline = Date.now() + 3_000;
    while (Date.now() < deadline && open.some((subscriber) => subscriber.messages.length === 0)) await sleep(50);
    for (const subscriber of open) {
      const name = subscriber.candidate.entry.name;
      report.live[name]!.own = subscriber.messages.length;
      const text = JSON.stringify(subscriber.messages);
      if (
        text.includes(this.marker) ||
        [...this.foreignGlobalIds, ...this.foreignIds].some((id) => text.includes(id))
      ) {
        report.failures.push(
          liveFailure(
            'cross-tenant-read',
            seed,
            subscriber,
            `a live answer holds something of B: ${text.slice(0, 300)}`,
          ),
        );
      }
      subscriber.stop();
    }
    // Which kinds of event a subscription listens for is the api's business: not every one has an
    // event of A to hear (a kind no request of the run caused). But live updates must work at all.
    const heard = open.filter((subscriber) => (report.live[subscriber.candidate.entry.name]?.own ?? 0) > 0);
    if (forA.length && heard.length === 0 && open[0]) {
      report.failures.push(
        liveFailure('live-deaf', seed, open[0], `no subscription heard any of ${forA.length} events of A`),
      );
    }
    for (const socket of this.sockets.values()) await socket.dispose();
    this.sockets.clear();
  }

  /** The organization whose people and tokens send the requests, and the one nobody acts for. */
  get organizations(): { attacker: SeededOrganization; victim: SeededOrganization } {
    return { attacker: this.a, victim: this.b };
  }

  /**
   * One request through every oracle, as `client`, with `during` run inside its window (before
   * it is sent): the oracles which fire. For the suite's check that its oracles can fail.
   */
  async probe(
    client: TestClient,
    document: string,
    variables: Record<string, unknown>,
    during?: () => Promise<unknown>,
  ): Promise<string[]> {
    this.pools ??= {
      own: await this.poolsOf(this.a),
      foreign: await this.poolsOf(this.b),
      ownOrganization: this.a.organization.gid,
    };
    this.lastChange = await this.changeCursor();
    await during?.();
    const caller: Caller = { name: 'probe', group: 'member', client: () => client };
    // What a probe sends is not something a fuzzed request may echo later.
    const sent = new Set(this.sentForeign);
    const outcome = await this.send(caller, {
      kind: document.trim().startsWith('mutation') ? 'mutation' : 'query',
      document,
      variables,
    });
    this.sentForeign = sent;
    return [...new Set(outcome.problems.map(([oracle]) => oracle))];
  }

  private pickCaller(random: Random): Caller {
    const group = random.pick([
      'member',
      'member',
      'member',
      'token',
      'token',
      'token',
      'anonymous',
      'outsider',
    ] as const);
    return random.pick(this.callers.filter((caller) => caller.group === group));
  }

  /** Sends `request` as `caller` and checks every oracle. */
  private async send(
    caller: Caller,
    request: { kind: FuzzRequest['kind']; document: string; variables: Record<string, unknown> },
  ): Promise<{ response: Response; refused: boolean; problems: Array<[string, string]> }> {
    const cursor = this.lastChange;
    const response =
      request.kind === 'subscription'
        ? await this.subscribeOnce(caller, request.document, request.variables)
        : await this.post(caller, request.document, request.variables);
    const changes = await this.changesSince(cursor);
    if (changes.length) this.lastChange = changes[changes.length - 1]!.id;
    const refused = isRefused(response);
    if (process.env.PRESSROOM_FUZZ_TRACE) {
      const tables = [...new Set(changes.map((change) => `${change.op} ${change.tbl}`))].join(', ');
      const why = refused ? `${refusalCode(response)}: ${refusalMessage(response).slice(0, 160)}` : 'ok';
      console.log(
        `trace ${caller.name} ${request.document.slice(0, 80)} ${JSON.stringify(printable(request.variables)).slice(0, 300)} → ${response.status} ${why} [${tables}]`,
      );
    }
    const problems: Array<[string, string]> = [];
    if (response.status >= 500) problems.push(['5xx', `status ${response.status}: ${response.text.slice(0, 300)}`]);
    const codes = (response.body.errors ?? []).map((error) => error.extensions?.code);
    if (codes.includes('INTERNAL_SERVER_ERROR')) problems.push(['internal-error', response.text.slice(0, 300)]);
    for (const [pattern, what] of internals) {
      const match = pattern.exec(response.text);
      if (match)
        problems.push([
          'internals',
          `${what}: …${response.text.slice(Math.max(0, match.index - 80), match.index + 120)}…`,
        ]);
    }
    for (const error of response.body.errors ?? []) {
      if (/\bP[12]\d{3}\b/.test(error.message ?? '')) problems.push(['internals', `Prisma code: ${error.message}`]);
    }
    const counted = changes.filter(
      (change) => !excludedTables.includes(change.tbl) && !asynchronousTables.includes(change.tbl),
    );
    if (refused && counted.length) problems.push(['refused-wrote', describeChanges(counted)]);
    else if (request.kind === 'query' && counted.length) problems.push(['query-wrote', describeChanges(counted)]);
    collectStrings(request.variables, (text) => {
      if (this.foreignGlobalIds.has(text) || this.foreignIds.has(text)) this.sentForeign.add(text);
    });
    collectStrings(request.document, (text) => {
      for (const id of this.foreignGlobalIds) if (text.includes(id)) this.sentForeign.add(id);
    });
    if (response.text.includes(this.marker)) problems.push(['cross-tenant-read', 'an answer holds a text of B']);
    for (const id of [...this.foreignGlobalIds, ...this.foreignIds]) {
      if (!this.sentForeign.has(id) && response.text.includes(id)) {
        problems.push(['cross-tenant-read', `an answer holds B's id ${id} the request did not send`]);
        break;
      }
    }
    const touched = changes.filter((change) => this.touchesVictim(change));
    if (touched.length) problems.push(['cross-tenant-write', describeChanges(touched)]);
    if (!refused && problems.length === 0) this.harvest(response.body.data);
    for (const mail of this.api.mail.slice(this.mailRead)) remember(this.seen, 'token', mail.token);
    this.mailRead = this.api.mail.length;
    return { response, refused, problems };
  }

  /** Keeps the strings of an answer by the name of the field that held them (lists whole too). */
  private harvest(value: unknown, name = '', depth = 0): void {
    if (depth > 12 || value === null || value === undefined) return;
    if (typeof value === 'string') {
      if (name && value.length <= 300 && !this.foreignIds.has(value)) remember(this.seen, name, value);
    } else if (Array.isArray(value)) {
      if (name && value.length > 0 && value.length <= 50 && value.every((item) => typeof item === 'string')) {
        remember(this.seen, name, value);
      }
      for (const item of value.slice(0, 20)) this.harvest(item, name, depth + 1);
    } else if (typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        // An alias the generator gave (`Type_field`) counts as the field.
        this.harvest(item, key.replace(/^[A-Z]\w*_/, ''), depth + 1);
      }
    }
  }

  private touchesVictim(change: Change): boolean {
    const b = this.b.organization.id;
    if (change.row.organizationId === b || (change.tbl === 'Organization' && change.row.id === b)) return true;
    if (this.tablesWithOrganization.has(change.tbl) && change.tbl !== 'Organization') return false;
    return Object.entries(change.row).some(
      ([key, value]) => key !== 'id' && typeof value === 'string' && this.foreignIds.has(value),
    );
  }

  private async post(caller: Caller, document: string, variables: Record<string, unknown>): Promise<Response> {
    const client = caller.client();
    const files = Object.keys(variables).filter((name) => variables[name] === fileMarker);
    let init: { body: BodyInit; headers: Record<string, string> } = {
      body: JSON.stringify({ query: document, variables }),
      headers: { 'content-type': 'application/json' },
    };
    if (files.length) {
      // A `File` argument goes as a GraphQL multipart request, as the dashboard uploads.
      const form = new FormData();
      const operations = { query: document, variables: { ...variables } };
      for (const name of files) operations.variables[name] = null;
      form.set('operations', JSON.stringify(operations));
      form.set('map', JSON.stringify(Object.fromEntries(files.map((name, i) => [String(i), [`variables.${name}`]]))));
      files.forEach((_, i) =>
        form.set(String(i), new Blob([new Uint8Array(this.file)], { type: 'image/png' }), 'fuzz.png'),
      );
      const encoded = new globalThis.Response(form);
      init = {
        body: Buffer.from(await encoded.arrayBuffer()),
        headers: { 'content-type': encoded.headers.get('content-type')!, 'x-pressroom-csrf': '1' },
      };
    }
    const response = await client.request(init);
    const text = await response.text();
    let body: Response['body'] = {};
    try {
      body = JSON.parse(text) as Response['body'];
    } catch {
      body = {};
    }
    return { status: response.status, text, body };
  }

  /** The caller's graphql-ws client (one socket per caller, made on first use). */
  private socketFor(caller: Caller): Client {
    let socket = this.sockets.get(caller.name);
    if (socket) return socket;
    const template = caller.client();
    const headers: Record<string, string> = {};
    if (template.cookie) headers.cookie = template.cookie;
    class AuthenticatedSocket extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers });
      }
    }
    socket = createClient({
      url: `${this.api.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: AuthenticatedSocket,
      connectionParams: template.auth.token ? { authorization: `Bearer ${template.auth.token}` } : {},
      retryAttempts: 0,
      lazy: true,
    });
    this.sockets.set(caller.name, socket);
    return socket;
  }

  /** Subscribes over graphql-ws and keeps what arrives first (an error at once, or nothing for a while). */
  private async subscribeOnce(caller: Caller, document: string, variables: Record<string, unknown>): Promise<Response> {
    const socket = this.socketFor(caller);
    const messages: unknown[] = [];
    let closed: string | undefined;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(finish, 60);
      let unsubscribe = () => {};
      function finish() {
        clearTimeout(timer);
        unsubscribe();
        resolve();
      }
      unsubscribe = socket.subscribe(
        { query: document, variables },
        {
          next: (message) => {
            messages.push(message);
            finish();
          },
          error: (error) => {
            const event = error as { code?: number; reason?: string };
            closed = event.code
              ? `closed ${event.code} ${event.reason ?? ''}`
              : String((error as Error).message ?? error);
            messages.push(Array.isArray(error) ? { errors: error } : { closed });
            finish();
          },
          complete: finish,
        },
      );
    });
    if (closed) {
      // The socket is gone (a message over the size limit closes it): a new one next time.
      await socket.dispose();
      this.sockets.delete(caller.name);
    }
    const first = (messages[0] ?? {}) as Response['body'];
    const body: Response['body'] = { data: first.data ?? null, errors: first.errors };
    // A close for a message over the limit counts as a refusal, like a 413.
    const status = closed && /1009|4400|4403|4401/.test(closed) ? 400 : 200;
    const accepted = messages.length === 0 && !closed;
    return { status, text: JSON.stringify(messages), body, accepted };
  }

  /**
   * The request with as many hostile values as possible swapped for valid ones (or left out)
   * while `oracle` still fails: the minimal request printed with a failure.
   */
  private async shrink(
    caller: Caller,
    entry: EntryPoint,
    request: FuzzRequest,
    oracle: string,
  ): Promise<{ document: string; variables: Record<string, unknown> }> {
    const document = documentWithVariables(this.schema, entry, request);
    let variables = { ...request.values };
    const fails = async (candidate: Record<string, unknown>) => {
      const outcome = await this.send(caller, {
        kind: entry.kind,
        document: documentFor(document, candidate),
        variables: candidate,
      });
      return outcome.problems.some(([name]) => name === oracle);
    };
    if (!(await fails(variables))) return { document: request.document, variables: request.variables };
    for (const name of Object.keys(variables)) {
      if (request.classes[name] === 'valid') continue;
      const without = { ...variables };
      delete without[name];
      const arg = entry.field.args.find((candidate) => `a_${candidate.name}` === name);
      const nullable = arg !== undefined && !isNonNullType(arg.type);
      if (nullable && (await fails(without))) {
        variables = without;
        continue;
      }
      const valid = { ...variables, [name]: request.validVariables[name] };
      if (await fails(valid)) variables = valid;
    }
    return { document: documentFor(document, variables), variables };
  }
}

/** The document without the definitions and arguments of variables that were left out. */
function documentFor(document: string, variables: Record<string, unknown>): string {
  return document
    .replace(/\$(a_\w+): [^,)]+(, )?/g, (whole, name: string) => (name in variables ? whole : ''))
    .replace(/(\w+): \$(a_\w+)(, )?/g, (whole, _arg, name: string) => (name in variables ? whole : ''))
    .replace(/, ([)])/g, '$1')
    .replace(/\(\)/g, '');
}

function liveFailure(
  oracle: string,
  seed: number,
  subscriber: { candidate: { entry: EntryPoint; request: FuzzRequest; index: number }; caller: Caller },
  detail: string,
): Failure {
  const { candidate } = subscriber;
  return {
    oracle,
    seed,
    index: candidate.index,
    caller: subscriber.caller.name,
    entry: candidate.entry.name,
    detail,
    answer: '',
    request: { document: candidate.request.document, variables: candidate.request.variables },
  };
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function batchFailure(oracle: string, seed: number, index: number, detail: string): Failure {
  return { oracle, seed, index, caller: '-', entry: '-', detail, answer: '', request: { document: '', variables: {} } };
}

/**
 * Refused: an HTTP error, an error of the request or of the operation's own field (not one below
 * it, which comes after the field acted: a result field the caller may not read), no answer for
 * the field, or an Error result. The same line idempotency.ts draws for "nothing acted".
 */
function isRefused(response: Response): boolean {
  if (response.accepted) return false;
  if (response.status >= 400) return true;
  const errors = response.body.errors ?? [];
  if (errors.some((error) => ((error as { path?: unknown[] }).path?.length ?? 0) <= 1)) return true;
  if (errors.length && errors.every((error) => ((error as { path?: unknown[] }).path?.length ?? 0) > 1)) return false;
  const data = response.body.data;
  if (!data) return true;
  const values = Object.values(data);
  if (values.length === 0 || values[0] === null) return true;
  const first = values[0] as { __typename?: string } | null;
  // Through `organization(id:)`: the nested field's answer.
  const nested = first && typeof first === 'object' && !('__typename' in first) ? Object.values(first)[0] : first;
  if (nested === null) return true;
  const typename = (nested as { __typename?: string } | undefined)?.__typename ?? '';
  return typename.endsWith('Error');
}

/** Why a refused request was refused: the error code of its field or request, or its HTTP status. */
function refusalCode(response: Response): string {
  const error = response.body.errors?.[0];
  if (error) return error.extensions?.code ?? (response.status >= 400 ? `HTTP ${response.status}` : 'ERROR');
  if (response.status >= 400) return `HTTP ${response.status}`;
  const data = response.body.data;
  const first = data ? (Object.values(data)[0] as Record<string, unknown> | null | undefined) : undefined;
  const nested =
    first && typeof first === 'object' && !('__typename' in first) ? (Object.values(first)[0] as typeof first) : first;
  if (nested && typeof nested === 'object' && typeof nested.code === 'string') return nested.code;
  if (nested && typeof nested === 'object' && typeof nested.__typename === 'string') return nested.__typename;
  return 'null';
}

function refusalMessage(response: Response): string {
  const error = response.body.errors?.[0];
  if (error) return error.message ?? '';
  const match = /"message":"((?:[^"\\]|\\.)*)"/.exec(response.text);
  return match?.[1] ?? response.text.slice(0, 160);
}

function describeChanges(changes: Change[]): string {
  return changes
    .slice(0, 5)
    .map((change) => `${change.op} ${change.tbl} ${JSON.stringify(change.row).slice(0, 200)}`)
    .join('; ');
}

function collectStrings(value: unknown, visit: (text: string) => void, depth = 0): void {
  if (depth > 20) return;
  if (typeof value === 'string') {
    if (value.length < 5_000) visit(value);
  } else if (Array.isArray(value)) {
    for (const item of value.slice(0, 100)) collectStrings(item, visit, depth + 1);
  } else if (value && typeof value === 'object') {
    for (const item of Object.values(value)) collectStrings(item, visit, depth + 1);
  }
}

/** Adds `value` to what was seen under `name` (the newest 40 distinct values of each name). */
function remember(seen: Map<string, unknown[]>, name: string, value: unknown) {
  const list = seen.get(name) ?? [];
  const key = JSON.stringify(value);
  if (list.some((item) => JSON.stringify(item) === key)) return;
  list.push(value);
  if (list.length > 40) list.shift();
  seen.set(name, list);
}

function count(counts: Record<string, number>, key: string) {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** A request for a report: long strings and lists shortened so the line stays readable. */
export function printable(value: unknown): unknown {
  if (typeof value === 'string') {
    if (value.length <= 120) return value;
    const first = value.slice(0, 2);
    return value === first.repeat(value.length / first.length)
      ? `<${JSON.stringify(first)} × ${value.length / first.length}>`
      : `${value.slice(0, 100)}… <${value.length} chars>`;
  }
  if (Array.isArray(value)) {
    if (value.length > 10) return [...value.slice(0, 3).map(printable), `… <${value.length} items>`];
    return value.map(printable);
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, printable(item)]));
  }
  return value;
}

export function formatFailure(failure: Failure): string {
  const shown = failure.minimal ?? failure.request;
  return [
    `${failure.oracle} — ${failure.entry} as ${failure.caller} (seed ${failure.seed}, request #${failure.index})`,
    `  ${failure.detail}`,
    `  answer: ${failure.answer}`,
    `  replay: node --import tsx api/bench/fuzz.ts --seed ${failure.seed} --only ${failure.index}`,
    `  minimal request: ${shown.document}`,
    `  variables: ${JSON.stringify(printable(shown.variables))}`,
  ].join('\n');
}

export function formatReport(report: FuzzReport): string {
  const lines = [
    `seed ${report.seed}: ${report.requests} requests in ${report.seconds.toFixed(1)} s (${(report.requests / report.seconds).toFixed(0)}/s)`,
    `  by status: ${JSON.stringify(report.byStatus)}`,
    `  by caller: ${JSON.stringify(report.byCaller)}`,
    `  by kind: ${JSON.stringify(report.byKind)}`,
    `  argument values: ${JSON.stringify(report.byClass)}`,
    `  refused: ${report.refused}; entry points: ${report.entries} (${report.entriesAnswered} answered with data at least once)`,
    `  table checksum batches: ${report.checksumBatches}`,
    `  failures: ${report.failures.length}`,
    `  per operation (requests, succeeded, refused by code):`,
  ];
  const entries = Object.entries(report.byEntry).filter(([, stats]) => stats.requests > 0);
  const width = Math.max(...entries.map(([name]) => name.length), 10);
  for (const [name, stats] of entries.sort(([a], [b]) => a.localeCompare(b))) {
    const refusals = Object.entries(stats.refused)
      .sort(([, x], [, y]) => y - x)
      .map(([code, n]) => `${code} ${n}`)
      .join(', ');
    lines.push(
      `    ${name.padEnd(width)} ${String(stats.requests).padStart(5)} ${String(stats.succeeded).padStart(5)} ok${refusals ? `  ${refusals}` : ''}`,
    );
  }
  const live = Object.entries(report.live);
  lines.push(
    `  subscriptions kept open (${live.length}): ${live.map(([name, heard]) => (heard.refused ? `${name} refused when subscribed again` : `${name} heard ${heard.own} of A, ${heard.other} of B`)).join('; ') || 'none'}`,
  );
  const never = entries.filter(([, stats]) => stats.succeeded === 0).map(([name]) => name);
  lines.push(`  operations that never succeeded: ${never.length}`);
  for (const name of never)
    lines.push(
      `    ${name}: ${cannotSucceedHere[name] ?? 'no valid enough request was drawn (a gap of the generator)'}`,
    );
  const shown = new Set<string>();
  for (const failure of report.failures) {
    const key = `${failure.oracle} ${failure.entry}`;
    if (shown.has(key)) continue;
    shown.add(key);
    lines.push(formatFailure(failure));
  }
  return lines.join('\n');
}
