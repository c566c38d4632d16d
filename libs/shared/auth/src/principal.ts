import { Role } from './roles';

/**
 * Materialized path of the whole tree. Org unit paths are `/<id>/<child id>/…/` (each id closed
 * by a slash, so `/a/b1/` is never a prefix of `/a/b10/`), and every one of them starts with it.
 */
export const ROOT_PATH = '/';

/**
 * The `orgUnit` claim of a platform operator's token: scope over the whole tree, needed to create
 * the first top-level units. Org unit ids can never take this value (the org domain rejects it).
 */
export const ROOT_ORG_UNIT_ID = 'root';

/** Where a principal may act and read, and with which roles there. */
export interface OrgScope {
  /** Materialized path of the scope's org unit (`/` for the whole tree). */
  readonly path: string;
  /** true: the unit and everything under it; false: rows owned by that unit only. */
  readonly includeDescendants: boolean;
  readonly roles: readonly Role[];
}

/** The authenticated caller, as resolvers and handlers see it. */
export interface Principal {
  readonly userId: string;
  /** Every role the principal holds in any scope. */
  readonly roles: readonly Role[];
  /** The token's `orgUnit` claim. */
  readonly orgUnitId: string;
  /** Its current materialized path (resolved through the OrgDirectory, so moves are honoured). */
  readonly orgUnitPath: string;
  /** The token's own scope first (its org unit's subtree), then role assignments held as staff. */
  readonly scopes: readonly OrgScope[];
}

const unique = <T>(values: Iterable<T>): T[] => [...new Set(values)];

export const buildPrincipal = (input: {
  userId: string;
  roles: readonly Role[];
  orgUnitId: string;
  orgUnitPath: string;
  extraScopes?: readonly OrgScope[];
}): Principal => {
  const own: OrgScope = { path: input.orgUnitPath, includeDescendants: true, roles: unique(input.roles) };
  const scopes = [own, ...(input.extraScopes ?? []).filter((s) => s.roles.length > 0)];
  return {
    userId: input.userId,
    roles: unique(scopes.flatMap((s) => s.roles)),
    orgUnitId: input.orgUnitId,
    orgUnitPath: input.orgUnitPath,
    scopes,
  };
};

/**
 * A principal for trusted in-process callers (the CLI seeding demo data, the deadline ticker):
 * admin over the whole tree. Never built from a request.
 */
export const systemPrincipal = (userId = 'system'): Principal =>
  buildPrincipal({ userId, roles: [Role.Admin], orgUnitId: ROOT_ORG_UNIT_ID, orgUnitPath: ROOT_PATH });
