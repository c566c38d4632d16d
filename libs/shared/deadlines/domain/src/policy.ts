import { DomainError } from '@gongzhi/kernel';

/** Calendar days, working days (weekends and loaded holidays skipped), or hours. */
export type DeadlineUnit = 'd' | 'wd' | 'h';
export const DEADLINE_UNITS: readonly DeadlineUnit[] = ['d', 'wd', 'h'];

/**
 * What the end of a clock means:
 * - 'overdue': someone owes an act by then (a decision, an award); past the due date the clock
 *   stays open and read models show it overdue until the act stops it;
 * - 'lapse': a window or a period simply runs out (a time to sue, the limitation period); past the
 *   due date it is expired, not overdue, and a caller-registered command may record that.
 */
export type DeadlineExpiry = 'overdue' | 'lapse';

export interface DeadlineExtensionRule {
  /** How often a clock under this policy may be extended. */
  maxTimes: number;
  /** The longest single extension, in `unit`. */
  maxLength: number;
  unit: DeadlineUnit;
  /** An extension names who approved it (e.g. the arbitration commission's chair, Art 43). */
  requiresApproval: boolean;
}

/**
 * A deadline rule as data (DOMAIN.md "Deadlines are data"): stored in a versioned table, seeded
 * with the national rules and changed without code by publishing a new version. A clock records
 * the policy id, version and source it was started under, so a later change never rewrites the
 * history of a running case.
 */
export interface DeadlinePolicy {
  policyId: string;
  version: number;
  title: string;
  /** The legal source, cited as a reader would look it up. */
  source: string;
  length: number;
  unit: DeadlineUnit;
  expiry: DeadlineExpiry;
  extension: DeadlineExtensionRule | null;
  /**
   * When the last day of a day-counted period is not a working day, the period ends on the next
   * working day (民事訴訟法 Art 85 ¶2 for court periods). Off unless the local rule says so.
   */
  rollForward: boolean;
  /** ISO instant from which this version applies to newly started clocks. */
  effectiveFrom: string;
}

export class InvalidDeadlinePolicy extends DomainError {
  readonly code = 'DEADLINE.INVALID_POLICY';
}

export class DeadlinePolicyNotFound extends DomainError {
  readonly code = 'DEADLINE.POLICY_NOT_FOUND';
  constructor(policyId: string) {
    super(`No deadline policy ${policyId} is in effect`, { policyId });
  }
}

const POLICY_ID = /^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$/;

/** Reasons a policy cannot be stored, or an empty list. */
export const policyProblems = (p: Partial<DeadlinePolicy>): string[] => {
  const problems: string[] = [];
  if (typeof p.policyId !== 'string' || !POLICY_ID.test(p.policyId)) problems.push('policyId must be dotted kebab-case, e.g. union.labor-dispute.award');
  if (!Number.isInteger(p.version) || (p.version as number) < 1) problems.push('version must be an integer ≥ 1');
  if (typeof p.title !== 'string' || p.title.trim() === '') problems.push('title is required');
  if (typeof p.source !== 'string' || p.source.trim() === '') problems.push('source (the legal basis) is required');
  if (!Number.isInteger(p.length) || (p.length as number) < 0) problems.push('length must be a whole number ≥ 0');
  if (!DEADLINE_UNITS.includes(p.unit as DeadlineUnit)) problems.push(`unit must be one of ${DEADLINE_UNITS.join(', ')}`);
  if (p.expiry !== 'overdue' && p.expiry !== 'lapse') problems.push('expiry must be overdue or lapse');
  if (typeof p.rollForward !== 'boolean') problems.push('rollForward must be true or false');
  if (typeof p.effectiveFrom !== 'string' || Number.isNaN(Date.parse(p.effectiveFrom))) problems.push('effectiveFrom must be an ISO instant');
  const x = p.extension;
  if (x !== null && x !== undefined) {
    if (!Number.isInteger(x.maxTimes) || x.maxTimes < 1) problems.push('extension.maxTimes must be an integer ≥ 1');
    if (!Number.isInteger(x.maxLength) || x.maxLength < 1) problems.push('extension.maxLength must be an integer ≥ 1');
    if (!DEADLINE_UNITS.includes(x.unit)) problems.push(`extension.unit must be one of ${DEADLINE_UNITS.join(', ')}`);
    if (typeof x.requiresApproval !== 'boolean') problems.push('extension.requiresApproval must be true or false');
  } else if (x === undefined) {
    problems.push('extension must be given (null when the period cannot be extended)');
  }
  return problems;
};

export const assertValidPolicy = (p: DeadlinePolicy): DeadlinePolicy => {
  const problems = policyProblems(p);
  if (problems.length > 0) throw new InvalidDeadlinePolicy(`Invalid deadline policy: ${problems.join('; ')}`, { policyId: p.policyId });
  return p;
};

/** The version in effect at `at`: the highest version whose `effectiveFrom` is not after it. */
export const policyInEffect = (versions: Iterable<DeadlinePolicy>, policyId: string, at: string): DeadlinePolicy | undefined => {
  const atMs = Date.parse(at);
  let best: DeadlinePolicy | undefined;
  for (const v of versions) {
    if (v.policyId !== policyId || Date.parse(v.effectiveFrom) > atMs) continue;
    if (!best || v.version > best.version) best = v;
  }
  return best;
};
