import type { DeadlineEvent, LocalDate } from '@gongzhi/deadlines-domain';
import type { Event } from '@gongzhi/kernel';
import type {
  ApplicationForm,
  AwardKind,
  ChallengeWindow,
  DisputeCategory,
  DisputeOutcome,
  Employer,
  LimitationBasis,
  LimitationInterruptionReason,
  LimitationSuspensionReason,
  MediationCommittee,
  Party,
  Worker,
} from './labor-dispute.types';

// Filing and responsibility -------------------------------------------------------------------

export type DisputeFiled = Event<
  'DisputeFiled',
  {
    disputeId: string;
    /** The union handling the dispute; its path is the event's `orgUnitPath`. */
    orgUnitId: string;
    category: DisputeCategory;
    /** Yuan, two decimals at most. */
    claimAmount: number;
    description: string;
    employer: Employer;
    workers: Worker[];
    /** All workers concerned, including those not listed by name. */
    workersInvolved: number;
    commonClaim: boolean;
    /** Ten or more workers with a common claim (Art 7). */
    group: boolean;
    filedAt: string;
    limitation: {
      basis: LimitationBasis;
      /** When the period started; null while it does not run (wage arrears during employment). */
      startsAt: string | null;
      /** Filed after the period had run out: allowed, but flagged for the officer (Art 27). */
      expiredAtFiling: boolean;
    };
  }
>;

/** Art 7 group dispute: a signal for officers up the tree (social stability watch). */
export type StabilityWatchRaised = Event<'StabilityWatchRaised', { disputeId: string; workersInvolved: number; raisedAt: string }>;

/** Responsibility moves to another union; the event carries the new unit's path. */
export type DisputeTransferred = Event<
  'DisputeTransferred',
  { disputeId: string; fromOrgUnitId: string; toOrgUnitId: string; reason: string; transferredAt: string }
>;

// Limitation (Art 27) ------------------------------------------------------------------------

export type LimitationInterrupted = Event<'LimitationInterrupted', { disputeId: string; reason: LimitationInterruptionReason; at: string }>;
export type LimitationSuspended = Event<'LimitationSuspended', { disputeId: string; reason: LimitationSuspensionReason; at: string }>;
export type LimitationResumed = Event<'LimitationResumed', { disputeId: string; at: string }>;

// Mediation (Arts 10–16) -----------------------------------------------------------------------

export type MediationApplied = Event<
  'MediationApplied',
  { disputeId: string; committee: MediationCommittee; form: ApplicationForm; appliedAt: string }
>;
export type MediationAccepted = Event<'MediationAccepted', { disputeId: string; acceptedAt: string; windowEndsAt: string }>;
/** The committee did not take the case, or a party refused mediation: arbitration is open. */
export type MediationDeclined = Event<'MediationDeclined', { disputeId: string; reason: string; declinedAt: string }>;
export type MediationAgreementSigned = Event<
  'MediationAgreementSigned',
  { disputeId: string; terms: string; performanceDueDate: LocalDate; signedAt: string }
>;
export type MediationFailed = Event<'MediationFailed', { disputeId: string; reason: string; failedAt: string }>;
/** Issued by the deadline scheduler: 15 days passed without an agreement (Art 14 ¶3). */
export type MediationWindowExpired = Event<'MediationWindowExpired', { disputeId: string; windowEndedAt: string; expiredAt: string }>;
export type AgreementPerformed = Event<'AgreementPerformed', { disputeId: string; performedAt: string }>;
/** The agreed term ran out unperformed: arbitration is open (Art 15). */
export type AgreementNotPerformed = Event<'AgreementNotPerformed', { disputeId: string; recordedAt: string }>;

// Arbitration (Arts 27–51) -----------------------------------------------------------------------

export type ArbitrationApplied = Event<
  'ArbitrationApplied',
  {
    disputeId: string;
    commission: string;
    appliedAt: string;
    acceptanceDueAt: string;
    /** Applied after the limitation period ran out: the commission may reject it (flag only). */
    limitationExpired: boolean;
  }
>;
export type ArbitrationAccepted = Event<
  'ArbitrationAccepted',
  { disputeId: string; caseNumber: string; acceptedAt: string; decidedLate: boolean; awardDueAt: string }
>;
export type ArbitrationNotAccepted = Event<
  'ArbitrationNotAccepted',
  { disputeId: string; reasons: string; decidedAt: string; decidedLate: boolean }
>;
export type AwardDeadlineExtended = Event<
  'AwardDeadlineExtended',
  { disputeId: string; days: number; approvedBy: string; extendedAt: string; awardDueAt: string }
>;
/** Art 42: a mediation statement made by the tribunal, effective once both parties signed for it. */
export type ArbitralMediationStatementIssued = Event<'ArbitralMediationStatementIssued', { disputeId: string; terms: string; issuedAt: string }>;
/** Art 41: the parties settled and the applicant withdrew. */
export type ArbitrationWithdrawn = Event<'ArbitrationWithdrawn', { disputeId: string; settlement: string; withdrawnAt: string }>;
export type AwardIssued = Event<
  'AwardIssued',
  {
    disputeId: string;
    kind: AwardKind;
    summary: string;
    awardedAmount: number;
    issuedAt: string;
    /** When the parties received it: the challenge windows run from here. */
    servedAt: string;
    /** Made before the (possibly extended) deadline of Art 43. */
    onTime: boolean;
    suitWindowEndsAt: string;
    setAsideWindowEndsAt: string | null;
  }
>;
export type AwardBecameEffective = Event<
  'AwardBecameEffective',
  { disputeId: string; effectiveSince: string; basis: 'final-award' | 'no-suit-within-window' }
>;
/** A challenge window ran out unused (issued by the deadline scheduler). */
export type ChallengeWindowLapsed = Event<'ChallengeWindowLapsed', { disputeId: string; window: ChallengeWindow; lapsedAt: string }>;
export type LawsuitFiled = Event<
  'LawsuitFiled',
  {
    disputeId: string;
    party: Party;
    court: string;
    basis: 'not-accepted' | 'acceptance-overdue' | 'award-overdue' | 'award-challenged' | 'award-set-aside';
    filedAt: string;
  }
>;
export type SetAsideApplied = Event<'SetAsideApplied', { disputeId: string; court: string; appliedAt: string }>;
export type SetAsideRuled = Event<'SetAsideRuled', { disputeId: string; setAside: boolean; ruledAt: string }>;
export type EnforcementApplied = Event<
  'EnforcementApplied',
  { disputeId: string; court: string; basis: 'award' | 'mediation-statement'; appliedAt: string }
>;

// Legal aid (法律援助法 Art 43) ---------------------------------------------------------------------

export type LegalAidApplied = Event<'LegalAidApplied', { disputeId: string; aidOffice: string; appliedAt: string }>;
export type LegalAidDecided = Event<
  'LegalAidDecided',
  { disputeId: string; granted: boolean; reasons: string; decidedAt: string; decidedLate: boolean }
>;
export type LegalAidLawyerAssigned = Event<
  'LegalAidLawyerAssigned',
  { disputeId: string; lawyerName: string; lawFirm: string; assignedAt: string; assignedLate: boolean }
>;

// Closing ------------------------------------------------------------------------------------------

export type DisputeClosed = Event<'DisputeClosed', { disputeId: string; outcome: DisputeOutcome; note: string; closedAt: string }>;
export type DisputeReopened = Event<'DisputeReopened', { disputeId: string; reason: string; reopenedAt: string }>;

export type LaborDisputeDomainEvent =
  | DisputeFiled
  | StabilityWatchRaised
  | DisputeTransferred
  | LimitationInterrupted
  | LimitationSuspended
  | LimitationResumed
  | MediationApplied
  | MediationAccepted
  | MediationDeclined
  | MediationAgreementSigned
  | MediationFailed
  | MediationWindowExpired
  | AgreementPerformed
  | AgreementNotPerformed
  | ArbitrationApplied
  | ArbitrationAccepted
  | ArbitrationNotAccepted
  | AwardDeadlineExtended
  | ArbitralMediationStatementIssued
  | ArbitrationWithdrawn
  | AwardIssued
  | AwardBecameEffective
  | ChallengeWindowLapsed
  | LawsuitFiled
  | SetAsideApplied
  | SetAsideRuled
  | EnforcementApplied
  | LegalAidApplied
  | LegalAidDecided
  | LegalAidLawyerAssigned
  | DisputeClosed
  | DisputeReopened;

/** Everything a labor-dispute stream holds: its own events and the clock events beside them. */
export type LaborDisputeEvent = LaborDisputeDomainEvent | DeadlineEvent;

export const LABOR_DISPUTE_EVENT_TYPES: readonly LaborDisputeDomainEvent['type'][] = [
  'DisputeFiled',
  'StabilityWatchRaised',
  'DisputeTransferred',
  'LimitationInterrupted',
  'LimitationSuspended',
  'LimitationResumed',
  'MediationApplied',
  'MediationAccepted',
  'MediationDeclined',
  'MediationAgreementSigned',
  'MediationFailed',
  'MediationWindowExpired',
  'AgreementPerformed',
  'AgreementNotPerformed',
  'ArbitrationApplied',
  'ArbitrationAccepted',
  'ArbitrationNotAccepted',
  'AwardDeadlineExtended',
  'ArbitralMediationStatementIssued',
  'ArbitrationWithdrawn',
  'AwardIssued',
  'AwardBecameEffective',
  'ChallengeWindowLapsed',
  'LawsuitFiled',
  'SetAsideApplied',
  'SetAsideRuled',
  'EnforcementApplied',
  'LegalAidApplied',
  'LegalAidDecided',
  'LegalAidLawyerAssigned',
  'DisputeClosed',
  'DisputeReopened',
];
