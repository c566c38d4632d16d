import type { Event } from '@gongzhi/kernel';

/**
 * Roles a staff member can be assigned. The same strings as the auth library's `Role` enum (a
 * test in the org application library keeps the two lists equal; the domain may not import auth).
 */
export const STAFF_ROLES = ['admin', 'union-officer', 'league-officer', 'community-worker', 'grid-worker', 'analyst'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** 'unit': rows owned by the unit only; 'subtree': the unit and everything under it. */
export type AssignmentScope = 'unit' | 'subtree';

export type StaffRegistered = Event<
  'StaffRegistered',
  { staffId: string; displayName: string; orgUnitId: string; orgUnitPath: string }
>;

export type RoleAssigned = Event<
  'RoleAssigned',
  { staffId: string; assignmentId: string; role: StaffRole; orgUnitId: string; orgUnitPath: string; scope: AssignmentScope }
>;

export type RoleRevoked = Event<'RoleRevoked', { staffId: string; assignmentId: string; role: StaffRole; orgUnitId: string }>;

export type StaffEvent = StaffRegistered | RoleAssigned | RoleRevoked;

export const STAFF_EVENT_TYPES: readonly StaffEvent['type'][] = ['StaffRegistered', 'RoleAssigned', 'RoleRevoked'];
