import type { Event } from '@gongzhi/kernel';

/**
 * Roles a staff member can be assigned. The same strings as the auth library's `Role` enum (a
 * test in the org application library keeps the two lists equal; the domain may not import auth).
 */
export const STAFF_ROLES = ['admin', 'union-officer', 'league-officer', 'community-worker', 'grid-worker', 'analyst'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** 'unit': rows owned by the unit only; 'subtree': the unit and everything under it. */
export type AssignmentScope = 'unit' | 'subtree';

/**
 * `displayName` stays in clear, by decision (not oversight): it is a work identity, the name an
 * officer acts under, not a private attribute of theirs.
 * - Official acts must stay attributable for as long as the case files are kept (archives
 *   retention): crypto-shredding an officer's name would erase who handled a case, and the staff
 *   id (clear in every event's metadata as the actor) identifies them anyway.
 * - Officers' names are shown to the people they serve (grid workers are posted publicly) and to
 *   colleagues in scope; masking them behind an audited unmask would make the directory unusable
 *   and flood the audit log with reads of non-sensitive values, burying the sensitive ones.
 * So nothing private may ride along: the decider refuses display names carrying a phone or ID
 * number (and the privacy transformer refuses such digits in any clear field at append). A
 * staff member's private details, if ever held, go into fields marked with `personalData`.
 */
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
