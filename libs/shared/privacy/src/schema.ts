import { Table, type DataSource, type EntityManager, type MigrationInterface, type QueryRunner } from 'typeorm';
import { AuditRecordRow } from './audit/audit-record.entity';
import { AuditCommandCheckpointRow } from './audit/command-audit-recorder';
import { BlindIndexRow, DataSubjectRow, SubjectKeyRow } from './keys/entities';

/** The vault's and the audit log's tables: add them to the read store's DataSource `entities`. */
export const PRIVACY_ENTITIES = [DataSubjectRow, SubjectKeyRow, BlindIndexRow, AuditRecordRow, AuditCommandCheckpointRow];

/** A TypeORM entity class. */
export type EntityClass = new (...args: any[]) => object;

export type ReadStoreDialect = 'sqlite' | 'postgres';

export const dialectOf = (ds: DataSource | EntityManager): ReadStoreDialect => {
  const type = ('connection' in ds ? ds.connection : ds).options.type;
  if (type === 'better-sqlite3' || type === 'sqlite') return 'sqlite';
  if (type === 'postgres') return 'postgres';
  throw new Error(`The privacy vault supports SQLite and PostgreSQL read stores, not ${type}`);
};

const quoted = (path: string): string =>
  path
    .split('.')
    .map((p) => `"${p.replace(/"/g, '""')}"`)
    .join('.');

/** Schema-qualified, quoted name of an entity's table (the DataSource's `schema` applies). */
export const tableName = (ds: DataSource | EntityManager, entity: EntityClass): string =>
  quoted(('connection' in ds ? ds.connection : ds).getMetadata(entity).tablePath);

/**
 * The audit log refuses UPDATE, DELETE (and TRUNCATE on PostgreSQL) at the database level. The
 * hash chain still catches what someone with DDL rights does after dropping the trigger; in a
 * deployment the app's role also gets INSERT and SELECT only (RELIABILITY.md §4.4).
 */
const appendOnlyDdl = (ds: DataSource, dialect: ReadStoreDialect): string[] => {
  const audit = tableName(ds, AuditRecordRow);
  if (dialect === 'sqlite') {
    return ['UPDATE', 'DELETE'].map(
      (op) =>
        `CREATE TRIGGER IF NOT EXISTS audit_log_no_${op.toLowerCase()} BEFORE ${op} ON ${audit} ` +
        `BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
    );
  }
  const schema = ds.getMetadata(AuditRecordRow).schema;
  const fn = schema ? `${quoted(schema)}.audit_log_append_only` : 'audit_log_append_only';
  return [
    `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ ` +
      `BEGIN RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege'; END $$`,
    `CREATE OR REPLACE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON ${audit} FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
    `CREATE OR REPLACE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON ${audit} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
  ];
};

/**
 * Creates the privacy tables when missing (from the entity metadata, so they match what TypeORM
 * `synchronize` would build) and the append-only triggers. Idempotent: safe at every start.
 */
export const ensurePrivacySchema = async (ds: DataSource): Promise<void> => {
  const dialect = dialectOf(ds);
  const runner = ds.createQueryRunner();
  try {
    await runner.connect();
    const schema = ds.getMetadata(AuditRecordRow).schema;
    if (dialect === 'postgres' && schema) await runner.query(`CREATE SCHEMA IF NOT EXISTS ${quoted(schema)}`);
    for (const entity of PRIVACY_ENTITIES) {
      await runner.createTable(Table.create(ds.getMetadata(entity), ds.driver), true);
    }
    for (const sql of appendOnlyDdl(ds, dialect)) await runner.query(sql);
    // SQLite keeps deleted bytes in free pages unless told to zero them; erasure relies on it.
    // A connection setting: TypeORM's better-sqlite3 driver has one connection, this one.
    if (dialect === 'sqlite') await runner.query('PRAGMA secure_delete = ON');
  } finally {
    await runner.release();
  }
};

/** The same as a TypeORM migration, for apps that run migrations instead. */
export class PrivacySchema1750000000000 implements MigrationInterface {
  name = 'PrivacySchema1750000000000';
  async up(runner: QueryRunner): Promise<void> {
    await ensurePrivacySchema(runner.connection);
  }
  async down(): Promise<void> {
    // Dropping the vault destroys every key: not something a migration rollback should do.
  }
}
