/**
 * Materialized paths: `/` is the whole tree, a unit's path is its parent's path plus `<id>/`.
 * Ids are lowercase (`[a-z0-9][a-z0-9_-]*`), so SQL LIKE prefix matches are exact on SQLite
 * (case-insensitive LIKE) and PostgreSQL alike.
 */
export const ROOT_PATH = '/';
/** Reserved: a token's `orgUnit` claim for operators with scope over the whole tree. */
export const RESERVED_ORG_UNIT_IDS: readonly string[] = ['root'];
export const MAX_ORG_UNIT_ID_LENGTH = 64;
/** Deep enough for province → city → county → street → community → grid, with margin. */
export const MAX_DEPTH = 16;

const ID = /^[a-z0-9][a-z0-9_-]*$/;
const PATH = /^\/([a-z0-9][a-z0-9_-]*\/)*$/;

export const isValidOrgId = (id: unknown): id is string =>
  typeof id === 'string' && id.length <= MAX_ORG_UNIT_ID_LENGTH && ID.test(id) && !RESERVED_ORG_UNIT_IDS.includes(id);

export const isValidPath = (path: unknown): path is string => typeof path === 'string' && PATH.test(path);

export const childPath = (parentPath: string | null, id: string): string => `${parentPath ?? ROOT_PATH}${id}/`;

/** Ids from the root down to the unit itself. */
export const pathIds = (path: string): string[] => path.split('/').filter((s) => s.length > 0);

/** 1 for a top-level unit. */
export const depthOf = (path: string): number => pathIds(path).length;

/** True when `path` is `ancestorPath` itself or lies below it. */
export const isWithin = (path: string, ancestorPath: string): boolean => path.startsWith(ancestorPath);

/** The path a descendant gets when its ancestor moves from `from` to `to`. */
export const rebasePath = (path: string, from: string, to: string): string =>
  isWithin(path, from) ? `${to}${path.slice(from.length)}` : path;

export const parentPathOf = (path: string): string | null => {
  const ids = pathIds(path);
  return ids.length <= 1 ? null : `/${ids.slice(0, -1).join('/')}/`;
};
