import type { PersonalValue } from '@gongzhi/kernel';

/**
 * The five kinds of dispute the law covers (勞動爭議調解仲裁法 Art 2):
 * (1) confirming an employment relationship; (2) concluding, performing, changing, ending a labor
 * contract; (3) dismissal, resignation, leaving; (4) hours, rest, social insurance, welfare,
 * training, labor protection; (5) pay, injury medical costs, severance or compensation.
 */
export const DISPUTE_CATEGORIES = [
  'employment-relationship',
  'labor-contract',
  'dismissal-resignation',
  'working-conditions',
  'remuneration',
] as const;
export type DisputeCategory = (typeof DISPUTE_CATEGORIES)[number];

/** A worker is a data subject: name, ID number and phone are personal data, encrypted per subject. */
export interface Worker {
  subjectId: string;
  name: PersonalValue;
  idNumber: PersonalValue | null;
  phone: PersonalValue | null;
}

/** What a command gives for a worker; the decider wraps the values as personal data. */
export interface WorkerInput {
  /** Opaque id of the person (a UUID), chosen by the caller: the key that encrypts their data. */
  subjectId: string;
  name: string;
  idNumber?: string | null;
  phone?: string | null;
}

export interface Employer {
  name: string;
  /** 統一社會信用代碼 (GB 32100-2015), 18 characters with a check character. */
  creditCode: string;
}

/** Art 10: enterprise committee, grassroots people's mediation, township/street labor mediation. */
export const MEDIATION_COMMITTEE_KINDS = ['enterprise', 'grassroots-people', 'township-street'] as const;
export type MediationCommitteeKind = (typeof MEDIATION_COMMITTEE_KINDS)[number];

export interface MediationCommittee {
  kind: MediationCommitteeKind;
  name: string;
}

/** Art 12: a mediation application may be written or oral. */
export type ApplicationForm = 'written' | 'oral';

/** Art 27 ¶2: what interrupts the limitation period. */
export const LIMITATION_INTERRUPTIONS = ['claim-to-other-party', 'request-to-authority', 'other-party-agreed-to-perform'] as const;
export type LimitationInterruptionReason = (typeof LIMITATION_INTERRUPTIONS)[number];

/** Art 27 ¶3: what suspends it. */
export const LIMITATION_SUSPENSIONS = ['force-majeure', 'other-justified-reason'] as const;
export type LimitationSuspensionReason = (typeof LIMITATION_SUSPENSIONS)[number];

/**
 * Where the limitation period starts (Art 27 ¶1 and ¶4): when the worker knew (or should have
 * known) the right was infringed; for pay owed during employment, not at all while the
 * employment lasts, and from its end afterwards.
 */
export type LimitationBasis = 'right-known-infringed' | 'employment-ended' | 'wage-arrears-during-employment';

/** Art 47: final for small pay/compensation claims and labor-standard disputes; otherwise non-final. */
export type AwardKind = 'final' | 'non-final';

export type Party = 'worker' | 'employer';

/** The windows that open when an award is served (Arts 48–50) or set aside (Art 49 ¶2). */
export type ChallengeWindow = 'suit' | 'set-aside' | 'post-set-aside-suit';

/**
 * How a dispute ended, as the union records it. Each outcome needs the case to have reached a
 * matching stage (see `OUTCOME_REQUIRES` in the decider).
 */
export const DISPUTE_OUTCOMES = [
  'settled-by-negotiation',
  'mediation-agreement-performed',
  'arbitral-mediation',
  'award-effective',
  'arbitration-withdrawn',
  'referred-to-court',
  'award-set-aside',
  'abandoned',
] as const;
export type DisputeOutcome = (typeof DISPUTE_OUTCOMES)[number];

export const DISPUTE_STATUSES = [
  'Filed',
  'MediationApplied',
  'Mediating',
  'MediationAgreed',
  'AgreementPerformed',
  'AgreementBreached',
  'MediationFailed',
  'ArbitrationApplied',
  'ArbitrationNotAccepted',
  'Arbitrating',
  'ArbitrationWithdrawn',
  'MediationStatementEffective',
  'Awarded',
  'AwardEffective',
  'SetAsideRequested',
  'AwardSetAside',
  'InLitigation',
  'EnforcementApplied',
  'Closed',
] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];
