import type { LocalDate } from '@gongzhi/deadlines-domain';
import type { Command } from '@gongzhi/kernel';
import type {
  ApplicationForm,
  AwardKind,
  ChallengeWindow,
  DisputeCategory,
  DisputeOutcome,
  Employer,
  LimitationInterruptionReason,
  LimitationSuspensionReason,
  MediationCommittee,
  Party,
  WorkerInput,
} from './labor-dispute.types';

type On<T extends string, D extends object = object> = Command<T, { disputeId: string } & D>;

export type FileDispute = On<
  'FileDispute',
  {
    orgUnitId: string;
    category: DisputeCategory;
    claimAmount: number;
    description: string;
    employer: Employer;
    workers: WorkerInput[];
    /** Defaults to the number of workers listed. */
    workersInvolved?: number;
    /** The workers share one claim (with ≥10 workers: a group dispute, Art 7). */
    commonClaim: boolean;
    /** The day the worker knew or should have known of the infringement (Art 27 ¶1). */
    rightKnownInfringedOn?: LocalDate | null;
    /** Pay owed during the employment (Art 27 ¶4): no limitation while it lasts. */
    wageArrearsDuringEmployment?: boolean;
    employmentEndedOn?: LocalDate | null;
  }
>;
export type TransferDispute = On<'TransferDispute', { toOrgUnitId: string; reason: string }>;

export type RecordLimitationInterruption = On<'RecordLimitationInterruption', { reason: LimitationInterruptionReason; on: LocalDate }>;
export type RecordLimitationSuspension = On<'RecordLimitationSuspension', { reason: LimitationSuspensionReason; on: LocalDate }>;
export type RecordLimitationResumption = On<'RecordLimitationResumption', { on: LocalDate }>;

export type ApplyForMediation = On<'ApplyForMediation', { committee: MediationCommittee; form: ApplicationForm }>;
export type AcceptMediation = On<'AcceptMediation'>;
export type DeclineMediation = On<'DeclineMediation', { reason: string }>;
export type SignMediationAgreement = On<
  'SignMediationAgreement',
  {
    terms: string;
    performanceDueDate: LocalDate;
    /** Art 14 ¶2: signed or sealed by both parties, signed by the mediator, sealed by the committee. */
    partiesSigned: boolean;
    mediatorSigned: boolean;
    committeeSealed: boolean;
  }
>;
export type RecordMediationFailure = On<'RecordMediationFailure', { reason: string }>;
/** Sent by the deadline scheduler when the mediation window's clock is due. */
export type ExpireMediationWindow = On<'ExpireMediationWindow'>;
export type RecordAgreementPerformed = On<'RecordAgreementPerformed'>;
export type RecordAgreementNotPerformed = On<'RecordAgreementNotPerformed'>;

export type ApplyForArbitration = On<'ApplyForArbitration', { commission: string }>;
export type AcceptArbitration = On<'AcceptArbitration', { caseNumber: string }>;
export type RejectArbitration = On<'RejectArbitration', { reasons: string }>;
export type ExtendAwardDeadline = On<'ExtendAwardDeadline', { days: number; approvedBy: string; noticeServed: boolean }>;
export type IssueArbitralMediationStatement = On<'IssueArbitralMediationStatement', { terms: string; partiesSigned: boolean }>;
export type WithdrawArbitration = On<'WithdrawArbitration', { settlement: string }>;
export type IssueAward = On<
  'IssueAward',
  {
    kind: AwardKind;
    summary: string;
    awardedAmount: number;
    /** Defaults to now (served when made). */
    servedAt?: string | null;
    /** For a final pay/compensation award: the local monthly minimum wage (Art 47 (1)). */
    localMonthlyMinimumWage?: number | null;
  }
>;
/** Sent by the deadline scheduler when a challenge window's clock is due. */
export type LapseChallengeWindow = On<'LapseChallengeWindow', { window: ChallengeWindow }>;
export type FileLawsuit = On<'FileLawsuit', { party: Party; court: string }>;
export type ApplyToSetAsideAward = On<'ApplyToSetAsideAward', { court: string }>;
export type RecordSetAsideRuling = On<'RecordSetAsideRuling', { setAside: boolean }>;
export type ApplyForEnforcement = On<'ApplyForEnforcement', { court: string }>;

export type ApplyForLegalAid = On<'ApplyForLegalAid', { aidOffice: string }>;
export type DecideLegalAid = On<'DecideLegalAid', { granted: boolean; reasons?: string | null }>;
export type AssignLegalAidLawyer = On<'AssignLegalAidLawyer', { lawyerName: string; lawFirm: string }>;

export type CloseDispute = On<'CloseDispute', { outcome: DisputeOutcome; note?: string | null }>;
export type ReopenDispute = On<'ReopenDispute', { reason: string }>;

export type LaborDisputeCommand =
  | FileDispute
  | TransferDispute
  | RecordLimitationInterruption
  | RecordLimitationSuspension
  | RecordLimitationResumption
  | ApplyForMediation
  | AcceptMediation
  | DeclineMediation
  | SignMediationAgreement
  | RecordMediationFailure
  | ExpireMediationWindow
  | RecordAgreementPerformed
  | RecordAgreementNotPerformed
  | ApplyForArbitration
  | AcceptArbitration
  | RejectArbitration
  | ExtendAwardDeadline
  | IssueArbitralMediationStatement
  | WithdrawArbitration
  | IssueAward
  | LapseChallengeWindow
  | FileLawsuit
  | ApplyToSetAsideAward
  | RecordSetAsideRuling
  | ApplyForEnforcement
  | ApplyForLegalAid
  | DecideLegalAid
  | AssignLegalAidLawyer
  | CloseDispute
  | ReopenDispute;

export type LaborDisputeCommandType = LaborDisputeCommand['type'];
