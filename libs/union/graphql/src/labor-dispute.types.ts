import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DEADLINE_UNITS } from '@gongzhi/deadlines-domain';
import { Connection, DateTimeScalar } from '@gongzhi/graphql';
import {
  DISPUTE_CATEGORIES,
  DISPUTE_OUTCOMES,
  DISPUTE_STATUSES,
  LIMITATION_INTERRUPTIONS,
  LIMITATION_SUSPENSIONS,
  MEDIATION_COMMITTEE_KINDS,
} from '@gongzhi/union-domain';

/** GraphQL enum keys for domain values: 'pay-and-x' → PAY_AND_X, 'MediationApplied' → MEDIATION_APPLIED. */
export const enumKey = (value: string): string =>
  value
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/-/g, '_')
    .toUpperCase();

const enumOf = <T extends string>(values: readonly T[], name: string, description: string): Record<string, T> => {
  const e = Object.fromEntries(values.map((v) => [enumKey(v), v])) as Record<string, T>;
  registerEnumType(e, { name, description });
  return e;
};

export const DisputeCategoryEnum = enumOf(DISPUTE_CATEGORIES, 'LaborDisputeCategory', 'The kinds of labor dispute (勞動爭議調解仲裁法 Art 2).');
export const DisputeStatusEnum = enumOf(DISPUTE_STATUSES, 'LaborDisputeStatus', 'Where a labor dispute stands.');
export const DisputeOutcomeEnum = enumOf(DISPUTE_OUTCOMES, 'LaborDisputeOutcome', 'How a closed dispute ended.');
export const MediationCommitteeKindEnum = enumOf(
  MEDIATION_COMMITTEE_KINDS,
  'MediationCommitteeKind',
  'Enterprise committee, grassroots people’s mediation, township/street labor mediation (Art 10).',
);
export const ApplicationFormEnum = enumOf(['written', 'oral'] as const, 'ApplicationForm', 'Art 12: written or oral.');
export const LimitationInterruptionEnum = enumOf(LIMITATION_INTERRUPTIONS, 'LimitationInterruptionReason', 'Art 27 ¶2.');
export const LimitationSuspensionEnum = enumOf(LIMITATION_SUSPENSIONS, 'LimitationSuspensionReason', 'Art 27 ¶3.');
export const AwardKindEnum = enumOf(['final', 'non-final'] as const, 'AwardKind', 'Art 47: final for small pay claims and labor standards.');
export const PartyEnum = enumOf(['worker', 'employer'] as const, 'DisputeParty', 'A party to the dispute.');
export const ChallengeWindowEnum = enumOf(['suit', 'set-aside', 'post-set-aside-suit'] as const, 'ChallengeWindow', 'Arts 48–50.');
export const DeadlineUnitEnum = enumOf(DEADLINE_UNITS, 'DeadlineUnit', 'D: calendar days, WD: working days, H: hours.');
export const DeadlineExpiryEnum = enumOf(['overdue', 'lapse'] as const, 'DeadlineExpiry', 'OVERDUE: an act is owed by the due date; LAPSE: a window or period runs out.');

@ObjectType('DeadlineExtensionRule')
export class DeadlineExtensionRuleType {
  @Field(() => Int) maxTimes!: number;
  @Field(() => Int) maxLength!: number;
  @Field(() => DeadlineUnitEnum) unit!: string;
  @Field() requiresApproval!: boolean;
}

@ObjectType({ description: 'One version of a deadline rule, as stored in the policy table.' })
export class DeadlinePolicy {
  @Field(() => ID) policyId!: string;
  @Field(() => Int) version!: number;
  @Field() title!: string;
  @Field({ description: 'The legal source.' }) source!: string;
  @Field(() => Int) length!: number;
  @Field(() => DeadlineUnitEnum) unit!: string;
  @Field(() => DeadlineExpiryEnum) expiry!: string;
  @Field(() => DeadlineExtensionRuleType, { nullable: true }) extension!: DeadlineExtensionRuleType | null;
  @Field() rollForward!: boolean;
  @Field(() => DateTimeScalar) effectiveFrom!: string;
  @Field() publishedBy!: string;
  @Field(() => DateTimeScalar) publishedAt!: string;
}

@ObjectType()
export class DeadlinePause {
  @Field(() => DateTimeScalar) from!: string;
  @Field(() => DateTimeScalar, { nullable: true }) to!: string | null;
  @Field() reason!: string;
}

@ObjectType()
export class DeadlineExtension {
  @Field(() => DateTimeScalar) at!: string;
  @Field(() => Int) length!: number;
  @Field(() => DeadlineUnitEnum) unit!: string;
  @Field(() => String, { nullable: true }) approvedBy!: string | null;
  @Field() reason!: string;
  @Field(() => DateTimeScalar) dueAt!: string;
}

@ObjectType({ description: 'A legal clock of the dispute, with the policy version it runs under.' })
export class DeadlineClock {
  @Field(() => ID) clockId!: string;
  @Field() policyId!: string;
  @Field(() => Int) version!: number;
  @Field() source!: string;
  @Field(() => Int) length!: number;
  @Field(() => DeadlineUnitEnum) unit!: string;
  @Field(() => DeadlineExpiryEnum) expiry!: string;
  @Field() calendarId!: string;
  @Field(() => DateTimeScalar) startedAt!: string;
  @Field(() => DateTimeScalar, { description: 'The instant the period has run out (midnight in China after the last day).' }) dueAt!: string;
  @Field() status!: string;
  @Field({ description: 'An act owed by this clock is late (only OVERDUE clocks become overdue).' }) overdue!: boolean;
  @Field(() => [DeadlinePause]) pauses!: DeadlinePause[];
  @Field(() => [DeadlineExtension]) extensions!: DeadlineExtension[];
}

@ObjectType({ description: 'A labor dispute in a list.' })
export class LaborDisputeSummary {
  @Field(() => ID) id!: string;
  @Field(() => ID) orgUnitId!: string;
  @Field() orgUnitPath!: string;
  @Field(() => DisputeStatusEnum) status!: string;
  @Field(() => DisputeCategoryEnum) category!: string;
  @Field({ description: 'Ten or more workers with a common claim (Art 7).' }) group!: boolean;
  @Field({ description: 'Officers up the tree watch it for social stability.' }) stabilityWatch!: boolean;
  @Field(() => Int) workersInvolved!: number;
  @Field(() => Float) claimAmount!: number;
  @Field() employerName!: string;
  @Field(() => DateTimeScalar) filedAt!: string;
  @Field(() => DateTimeScalar, { nullable: true }) closedAt!: string | null;
  @Field(() => DisputeOutcomeEnum, { nullable: true }) outcome!: string | null;
  @Field() limitationExpiredAtFiling!: boolean;
  @Field(() => DateTimeScalar, { nullable: true }) limitationDueAt!: string | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'The earliest due date of an act owed.' }) nextDueAt!: string | null;
  @Field(() => String, { nullable: true }) nextDueClock!: string | null;
  @Field({ description: 'An act owed is late now.' }) overdue!: boolean;
  @Field(() => Int) revision!: number;
}

@ObjectType()
export class LaborDisputeConnection extends Connection(LaborDisputeSummary) {}

@ObjectType()
export class Employer {
  @Field() name!: string;
  @Field({ description: '統一社會信用代碼' }) creditCode!: string;
}

/** A worker as the resolver holds it: the stored personal values and the record's scope. */
export interface WorkerSource {
  subjectId: string;
  name: unknown;
  idNumber: unknown;
  phone: unknown;
  disputeId: string;
  orgUnitPath: string;
}

@ObjectType({ description: 'A worker party. Personal fields are masked unless the caller may see them (each unmasked read is audited).' })
export class DisputeWorker {
  @Field(() => ID) subjectId!: string;
}

@ObjectType()
export class ResponsibleOrgUnit {
  @Field(() => ID) id!: string;
  @Field() path!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
}

@ObjectType()
export class LimitationInfo {
  @Field() basis!: string;
  @Field() expiredAtFiling!: boolean;
  @Field() suspended!: boolean;
  @Field(() => DateTimeScalar, { nullable: true }) dueAt!: string | null;
  @Field({ description: 'The period has run out at the time of the answer.' }) expired!: boolean;
}

@ObjectType()
export class MediationAgreement {
  @Field() terms!: string;
  @Field({ description: 'YYYY-MM-DD' }) performanceDueDate!: string;
  @Field(() => DateTimeScalar) signedAt!: string;
}

@ObjectType()
export class MediationInfo {
  @Field(() => MediationCommitteeKindEnum) committeeKind!: string;
  @Field() committeeName!: string;
  @Field(() => ApplicationFormEnum) form!: string;
  @Field(() => DateTimeScalar) appliedAt!: string;
  @Field(() => DateTimeScalar, { nullable: true }) acceptedAt!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) windowEndsAt!: string | null;
  @Field(() => MediationAgreement, { nullable: true }) agreement!: MediationAgreement | null;
  @Field(() => String, { nullable: true }) outcome!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) endedAt!: string | null;
}

@ObjectType()
export class ArbitrationInfo {
  @Field() commission!: string;
  @Field(() => DateTimeScalar) appliedAt!: string;
  @Field(() => DateTimeScalar) acceptanceDueAt!: string;
  @Field() limitationExpired!: boolean;
  @Field(() => String, { nullable: true }) caseNumber!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) acceptedAt!: string | null;
  @Field(() => Boolean, { nullable: true }) decidedLate!: boolean | null;
  @Field(() => DateTimeScalar, { nullable: true }) awardDueAt!: string | null;
  @Field() extended!: boolean;
  @Field(() => String, { nullable: true }) notAcceptedReasons!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) endedAt!: string | null;
}

@ObjectType()
export class AwardInfo {
  @Field(() => AwardKindEnum) kind!: string;
  @Field() summary!: string;
  @Field(() => Float) awardedAmount!: number;
  @Field(() => DateTimeScalar) issuedAt!: string;
  @Field(() => DateTimeScalar) servedAt!: string;
  @Field() onTime!: boolean;
  @Field(() => DateTimeScalar) suitWindowEndsAt!: string;
  @Field(() => DateTimeScalar, { nullable: true }) setAsideWindowEndsAt!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) effectiveSince!: string | null;
  @Field(() => Boolean, { nullable: true }) setAside!: boolean | null;
}

@ObjectType()
export class MediationStatementInfo {
  @Field() terms!: string;
  @Field(() => DateTimeScalar) issuedAt!: string;
}

@ObjectType()
export class LitigationInfo {
  @Field(() => PartyEnum) party!: string;
  @Field() court!: string;
  @Field() basis!: string;
  @Field(() => DateTimeScalar) filedAt!: string;
}

@ObjectType()
export class EnforcementInfo {
  @Field() court!: string;
  @Field() basis!: string;
  @Field(() => DateTimeScalar) appliedAt!: string;
}

@ObjectType()
export class LegalAidInfo {
  @Field() status!: string;
  @Field() aidOffice!: string;
  @Field(() => DateTimeScalar) appliedAt!: string;
  @Field(() => DateTimeScalar, { nullable: true }) decidedAt!: string | null;
  @Field(() => Boolean, { nullable: true }) decidedLate!: boolean | null;
  @Field(() => String, { nullable: true }) reasons!: string | null;
  @Field(() => String, { nullable: true }) lawyerName!: string | null;
  @Field(() => String, { nullable: true }) lawFirm!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) assignedAt!: string | null;
}

@ObjectType()
export class ClosingInfo {
  @Field(() => DisputeOutcomeEnum) outcome!: string;
  @Field() note!: string;
  @Field(() => DateTimeScalar) closedAt!: string;
}

@ObjectType()
export class TransferInfo {
  @Field(() => ID) fromOrgUnitId!: string;
  @Field(() => ID) toOrgUnitId!: string;
  @Field() reason!: string;
  @Field(() => DateTimeScalar) at!: string;
}

@ObjectType({ description: 'A labor dispute as folded from its events, now or as of an instant.' })
export class LaborDispute {
  @Field(() => ID) id!: string;
  @Field(() => Int, { description: 'Stream revision of this view; send it as expectedRevision.' }) revision!: number;
  @Field(() => DateTimeScalar, { description: 'The instant this answer describes.' }) at!: string;
  @Field(() => DateTimeScalar, { nullable: true }) asOf!: string | null;
  @Field(() => DisputeStatusEnum) status!: string;
  @Field(() => ResponsibleOrgUnit, { description: 'The union responsible at that instant.' }) responsibleOrgUnit!: ResponsibleOrgUnit;
  @Field(() => DisputeCategoryEnum) category!: string;
  @Field(() => Float) claimAmount!: number;
  @Field() description!: string;
  @Field(() => Employer) employer!: Employer;
  @Field(() => [DisputeWorker]) workers!: WorkerSource[];
  @Field(() => Int) workersInvolved!: number;
  @Field() commonClaim!: boolean;
  @Field() group!: boolean;
  @Field() stabilityWatch!: boolean;
  @Field(() => DateTimeScalar) filedAt!: string;
  @Field(() => LimitationInfo) limitation!: LimitationInfo;
  @Field(() => MediationInfo, { nullable: true }) mediation!: MediationInfo | null;
  @Field(() => ArbitrationInfo, { nullable: true }) arbitration!: ArbitrationInfo | null;
  @Field(() => MediationStatementInfo, { nullable: true }) mediationStatement!: MediationStatementInfo | null;
  @Field(() => AwardInfo, { nullable: true }) award!: AwardInfo | null;
  @Field(() => LitigationInfo, { nullable: true }) litigation!: LitigationInfo | null;
  @Field(() => EnforcementInfo, { nullable: true }) enforcement!: EnforcementInfo | null;
  @Field(() => LegalAidInfo, { nullable: true }) legalAid!: LegalAidInfo | null;
  @Field(() => ClosingInfo, { nullable: true }) closing!: ClosingInfo | null;
  @Field(() => [TransferInfo]) transfers!: TransferInfo[];
  @Field(() => Int) reopenings!: number;
  @Field(() => [DeadlineClock], { description: 'Open clocks, earliest due first, each with its policy version.' }) openClocks!: DeadlineClock[];
  @Field(() => DateTimeScalar) updatedAt!: string;
}

@ObjectType({ description: 'Labor-dispute KPIs of a subtree for one month (China time).' })
export class LaborDisputeMonthlyKpis {
  @Field() month!: string;
  @Field(() => Int) filed!: number;
  @Field(() => Int) groupDisputes!: number;
  @Field(() => Int) mediatedSuccessfully!: number;
  @Field(() => Int, { description: 'Mediations that ended with or without an agreement.' }) mediationsConcluded!: number;
  @Field(() => Float, { nullable: true }) mediationSuccessRate!: number | null;
  @Field(() => Int) awardsIssued!: number;
  @Field(() => Int) awardsOnTime!: number;
  @Field(() => Float, { nullable: true }) onTimeAwardRate!: number | null;
  @Field(() => Int) closed!: number;
  @Field(() => Float, { nullable: true }) averageDaysToClose!: number | null;
}
