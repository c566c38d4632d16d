import { escapeLike } from '@gongzhi/auth';
import type { RecordedEvent } from '@gongzhi/event-store';
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

export interface OrgMove {
  previousPath: string;
  path: string;
}

/** An `OrgUnitMoved` event of the org context (the only org event these read models follow). */
export const orgMoveOf = (e: RecordedEvent): OrgMove | undefined => {
  if (e.type !== 'OrgUnitMoved') return undefined;
  const d = e.data as { previousPath?: unknown; path?: unknown };
  return typeof d.previousPath === 'string' && typeof d.path === 'string' && d.previousPath !== d.path
    ? { previousPath: d.previousPath, path: d.path }
    : undefined;
};

export const rebase = (path: string, move: OrgMove): string =>
  path.startsWith(move.previousPath) ? move.path + path.slice(move.previousPath.length) : path;

export const rebaseNullable = (path: string | null, move: OrgMove): string | null => (path === null ? null : rebase(path, move));

/**
 * Rewrites a path column by prefix for every stored row under the moved unit, so rows keep
 * answering to the unit's current place in the tree (scope filters read these columns).
 */
export const rebaseColumn = async <E extends ObjectLiteral>(
  em: EntityManager,
  target: EntityTarget<E>,
  property: keyof E & string,
  column: string,
  move: OrgMove,
): Promise<void> => {
  await em
    .createQueryBuilder()
    .update(target)
    .set({ [property]: () => `:newPrefix || substr(${column}, :cut)` } as never)
    .where(`${column} LIKE :oldPrefix ESCAPE '\\'`)
    .setParameters({ newPrefix: move.path, cut: move.previousPath.length + 1, oldPrefix: `${escapeLike(move.previousPath)}%` })
    .execute();
};

/** The parent path of a materialized path (`/a/b/c/` → `/a/b/`). */
export const parentPath = (path: string): string => {
  const ids = path.split('/').filter(Boolean);
  return ids.length <= 1 ? '/' : `/${ids.slice(0, -1).join('/')}/`;
};
