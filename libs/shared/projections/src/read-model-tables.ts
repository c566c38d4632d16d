import { Entity, Table, getMetadataArgsStorage, type DataSource, type EntityMetadata, type EntityTarget, type ObjectLiteral, type QueryRunner } from 'typeorm';
import { EntityMetadataBuilder } from 'typeorm/metadata-builder/EntityMetadataBuilder';
import type { EntityClass, Projection } from './projection';
import { readStoreKind, runSql, withWriteLock, type ReadStoreKind } from './read-store';
import type { NamedStatement } from './checkpoint-store';

/**
 * Rebuild generations of a projection's tables.
 *
 * Readers always use the entity classes as they are (`dataSource.getRepository(CaseRow)`): the
 * live table keeps its name for ever. A rebuild fills shadow tables named `<table>_g<N>`, reached
 * through a shadow entity: a subclass of the read-model entity registered in the same DataSource
 * with only its table name changed, so `apply` code is the same for both (it asks the context for
 * the target). When the shadow has caught up, one transaction drops the live table, renames the
 * shadow to the live name and moves the checkpoint; readers see the old complete table before
 * that commit and the new complete one after it, never a half-built one.
 *
 * Names that must be unique per schema (PostgreSQL indexes and constraints, SQLite indexes) get
 * the generation suffix in the shadow and are renamed back at the swap, so a rebuilt schema is
 * identical to a freshly created one.
 */
export class ReadModelTables {
  private readonly kind: ReadStoreKind;
  private readonly shadows = new Map<number, Map<EntityClass, { target: EntityClass; metadata: EntityMetadata }>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly projection: Projection,
  ) {
    this.kind = readStoreKind(dataSource);
  }

  /** Fails early on what the rebuild cannot handle, with a message saying what to change. */
  validate(): void {
    for (const entity of this.projection.entities) {
      if (!this.dataSource.hasMetadata(entity)) {
        throw new Error(`Projection ${this.projection.name}: entity ${entity.name} is not in the DataSource's entities`);
      }
      const md = this.dataSource.getMetadata(entity);
      if (md.relations.length > 0 || md.foreignKeys.length > 0) {
        throw new Error(`Projection ${this.projection.name}: read-model entity ${entity.name} has relations; keep read models flat (ids, not relations)`);
      }
      if (md.primaryColumns.length === 0) throw new Error(`Projection ${this.projection.name}: ${entity.name} has no primary key`);
    }
  }

  /** Creates the live tables that do not exist yet (a migration or `synchronize` may have made them). */
  async ensureLive(): Promise<void> {
    for (const entity of this.projection.entities) await this.createTable(this.dataSource.getMetadata(entity), false);
  }

  target<E extends ObjectLiteral>(entity: EntityClass<E>, generation: number | null): EntityTarget<E> {
    if (generation === null) return entity;
    const shadow = this.shadows.get(generation)?.get(entity);
    if (!shadow) throw new Error(`Projection ${this.projection.name}: ${entity.name} has no generation ${generation} registered`);
    return shadow.target as EntityClass<E>;
  }

  tableName(entity: EntityClass, generation: number | null): string {
    const md = generation === null ? this.dataSource.getMetadata(entity) : this.shadows.get(generation)?.get(entity)?.metadata;
    if (!md) throw new Error(`Projection ${this.projection.name}: ${entity.name} has no generation ${generation} registered`);
    return this.escapedPath(md);
  }

  /**
   * Registers the shadow entities of a generation and creates their tables. `fresh` drops what
   * a previous attempt left; otherwise existing shadow tables are kept (a resumed rebuild).
   * Returns whether any table had to be created, i.e. the rebuild must start from 0.
   */
  async prepareShadow(generation: number, fresh: boolean): Promise<boolean> {
    const set = this.register(generation);
    let created = false;
    for (const { metadata } of set.values()) {
      if (fresh) await withWriteLock(this.dataSource, () => this.dataSource.query(`DROP TABLE IF EXISTS ${this.escapedPath(metadata)}`));
      if (await this.createTable(metadata, fresh)) created = true;
    }
    return created;
  }

  /** Forgets a generation's shadow entities (after the swap, or when abandoning a rebuild). */
  unregister(generation: number): void {
    const set = this.shadows.get(generation);
    if (!set) return;
    const ds = this.dataSource as unknown as { entityMetadatas: EntityMetadata[]; entityMetadatasMap: Map<unknown, EntityMetadata> };
    for (const { target, metadata } of set.values()) {
      ds.entityMetadatasMap.delete(target);
      const i = ds.entityMetadatas.indexOf(metadata);
      if (i >= 0) ds.entityMetadatas.splice(i, 1);
    }
    this.shadows.delete(generation);
  }

  /**
   * Drops the live tables, renames the shadow tables to the live names and runs `checkpoint`
   * (which must return one row) in ONE transaction. On SQLite the whole swap is one synchronous
   * better-sqlite3 transaction, so not even a reader on the shared connection can run between
   * the drop and the rename.
   */
  async swap(generation: number, checkpoint: NamedStatement): Promise<void> {
    const set = this.shadows.get(generation);
    if (!set) throw new Error(`Projection ${this.projection.name}: generation ${generation} is not registered`);
    const statements: NamedStatement[] = [];
    for (const [entity, { metadata: shadow }] of set) {
      const live = this.dataSource.getMetadata(entity);
      statements.push({ sql: `DROP TABLE IF EXISTS ${this.escapedPath(live)}`, params: {} });
      statements.push({
        sql: `ALTER TABLE ${this.escapedPath(shadow)} RENAME TO ${this.dataSource.driver.escape(live.tableName)}`,
        params: {},
      });
      statements.push(...this.renameBack(live, shadow));
    }
    await withWriteLock(this.dataSource, async () => {
      if (this.kind === 'sqlite') {
        const db = (this.dataSource.driver as unknown as { databaseConnection: SqliteDatabase }).databaseConnection;
        db.transaction(() => {
          for (const s of statements) this.sqliteRun(db, s);
          if (this.sqliteRun(db, checkpoint).length !== 1) throw new Error(`Projection ${this.projection.name}: checkpoint moved during the swap`);
        })();
        return;
      }
      await this.dataSource.transaction(async (em) => {
        for (const s of statements) await em.query(s.sql);
        const rows = await runSql(this.dataSource, em, checkpoint.sql, checkpoint.params);
        if (rows.length !== 1) throw new Error(`Projection ${this.projection.name}: checkpoint moved during the swap`);
      });
    });
  }

  private sqliteRun(db: SqliteDatabase, s: NamedStatement): unknown[] {
    const [sql, params] = this.dataSource.driver.escapeQueryWithParameters(s.sql, s.params, {});
    const stmt = db.prepare(sql);
    if (stmt.reader) return stmt.all(...params);
    stmt.run(...params);
    return [];
  }

  /** Index and constraint names derived from (or suffixed in) the shadow, renamed to the live ones. */
  private renameBack(live: EntityMetadata, shadow: EntityMetadata): NamedStatement[] {
    const q = (n: string) => this.dataSource.driver.escape(n);
    const out: NamedStatement[] = [];
    const table = this.escapedPath(live);
    const schemaPrefix = live.schema ? `${q(live.schema)}.` : '';
    live.indices.forEach((liveIndex, i) => {
      const shadowIndex = shadow.indices[i];
      if (!shadowIndex || shadowIndex.name === liveIndex.name) return;
      if (this.kind === 'postgres') {
        out.push({ sql: `ALTER INDEX ${schemaPrefix}${q(shadowIndex.name)} RENAME TO ${q(liveIndex.name)}`, params: {} });
      } else if (shadowIndex.givenName) {
        // SQLite cannot rename an index; only names the entity fixed by hand need to be exact.
        const cols = liveIndex.columns.map((c) => q(c.databaseName)).join(', ');
        out.push({ sql: `DROP INDEX ${q(shadowIndex.name)}`, params: {} });
        out.push({
          sql: `CREATE ${liveIndex.isUnique ? 'UNIQUE ' : ''}INDEX ${q(liveIndex.name)} ON ${table} (${cols})${liveIndex.where ? ` WHERE ${liveIndex.where}` : ''}`,
          params: {},
        });
      }
    });
    if (this.kind === 'postgres') {
      live.uniques.forEach((liveUnique, i) => {
        const shadowUnique = shadow.uniques[i];
        if (shadowUnique && shadowUnique.name !== liveUnique.name) {
          out.push({ sql: `ALTER TABLE ${table} RENAME CONSTRAINT ${q(shadowUnique.name)} TO ${q(liveUnique.name)}`, params: {} });
        }
      });
      const pkColumns = live.primaryColumns.map((c) => c.databaseName);
      const pkName = (md: EntityMetadata) =>
        md.primaryColumns[0]?.primaryKeyConstraintName ?? this.dataSource.namingStrategy.primaryKeyName(md.tableName, pkColumns);
      if (pkName(shadow) !== pkName(live)) {
        out.push({ sql: `ALTER TABLE ${table} RENAME CONSTRAINT ${q(pkName(shadow))} TO ${q(pkName(live))}`, params: {} });
      }
    }
    return out;
  }

  private register(generation: number): Map<EntityClass, { target: EntityClass; metadata: EntityMetadata }> {
    const existing = this.shadows.get(generation);
    if (existing) return existing;
    const storage = getMetadataArgsStorage();
    const set = new Map<EntityClass, { target: EntityClass; metadata: EntityMetadata }>();
    for (const entity of this.projection.entities) {
      const live = this.dataSource.getMetadata(entity);
      const shadowName = `${live.tableNameWithoutPrefix}_g${generation}`;
      if (this.kind === 'postgres' && live.tableName.length + `_g${generation}`.length > 63) {
        throw new Error(`Projection ${this.projection.name}: table name ${live.tableName} is too long for a rebuild generation suffix`);
      }
      const Shadow = class extends (entity as new (...args: any[]) => object) {};
      Object.defineProperty(Shadow, 'name', { value: `${entity.name}$g${generation}` });
      const args = storage.tables.find((t) => t.target === entity);
      Entity({ name: shadowName, schema: args?.schema ?? live.schema, database: args?.database })(Shadow);
      const [metadata] = new EntityMetadataBuilder(this.dataSource, storage).build([Shadow]);
      const suffix = `_g${generation}`;
      for (const index of metadata.indices) if (index.givenName) index.name = `${index.givenName}${suffix}`;
      for (const unique of metadata.uniques) if (unique.givenName) unique.name = `${unique.givenName}${suffix}`;
      for (const column of metadata.primaryColumns) {
        if (column.primaryKeyConstraintName) column.primaryKeyConstraintName = `${column.primaryKeyConstraintName}${suffix}`;
      }
      set.set(entity, { target: Shadow as EntityClass, metadata });
    }
    const ds = this.dataSource as unknown as { entityMetadatas: EntityMetadata[]; entityMetadatasMap: Map<unknown, EntityMetadata> };
    for (const { target, metadata } of set.values()) {
      ds.entityMetadatas.push(metadata);
      ds.entityMetadatasMap.set(target, metadata);
    }
    this.shadows.set(generation, set);
    return set;
  }

  /** Creates a table (with its indexes) from metadata unless it exists. Returns whether it did. */
  private async createTable(metadata: EntityMetadata, known = false): Promise<boolean> {
    return withWriteLock(this.dataSource, async () => {
      const runner: QueryRunner = this.dataSource.createQueryRunner();
      try {
        if (!known && (await runner.hasTable(metadata.tablePath))) return false;
        try {
          await runner.createTable(Table.create(metadata, this.dataSource.driver), false, false, true);
        } catch (e) {
          // Another instance created it between the check and the CREATE (PostgreSQL).
          if (await runner.hasTable(metadata.tablePath)) return false;
          throw e;
        }
        return true;
      } finally {
        if (this.kind === 'postgres') await runner.release();
      }
    });
  }

  private escapedPath(md: EntityMetadata): string {
    const q = (n: string) => this.dataSource.driver.escape(n);
    const schema = md.schema ?? (this.kind === 'postgres' ? (this.dataSource.options as { schema?: string }).schema : undefined);
    return schema ? `${q(schema)}.${q(md.tableName)}` : q(md.tableName);
  }
}

interface SqliteDatabase {
  prepare(sql: string): { reader: boolean; all(...params: unknown[]): unknown[]; run(...params: unknown[]): unknown };
  transaction(fn: () => void): () => void;
}
