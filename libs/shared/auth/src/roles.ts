/**
 * Roles a token (or a staff role assignment) may carry. The string values are what travels in
 * the JWT `roles` claim and in `RoleAssigned` events, so they never change.
 */
export enum Role {
  Admin = 'admin',
  UnionOfficer = 'union-officer',
  LeagueOfficer = 'league-officer',
  CommunityWorker = 'community-worker',
  GridWorker = 'grid-worker',
  Analyst = 'analyst',
}

export const ALL_ROLES: readonly Role[] = Object.values(Role);

export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ALL_ROLES as readonly string[]).includes(value);

/**
 * What a role allows. Command families are named after the context that owns the commands, so a
 * new context adds its family here and nowhere else.
 */
export enum Permission {
  /** Read read models and stream history inside one's scope. */
  Read = 'read',
  /** Create, rename, move and retire org units. */
  OrgWrite = 'org:write',
  /** Register staff, assign and revoke roles. */
  StaffWrite = 'staff:write',
  UnionWrite = 'union:write',
  LeagueWrite = 'league:write',
  CommunityWrite = 'community:write',
  /** Grid reports and incident intake: the subset of community work a grid worker does. */
  GridWrite = 'grid:write',
  /** Dashboards, KPIs, rankings, exports. */
  AnalyticsRead = 'analytics:read',
  /** See personal data in clear (RELIABILITY.md P-4); without it fields are masked. */
  PersonalDataUnmask = 'personal-data:unmask',
  /** Rebuild projections, verify hash chains. */
  Operate = 'operate',
}

/**
 * The permission map. Analysts read everything in scope but only masked (DESIGN.md "Security and
 * personal data"); officers unmask the people their own work concerns.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  [Role.Admin]: Object.values(Permission),
  [Role.UnionOfficer]: [Permission.Read, Permission.UnionWrite, Permission.AnalyticsRead, Permission.PersonalDataUnmask],
  [Role.LeagueOfficer]: [Permission.Read, Permission.LeagueWrite, Permission.AnalyticsRead, Permission.PersonalDataUnmask],
  [Role.CommunityWorker]: [
    Permission.Read,
    Permission.CommunityWrite,
    Permission.GridWrite,
    Permission.AnalyticsRead,
    Permission.PersonalDataUnmask,
  ],
  [Role.GridWorker]: [Permission.Read, Permission.GridWrite, Permission.PersonalDataUnmask],
  [Role.Analyst]: [Permission.Read, Permission.AnalyticsRead],
};

export const rolesGrant = (roles: readonly Role[], permission: Permission): boolean =>
  roles.some((role) => ROLE_PERMISSIONS[role]?.includes(permission));
