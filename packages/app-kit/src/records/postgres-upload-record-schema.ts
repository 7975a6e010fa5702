// DDL for PostgreSQL upload records, created on first use. Identifiers are validated, never escaped by hand.
import type pg from 'pg';

const identifier = /^[a-z_][a-z0-9_]{0,39}$/;

export interface PostgresTableName {
  readonly schema: string;
  readonly table: string;
  /** `"schema"."table"`, safe to splice into SQL text. */
  readonly qualified: string;
}

export function buildPostgresTableName(schema: string, table: string): PostgresTableName {
  for (const [what, name] of [
    ['schema', schema],
    ['table', table],
  ] as const) {
    if (!identifier.test(name)) throw new TypeError(`${what} name must match ${String(identifier)}: ${name}`);
  }
  return { schema, table, qualified: `"${schema}"."${table}"` };
}

// id uses COLLATE "C" so the (created_at_ms, id) order matches SQLite's byte order (list tie-break).
// reply_json is text, not jsonb: a replay must return the first reply byte for byte.
function buildDdl({ schema, table, qualified }: PostgresTableName): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${qualified} (
      id text COLLATE "C" PRIMARY KEY,
      user_id text NOT NULL,
      bucket text NOT NULL,
      key text NOT NULL,
      key_is_prefix boolean NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'confirmed', 'stored-unconfirmed', 'expired')),
      object_key text,
      size bigint,
      etag text,
      mime_type text,
      created_at_ms bigint NOT NULL,
      expires_at_ms bigint NOT NULL,
      confirmed_at_ms bigint,
      reply_json text,
      app_data text
    )`,
    `CREATE INDEX IF NOT EXISTS "${table}_created" ON ${qualified} (created_at_ms DESC, id DESC)`,
    `CREATE INDEX IF NOT EXISTS "${table}_user" ON ${qualified} (user_id, created_at_ms DESC, id DESC)`,
    `CREATE INDEX IF NOT EXISTS "${table}_status" ON ${qualified} (status, created_at_ms DESC, id DESC)`,
    `CREATE INDEX IF NOT EXISTS "${table}_expiry" ON ${qualified} (expires_at_ms) WHERE status = 'pending'`,
    `COMMENT ON TABLE ${qualified} IS 'upcall upload records, schema 1 (${schema})'`,
  ];
}

/**
 * Creates schema, table and indexes once. Several app servers may start together: the advisory lock
 * serialises them, because concurrent CREATE … IF NOT EXISTS can still collide in the catalog.
 */
export async function createPostgresSchema(pool: pg.Pool, name: PostgresTableName): Promise<void> {
  const client = await pool.connect();
  let failure: unknown;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [name.qualified]);
    const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [name.schema]);
    if (exists.rowCount === 0) await client.query(`CREATE SCHEMA IF NOT EXISTS "${name.schema}"`);
    for (const statement of buildDdl(name)) await client.query(statement);
    await client.query('COMMIT');
  } catch (error) {
    failure = error;
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    // A failed client is destroyed rather than returned to the pool in an unknown state.
    client.release(failure instanceof Error ? failure : undefined);
  }
}
