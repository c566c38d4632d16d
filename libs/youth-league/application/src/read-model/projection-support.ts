import type { RecordedEvent } from '@gongzhi/event-store';
import type { EntityClass, ProjectionContext } from '@gongzhi/projections';
import type { EntityManager } from 'typeorm';

/** The org event every projection with paths handles: a unit moved, its whole subtree with it. */
export const ORG_UNIT_MOVED = 'OrgUnitMoved';

export const dataOf = <T>(e: RecordedEvent): T => e.data as unknown as T;

/** Domain time of the event (metadata.occurredAt), as a UTC ISO string so it sorts as text. */
export const occurredAt = (e: RecordedEvent): string => {
  const raw = (e.metadata as { occurredAt?: unknown }).occurredAt;
  const ms = typeof raw === 'string' ? Date.parse(raw) : Number.NaN;
  return new Date(Number.isNaN(ms) ? e.recordedAt.getTime() : ms).toISOString();
};

export const metadataPath = (e: RecordedEvent): string => String((e.metadata as { orgUnitPath?: unknown }).orgUnitPath ?? '');

const escapeLike = (value: string): string => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Rewrites path columns after `OrgUnitMoved`: every value starting with `from` now starts with
 * `to`. Runs in the projection's transaction, in global order, so rows always answer to their
 * unit's current place in the tree. `||` and substr() mean the same on PostgreSQL and SQLite.
 */
export const rewriteMovedPaths = async (
  em: EntityManager,
  ctx: ProjectionContext,
  e: RecordedEvent,
  targets: ReadonlyArray<{ entity: EntityClass; columns: readonly string[] }>,
): Promise<void> => {
  const { previousPath, path } = dataOf<{ previousPath: string; path: string }>(e);
  if (!previousPath || !path || previousPath === path) return;
  for (const { entity, columns } of targets) {
    const table = ctx.tableName(entity);
    for (const column of columns) {
      if (!/^[a-z_]+$/.test(column)) throw new Error(`Invalid column ${column}`);
      const sql = `UPDATE ${table} SET ${column} = :to || substr(${column}, :cut) WHERE ${column} LIKE :prefix ESCAPE '\\'`;
      const [text, values] = em.connection.driver.escapeQueryWithParameters(
        sql,
        { to: path, cut: previousPath.length + 1, prefix: `${escapeLike(previousPath)}%` },
        {},
      );
      await em.query(text, values);
    }
  }
};
