import { Prisma, type Database } from '@pressroom/db';

// Every instance shares these counters through RateLimitBucket rows; each change is one atomic
// statement, so two api instances never lose each other's counts. Times are UTC, written and
// compared only by these statements.
const nowUtc = Prisma.sql`(now() AT TIME ZONE 'UTC')`;

/** Failures older than this are forgotten. */
const failureWindowSeconds = 3600;
const maxDelaySeconds = 15 * 60;

export interface Block {
  key: string;
  retryAfterSeconds: number;
}

/** The longest block among `keys`, if any is still in force. */
export async function activeBlock(db: Database, keys: string[]): Promise<Block | null> {
  const rows = await db.$queryRaw<Array<{ key: string; seconds: number }>>`
    SELECT "key", CEIL(EXTRACT(EPOCH FROM ("blockedUntil" - ${nowUtc})))::float8 AS seconds
    FROM "RateLimitBucket"
    WHERE "key" IN (${Prisma.join(keys)}) AND "blockedUntil" > ${nowUtc}
    ORDER BY "blockedUntil" DESC LIMIT 1`;
  const row = rows[0];
  return row ? { key: row.key, retryAfterSeconds: Math.max(1, row.seconds) } : null;
}

/**
 * Counts a failure under `key`; past `freeFailures` the key is blocked for a delay that doubles
 * with each further failure (2 s, 4 s, 8 s ... at most 15 minutes). Returns the failure count.
 */
export async function recordFailure(db: Database, key: string, freeFailures: number): Promise<number> {
  const rows = await db.$queryRaw<Array<{ failures: number }>>`
    INSERT INTO "RateLimitBucket" ("key", "tokens", "failures", "updatedAt")
    VALUES (${key}, 0, 1, ${nowUtc})
    ON CONFLICT ("key") DO UPDATE SET
      "failures" = CASE
        WHEN "RateLimitBucket"."updatedAt" < ${nowUtc} - make_interval(secs => ${failureWindowSeconds})
        THEN 1 ELSE "RateLimitBucket"."failures" + 1 END,
      "updatedAt" = ${nowUtc}
    RETURNING "failures"`;
  const failures = rows[0]?.failures ?? 1;
  if (failures > freeFailures) {
    const delay = Math.min(maxDelaySeconds, 2 ** (failures - freeFailures));
    await db.$executeRaw`
      UPDATE "RateLimitBucket"
      SET "blockedUntil" = GREATEST(COALESCE("blockedUntil", ${nowUtc}), ${nowUtc} + make_interval(secs => ${delay}))
      WHERE "key" = ${key}`;
  }
  return failures;
}

export async function clearFailures(db: Database, key: string): Promise<void> {
  await db.$executeRaw`DELETE FROM "RateLimitBucket" WHERE "key" = ${key}`;
}

export interface CostBudget {
  /** Whether the query's cost was taken from the bucket. */
  allowed: boolean;
  /** Points left after this query (or available now, when refused). */
  currentlyAvailable: number;
  maximumAvailable: number;
  restoreRate: number;
}

/**
 * Takes `cost` points from a leaky bucket of `maximum` points refilled at `restoreRate` per
 * second, in one statement; a refused query takes nothing.
 */
export async function spendCost(
  db: Database,
  key: string,
  cost: number,
  maximum: number,
  restoreRate: number,
): Promise<CostBudget> {
  // The row is made full on first use; the update then locks it, refills it for the time
  // elapsed and takes the cost only when the bucket holds enough.
  await db.$executeRaw`
    INSERT INTO "RateLimitBucket" ("key", "tokens", "failures", "updatedAt")
    VALUES (${key}, ${maximum}::float8, 0, ${nowUtc})
    ON CONFLICT ("key") DO NOTHING`;
  const rows = await db.$queryRaw<Array<{ tokens: number; spent: boolean }>>`
    WITH previous AS (
      SELECT LEAST(${maximum}::float8,
        "tokens" + EXTRACT(EPOCH FROM (${nowUtc} - "updatedAt"))::float8 * ${restoreRate}::float8) AS available
      FROM "RateLimitBucket" WHERE "key" = ${key} FOR UPDATE
    )
    UPDATE "RateLimitBucket" AS bucket SET
      "tokens" = CASE WHEN previous.available >= ${cost}::float8
        THEN previous.available - ${cost}::float8 ELSE previous.available END,
      "updatedAt" = ${nowUtc}
    FROM previous WHERE bucket."key" = ${key}
    RETURNING bucket."tokens", previous.available >= ${cost}::float8 AS spent`;
  const row = rows[0];
  return {
    allowed: row?.spent ?? false,
    currentlyAvailable: Math.floor(row?.tokens ?? 0),
    maximumAvailable: maximum,
    restoreRate,
  };
}
