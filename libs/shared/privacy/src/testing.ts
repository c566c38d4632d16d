import { readFileSync, existsSync } from 'node:fs';
import type { DataSource } from 'typeorm';

export interface PlaintextHit {
  table: string;
  column: string;
  /** Index of the needle found (never the needle itself, so reports do not leak it). */
  needle: number;
}

const tablesAndColumns = async (ds: DataSource): Promise<{ table: string; columns: string[] }[]> => {
  if (ds.options.type === 'postgres') {
    const schema = (ds.options as { schema?: string }).schema ?? 'public';
    const rows: { table_name: string; column_name: string }[] = await ds.query(
      `SELECT c.table_name, c.column_name FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE c.table_schema = $1 AND t.table_type = 'BASE TABLE' ORDER BY c.table_name, c.ordinal_position`,
      [schema],
    );
    const byTable = new Map<string, string[]>();
    for (const r of rows) byTable.set(r.table_name, [...(byTable.get(r.table_name) ?? []), r.column_name]);
    return [...byTable].map(([table, columns]) => ({ table: `"${schema}"."${table}"`, columns }));
  }
  const tables: { name: string }[] = await ds.query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`);
  const out: { table: string; columns: string[] }[] = [];
  for (const { name } of tables) {
    const cols: { name: string }[] = await ds.query(`SELECT name FROM pragma_table_info(?)`, [name]);
    out.push({ table: `"${name}"`, columns: cols.map((c) => c.name) });
  }
  return out;
};

/**
 * RELIABILITY.md P-1: every table and column of a read store, searched for each needle (known
 * plaintexts, blind-index values, masked forms). Columns are compared as text, so JSON, numbers
 * and blobs are covered too.
 */
export const scanForPlaintext = async (ds: DataSource, needles: readonly string[]): Promise<PlaintextHit[]> => {
  const hits: PlaintextHit[] = [];
  const pg = ds.options.type === 'postgres';
  for (const { table, columns } of await tablesAndColumns(ds)) {
    for (const column of columns) {
      const col = `"${column.replace(/"/g, '""')}"`;
      for (let i = 0; i < needles.length; i++) {
        const sql = pg
          ? `SELECT 1 FROM ${table} WHERE strpos(CAST(${col} AS TEXT), $1) > 0 LIMIT 1`
          : `SELECT 1 FROM ${table} WHERE instr(CAST(${col} AS TEXT), ?) > 0 LIMIT 1`;
        const rows = await ds.query(sql, [needles[i]]);
        if (rows.length > 0) hits.push({ table, column, needle: i });
      }
    }
  }
  return hits;
};

/** The needles (by index) found anywhere in the bytes of SQLite files (database, WAL). */
export const scanFilesForPlaintext = (files: readonly string[], needles: readonly string[]): { file: string; needle: number }[] => {
  const hits: { file: string; needle: number }[] = [];
  for (const file of files) {
    if (!existsSync(file)) continue;
    const bytes = readFileSync(file);
    needles.forEach((n, i) => {
      if (bytes.includes(Buffer.from(n, 'utf8'))) hits.push({ file, needle: i });
    });
  }
  return hits;
};

/** An example context holding personal data (workers), for privacy tests in other libs. */
export {
  workerDecider,
  workerStream,
  projectWorkers,
  declareWorkerCardColumns,
  WorkerCardRow,
  type Worker,
  type WorkerCommand,
  type WorkerEvent,
} from './test-support/worker.fixture';
