import { Field, Float, ID, InputType, Int } from '@nestjs/graphql';
import { MutationInput } from '@gongzhi/graphql';
import {
  DISPUTE_CATEGORIES,
  DISPUTE_OUTCOMES,
  DISPUTE_STATUSES,
  LIMITATION_INTERRUPTIONS,
  LIMITATION_SUSPENSIONS,
  MEDIATION_COMMITTEE_KINDS,
  type ApplicationForm,
  type AwardKind,
  type ChallengeWindow,
  type DisputeCategory,
  type DisputeOutcome,
  type DisputeStatus,
  type LimitationInterruptionReason,
  type LimitationSuspensionReason,
  type MediationCommitteeKind,
  type Party,
} from '@gongzhi/union-domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  ApplicationFormEnum,
  AwardKindEnum,
  ChallengeWindowEnum,
  DeadlineExpiryEnum,
  DeadlineUnitEnum,
  DisputeCategoryEnum,
  DisputeOutcomeEnum,
  DisputeStatusEnum,
  LimitationInterruptionEnum,
  LimitationSuspensionEnum,
  MediationCommitteeKindEnum,
  PartyEnum,
} from './labor-dispute.types';

const ID_RULE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
const ID_MESSAGE = 'ids are letters, digits, "-" or "_" (at most 128)';
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_MESSAGE = 'dates are YYYY-MM-DD';

@InputType({ isAbstract: true })
abstract class DisputeInput extends MutationInput {
  @Field(() => ID)
  @Matches(ID_RULE, { message: ID_MESSAGE })
  disputeId!: string;
}

@InputType()
export class EmployerInput {
  @Field()
  @IsString()
  @Length(1, 200)
  name!: string;

  @Field({ description: '統一社會信用代碼 (18 characters, checked).' })
  @Matches(/^[0-9A-HJ-NPQRTUWXY]{18}$/, { message: 'creditCode is 18 characters of the GB 32100 alphabet' })
  creditCode!: string;
}

@InputType({ description: 'A worker party: personal data, stored encrypted under the worker’s own key.' })
export class WorkerInput {
  @Field()
  @IsString()
  @Length(1, 100)
  name!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(/^\d{17}[\dXx]$/, { message: 'idNumber is an 18-character resident ID number' })
  idNumber?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(/^1[3-9]\d{9}$/, { message: 'phone is an 11-digit mobile number' })
  phone?: string | null;
}

@InputType()
export class FileLaborDisputeInput extends MutationInput {
  @Field(() => ID, { nullable: true, description: 'Optional; derived from commandId (or generated) when absent.' })
  @IsOptional()
  @Matches(ID_RULE, { message: ID_MESSAGE })
  disputeId?: string;

  @Field(() => ID, { description: 'The union handling the dispute.' })
  @IsString()
  @Length(1, 64)
  orgUnitId!: string;

  @Field(() => DisputeCategoryEnum)
  @IsIn(DISPUTE_CATEGORIES)
  category!: DisputeCategory;

  @Field(() => Float, { description: 'Yuan.' })
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  claimAmount!: number;

  @Field()
  @IsString()
  @Length(1, 2000)
  description!: string;

  @Field(() => EmployerInput)
  @ValidateNested()
  @Type(() => EmployerInput)
  employer!: EmployerInput;

  @Field(() => [WorkerInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => WorkerInput)
  workers!: WorkerInput[];

  @Field(() => Int, { nullable: true, description: 'All workers concerned; defaults to the number listed.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  workersInvolved?: number | null;

  @Field({ description: 'The workers share one claim (Art 7: with ten or more, a group dispute).' })
  @IsBoolean()
  commonClaim!: boolean;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD: when the worker knew or should have known (Art 27 ¶1).' })
  @IsOptional()
  @Matches(DATE, { message: DATE_MESSAGE })
  rightKnownInfringedOn?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Pay owed during the employment (Art 27 ¶4).' })
  @IsOptional()
  @IsBoolean()
  wageArrearsDuringEmployment?: boolean | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' })
  @IsOptional()
  @Matches(DATE, { message: DATE_MESSAGE })
  employmentEndedOn?: string | null;
}

@InputType()
export class TransferLaborDisputeInput extends DisputeInput {
  @Field(() => ID)
  @IsString()
  @Length(1, 64)
  toOrgUnitId!: string;

  @Field()
  @IsString()
  @Length(1, 500)
  reason!: string;
}

@InputType()
export class RecordLimitationInterruptionInput extends DisputeInput {
  @Field(() => LimitationInterruptionEnum)
  @IsIn(LIMITATION_INTERRUPTIONS)
  reason!: LimitationInterruptionReason;

  @Field({ description: 'YYYY-MM-DD' })
  @Matches(DATE, { message: DATE_MESSAGE })
  on!: string;
}

@InputType()
export class RecordLimitationSuspensionInput extends DisputeInput {
  @Field(() => LimitationSuspensionEnum)
  @IsIn(LIMITATION_SUSPENSIONS)
  reason!: LimitationSuspensionReason;

  @Field({ description: 'YYYY-MM-DD' })
  @Matches(DATE, { message: DATE_MESSAGE })
  on!: string;
}

@InputType()
export class RecordLimitationResumptionInput extends DisputeInput {
  @Field({ description: 'YYYY-MM-DD' })
  @Matches(DATE, { message: DATE_MESSAGE })
  on!: string;
}

@InputType()
export class ApplyForMediationInput extends DisputeInput {
  @Field(() => MediationCommitteeKindEnum)
  @IsIn(MEDIATION_COMMITTEE_KINDS)
  committeeKind!: MediationCommitteeKind;

  @Field()
  @IsString()
  @Length(1, 200)
  committeeName!: string;

  @Field(() => ApplicationFormEnum)
  @IsIn(['written', 'oral'])
  form!: ApplicationForm;
}

@InputType()
export class DisputeStepInput extends DisputeInput {}

@InputType()
export class ReasonInput extends DisputeInput {
  @Field()
  @IsString()
  @MaxLength(2000)
  reason!: string;
}

@InputType()
export class SignMediationAgreementInput extends DisputeInput {
  @Field()
  @IsString()
  @Length(1, 4000)
  terms!: string;

  @Field({ description: 'YYYY-MM-DD: the last day to perform.' })
  @Matches(DATE, { message: DATE_MESSAGE })
  performanceDueDate!: string;

  @Field({ description: 'Signed or sealed by both parties (Art 14 ¶2).' })
  @IsBoolean()
  partiesSigned!: boolean;

  @Field()
  @IsBoolean()
  mediatorSigned!: boolean;

  @Field()
  @IsBoolean()
  committeeSealed!: boolean;
}

@InputType()
export class ApplyForArbitrationInput extends DisputeInput {
  @Field()
  @IsString()
  @Length(1, 200)
  commission!: string;
}

@InputType()
export class AcceptArbitrationInput extends DisputeInput {
  @Field()
  @IsString()
  @Length(1, 100)
  caseNumber!: string;
}

@InputType()
export class RejectArbitrationInput extends DisputeInput {
  @Field({ description: 'Written reasons (Art 29).' })
  @IsString()
  @MaxLength(2000)
  reasons!: string;
}

@InputType()
export class ExtendAwardDeadlineInput extends DisputeInput {
  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(366)
  days!: number;

  @Field({ description: 'Who approved (the commission’s chair, Art 43).' })
  @IsString()
  @MaxLength(100)
  approvedBy!: string;

  @Field({ description: 'The parties were notified in writing.' })
  @IsBoolean()
  noticeServed!: boolean;
}

@InputType()
export class IssueArbitralMediationStatementInput extends DisputeInput {
  @Field()
  @IsString()
  @Length(1, 4000)
  terms!: string;

  @Field({ description: 'Both parties signed for it (Art 42).' })
  @IsBoolean()
  partiesSigned!: boolean;
}

@InputType()
export class WithdrawArbitrationInput extends DisputeInput {
  @Field({ description: 'The settlement reached (Art 41).' })
  @IsString()
  @Length(1, 4000)
  settlement!: string;
}

@InputType()
export class IssueAwardInput extends DisputeInput {
  @Field(() => AwardKindEnum)
  @IsIn(['final', 'non-final'])
  kind!: AwardKind;

  @Field()
  @IsString()
  @Length(1, 4000)
  summary!: string;

  @Field(() => Float)
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  awardedAmount!: number;

  @Field(() => String, { nullable: true, description: 'ISO instant the award was served; default now.' })
  @IsOptional()
  @IsISO8601({ strict: true })
  servedAt?: string | null;

  @Field(() => Float, { nullable: true, description: 'For a final pay award: the local monthly minimum wage (Art 47 (1)).' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  localMonthlyMinimumWage?: number | null;
}

@InputType()
export class LapseChallengeWindowInput extends DisputeInput {
  @Field(() => ChallengeWindowEnum)
  @IsIn(['suit', 'set-aside', 'post-set-aside-suit'])
  window!: ChallengeWindow;
}

@InputType()
export class FileLawsuitInput extends DisputeInput {
  @Field(() => PartyEnum)
  @IsIn(['worker', 'employer'])
  party!: Party;

  @Field()
  @IsString()
  @Length(1, 200)
  court!: string;
}

@InputType()
export class CourtInput extends DisputeInput {
  @Field()
  @IsString()
  @Length(1, 200)
  court!: string;
}

@InputType()
export class RecordSetAsideRulingInput extends DisputeInput {
  @Field({ description: 'The court set the award aside.' })
  @IsBoolean()
  setAside!: boolean;
}

@InputType()
export class ApplyForLegalAidInput extends DisputeInput {
  @Field()
  @IsString()
  @Length(1, 200)
  aidOffice!: string;
}

@InputType()
export class DecideLegalAidInput extends DisputeInput {
  @Field()
  @IsBoolean()
  granted!: boolean;

  @Field(() => String, { nullable: true, description: 'Required when refused (written reasons).' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reasons?: string | null;
}

@InputType()
export class AssignLegalAidLawyerInput extends DisputeInput {
  @Field()
  @IsString()
  @Length(1, 100)
  lawyerName!: string;

  @Field()
  @IsString()
  @Length(1, 200)
  lawFirm!: string;
}

@InputType()
export class CloseLaborDisputeInput extends DisputeInput {
  @Field(() => DisputeOutcomeEnum)
  @IsIn(DISPUTE_OUTCOMES)
  outcome!: DisputeOutcome;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string | null;
}

@InputType()
export class LaborDisputeFilter {
  @Field(() => [DisputeStatusEnum], { nullable: true })
  @IsOptional()
  @IsIn(DISPUTE_STATUSES, { each: true })
  status?: DisputeStatus[] | null;

  @Field(() => ID, { nullable: true, description: 'Only this org unit’s subtree.' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  orgUnit?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Group disputes (Art 7) only, or none of them.' })
  @IsOptional()
  @IsBoolean()
  group?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Disputes where an act owed is late (or none is).' })
  @IsOptional()
  @IsBoolean()
  overdue?: boolean | null;

  @Field(() => [DisputeCategoryEnum], { nullable: true })
  @IsOptional()
  @IsIn(DISPUTE_CATEGORIES, { each: true })
  category?: DisputeCategory[] | null;

  @Field(() => InstantRange, { nullable: true, description: 'Filed at or after `from` and before `to`.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => InstantRange)
  filedBetween?: InstantRange | null;
}

@InputType()
export class InstantRange {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string | null;
}

@InputType({ description: 'A new version of a union deadline policy; unset fields are copied from the latest version.' })
export class PublishLaborDisputePolicyInput {
  @Field(() => ID)
  @Matches(/^union\.[a-z0-9.-]+$/, { message: 'union policy ids start with "union."' })
  policyId!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'The legal source of this version.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  source?: string | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3660)
  length?: number | null;

  @Field(() => DeadlineUnitEnum, { nullable: true })
  @IsOptional()
  @IsIn(['d', 'wd', 'h'])
  unit?: 'd' | 'wd' | 'h' | null;

  @Field(() => DeadlineExpiryEnum, { nullable: true })
  @IsOptional()
  @IsIn(['overdue', 'lapse'])
  expiry?: 'overdue' | 'lapse' | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  rollForward?: boolean | null;

  @Field(() => String, { nullable: true, description: 'ISO instant from which new clocks use this version; default now.' })
  @IsOptional()
  @IsISO8601({ strict: true })
  effectiveFrom?: string | null;
}
