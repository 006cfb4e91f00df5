import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import pg from 'pg';
import { parse } from 'pg-connection-string';

// Prisma's schema engine — the same Rust code behind `prisma migrate` — compiled to
// WebAssembly and talking to Postgres through the `pg` driver adapter. It needs no native
// binary, so migrations are authored, applied and checked offline, and recorded in
// `_prisma_migrations` exactly as Prisma Migrate records them.

type Runtime = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

let runtimePromise: Promise<Runtime['SchemaEngine']> | undefined;

// The engine reports a Rust panic's message through this global before it throws; without
// it a panic would crash the process instead of failing the call.
const panicRegistry = {
  message: '',
  set_message(message: string) {
    this.message = message;
  },
};
(globalThis as { PRISMA_WASM_PANIC_REGISTRY?: typeof panicRegistry }).PRISMA_WASM_PANIC_REGISTRY ??= panicRegistry;

// The slice of the WebAssembly global used here (its types ship with the DOM lib, not Node's).
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, unknown>) => { exports: Record<string, unknown> };
}

async function loadRuntime(): Promise<Runtime['SchemaEngine']> {
  const runtime: Runtime = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  const require = createRequire(import.meta.url);
  const bindings = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const wasmBytes = await readFile(join(dirname(bindings), 'schema_engine_bg.wasm'));
  const { WebAssembly: wasm } = globalThis as unknown as { WebAssembly: WebAssemblyApi };
  const instance = new wasm.Instance(new wasm.Module(wasmBytes), { './schema_engine_bg.js': runtime });
  runtime.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return runtime.SchemaEngine;
}

// Postgres' internal one-byte "char" type (oid 18) appears in the catalog columns the engine
// reads to describe constraints (pg_constraint.contype, confdeltype...). The pg driver adapter
// has no mapping for it and refuses the whole result. So the pg client reports such columns as
// text, tagging their names, and the adapter's result is then given the engine's Character type.
const pgCharOid = 18;
const pgTextOid = 25;
const charTag = '\u0000pg_char';

function tagCharColumns<T>(result: T): T {
  const fields = (result as { fields?: Array<{ dataTypeID: number; name: string }> } | undefined)?.fields;
  for (const field of fields ?? []) {
    if (field.dataTypeID !== pgCharOid) continue;
    field.dataTypeID = pgTextOid;
    field.name += charTag;
  }
  return result;
}

class SchemaEngineClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    // Wrapped here rather than overridden: pg's query overloads cannot be re-declared in a
    // subclass. Pool.query passes a callback; a checked-out client is used with promises.
    const query = this.query.bind(this) as (...args: unknown[]) => unknown;
    this.query = ((...args: unknown[]) => {
      const callbackAt = args.findIndex((arg) => typeof arg === 'function');
      if (callbackAt >= 0) {
        const callback = args[callbackAt] as (error: Error | null, result: unknown) => void;
        args[callbackAt] = (error: Error | null, result: unknown) =>
          callback(error, error ? result : tagCharColumns(result));
      }
      const result = query(...args);
      return result instanceof Promise ? result.then(tagCharColumns) : result;
    }) as pg.Client['query'];
  }
}

type PgAdapter = Awaited<ReturnType<PrismaPg['connect']>>;
type Queryable = Pick<PgAdapter, 'queryRaw'>;

function typeCharColumns<Q extends Queryable>(queryable: Q): Q {
  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (query) => {
    const result = await queryRaw(query);
    result.columnNames.forEach((name, index) => {
      if (!name.endsWith(charTag)) return;
      result.columnNames[index] = name.slice(0, -charTag.length);
      result.columnTypes[index] = ColumnTypeEnum.Character;
    });
    return result;
  };
  return queryable;
}

/**
 * The adapter runs a migration script by splitting it on every `;`, which cuts a function
 * body (a trigger's plpgsql) apart. Postgres takes a whole script in one simple-protocol query,
 * which is what Prisma Migrate's own engine sends, so the same migrations apply with either.
 */
function withWholeScripts(adapter: PgAdapter): void {
  const queryable = adapter as unknown as { client: pg.Pool; onError(error: unknown): never };
  adapter.executeScript = async (script) => {
    try {
      await queryable.client.query(script);
    } catch (error) {
      queryable.onError(error);
    }
  };
}

function withCharColumns(adapter: PgAdapter): PgAdapter {
  typeCharColumns(adapter);
  withWholeScripts(adapter);
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => typeCharColumns(await startTransaction(isolationLevel));
  return adapter;
}

/**
 * Teaches the pg adapter the "char" type, and fixes its shadow database: the adapter's own
 * drops the database before closing its pool, which Postgres refuses while the pool is
 * connected; this one closes first, then drops.
 */
class SchemaEnginePg extends PrismaPg {
  constructor(private readonly poolConfig: pg.PoolConfig) {
    super(poolConfig);
  }

  /** Connections handed to the engine; the engine never closes them itself. */
  readonly connections: PgAdapter[] = [];

  override async connect(): Promise<PgAdapter> {
    const adapter = withCharColumns(await super.connect());
    this.connections.push(adapter);
    return adapter;
  }

  override async connectToShadowDb(): Promise<PgAdapter> {
    const name = `prisma_migrate_shadow_db_${randomUUID()}`;
    const admin = new pg.Client(this.poolConfig);
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    const shadow = withCharColumns(await new PrismaPg({ ...this.poolConfig, database: name }).connect());
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await dispose();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    };
    return shadow;
  }
}

export interface SchemaFile {
  path: string;
  content: string;
}

export interface OpenSchemaEngine {
  engine: SchemaEngine;
  /**
   * Frees the engine and closes its connections. The engine holds Prisma Migrate's advisory
   * lock on its connection; left open, the next engine would wait out the lock's timeout.
   */
  close: () => Promise<void>;
}

/** Opens the schema engine against `databaseUrl`; `close()` it when done. */
export async function openSchemaEngine(databaseUrl: string, schema: SchemaFile): Promise<OpenSchemaEngine> {
  runtimePromise ??= loadRuntime();
  const Engine = await runtimePromise;
  // Explicit fields, not a connection string: the adapter makes the shadow database by
  // overriding `database`, which a connection string would silently win over.
  const { host, port, user, password, database, ssl } = parse(databaseUrl);
  const factory = new SchemaEnginePg({
    host: host ?? undefined,
    port: port ? Number(port) : undefined,
    user,
    password,
    database: database ?? undefined,
    ssl: ssl as pg.PoolConfig['ssl'],
    max: 2,
    Client: SchemaEngineClient,
  });
  const engine = await Engine.new(
    { datamodels: [[schema.path, schema.content]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  return {
    engine,
    close: async () => {
      engine.free();
      await Promise.all(factory.connections.map((connection) => connection.dispose()));
    },
  };
}

export const noSchemaFilter = { externalTables: [] as string[], externalEnums: [] as string[] };
