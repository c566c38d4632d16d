import type { OrgScope } from './principal';

/**
 * The port through which authentication learns where an org unit sits in the tree. The org
 * library implements it over its read model; tests use `StaticOrgDirectory` (testing entry).
 * Bind it with `{ provide: ORG_DIRECTORY, useExisting: … }`.
 */
export interface OrgDirectory {
  /** Current materialized path of an active org unit; undefined when unknown or retired. */
  resolvePath(orgUnitId: string): Promise<string | undefined>;
  /**
   * Scopes a user holds through staff role assignments (beyond the token's own). Optional: a
   * directory without staff data grants nothing extra.
   */
  grantsOf?(userId: string): Promise<readonly OrgScope[]>;
}

export const ORG_DIRECTORY = Symbol('OrgDirectory');
