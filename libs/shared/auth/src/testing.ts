import type { OrgDirectory } from './org-directory';
import { buildPrincipal, type OrgScope, type Principal } from './principal';
import { Role } from './roles';

/** A fixed, test-only HS256 secret (never used outside tests). */
export const TEST_JWT_SECRET = 'test-only-secret-0123456789abcdef0123456789abcdef';

/** An in-memory OrgDirectory: org unit id → path, user id → extra scopes. */
export class StaticOrgDirectory implements OrgDirectory {
  constructor(
    private readonly paths: Record<string, string> = {},
    private readonly grants: Record<string, readonly OrgScope[]> = {},
  ) {}

  set(orgUnitId: string, path: string | undefined): this {
    if (path === undefined) delete this.paths[orgUnitId];
    else this.paths[orgUnitId] = path;
    return this;
  }

  grant(userId: string, ...scopes: OrgScope[]): this {
    this.grants[userId] = [...(this.grants[userId] ?? []), ...scopes];
    return this;
  }

  async resolvePath(orgUnitId: string): Promise<string | undefined> {
    return this.paths[orgUnitId];
  }

  async grantsOf(userId: string): Promise<readonly OrgScope[]> {
    return this.grants[userId] ?? [];
  }
}

/** A principal acting from `orgUnitPath` (subtree scope) with the given roles. */
export const principalAt = (
  orgUnitPath: string,
  roles: Role[] = [Role.Admin],
  userId = `user-at-${orgUnitPath.split('/').filter(Boolean).pop() ?? 'root'}`,
): Principal => {
  const orgUnitId = orgUnitPath.split('/').filter(Boolean).pop() ?? 'root';
  return buildPrincipal({ userId, roles, orgUnitId, orgUnitPath });
};
