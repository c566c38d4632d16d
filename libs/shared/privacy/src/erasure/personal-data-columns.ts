import type { DataSource, EntityManager } from 'typeorm';
import type { EntityClass } from '../schema';

/**
 * What a read model holding personal data (decrypted or masked) declares, so erasing a subject
 * reaches it (RELIABILITY.md §4.2 step 4, "projections handle SubjectErased"). Declared once per
 * (table, subject column): a table with a worker and a contact person declares twice.
 */
export interface PersonalDataColumnsDeclaration {
  /** The read-model entity class (its table, schema-qualified by the DataSource) or a table name. */
  table: EntityClass | string;
  /** Database column holding the opaque subject id the personal columns belong to. */
  subjectIdColumn: string;
  /**
   * Database columns to clear: set to NULL, or to `replacement[column]` when the column is NOT
   * NULL (e.g. the "[已刪除]" placeholder).
   */
  columns?: readonly string[];
  replacement?: Readonly<Record<string, string | null>>;
  /** 'clear' (default): clear the columns; 'delete': delete the rows (search documents, caches). */
  onErasure?: 'clear' | 'delete';
}

export interface ErasedColumnsReport {
  table: string;
  rows: number;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

const checkIdentifier = (name: string): string => {
  if (!IDENTIFIER.test(name)) throw new Error(`Invalid column name in a PersonalDataColumns declaration: ${name}`);
  return name;
};

/**
 * The registry of personal-data columns in the read store. Erasure clears them in the erasure's
 * own transaction, and `SubjectErasedHandler` does the same when a projection replays a
 * SubjectErased event (after a rebuild, or in another process's read store).
 */
export class PersonalDataColumns {
  private readonly declarations: PersonalDataColumnsDeclaration[] = [];

  declare(...declarations: PersonalDataColumnsDeclaration[]): this {
    for (const d of declarations) {
      checkIdentifier(d.subjectIdColumn);
      for (const c of d.columns ?? []) checkIdentifier(c);
      if ((d.onErasure ?? 'clear') === 'clear' && (d.columns ?? []).length === 0) {
        throw new Error('A PersonalDataColumns declaration that clears columns must name them');
      }
      this.declarations.push(d);
    }
    return this;
  }

  list(): readonly PersonalDataColumnsDeclaration[] {
    return this.declarations;
  }

  private qualified(ds: DataSource, table: EntityClass | string): string {
    if (typeof table === 'string') {
      const schema = ds.options.type === 'postgres' ? (ds.options as { schema?: string }).schema : undefined;
      checkIdentifier(table);
      return schema ? `${ds.driver.escape(schema)}.${ds.driver.escape(table)}` : ds.driver.escape(table);
    }
    return ds
      .getMetadata(table)
      .tablePath.split('.')
      .map((p) => ds.driver.escape(p))
      .join('.');
  }

  /** Clears or deletes every declared column of the subject, in `manager`'s transaction. */
  async erase(manager: EntityManager, subjectId: string): Promise<ErasedColumnsReport[]> {
    const ds = manager.connection;
    const reports: ErasedColumnsReport[] = [];
    for (const d of this.declarations) {
      const table = this.qualified(ds, d.table);
      const where = `${ds.driver.escape(d.subjectIdColumn)} = :subjectId`;
      let sql: string;
      const params: Record<string, unknown> = { subjectId };
      if (d.onErasure === 'delete') {
        sql = `DELETE FROM ${table} WHERE ${where}`;
      } else {
        const sets = (d.columns ?? []).map((c, i) => {
          const replacement = d.replacement?.[c];
          if (replacement === undefined || replacement === null) return `${ds.driver.escape(c)} = NULL`;
          params[`r${i}`] = replacement;
          return `${ds.driver.escape(c)} = :r${i}`;
        });
        sql = `UPDATE ${table} SET ${sets.join(', ')} WHERE ${where}`;
      }
      const [text, values] = ds.driver.escapeQueryWithParameters(sql, params, {});
      // A structured result is the one way to get the affected row count on every driver.
      const runner = manager.queryRunner ?? ds.createQueryRunner();
      try {
        const result = await runner.query(text, values, true);
        reports.push({ table, rows: result.affected ?? 0 });
      } finally {
        if (!manager.queryRunner) await runner.release();
      }
    }
    return reports;
  }
}
