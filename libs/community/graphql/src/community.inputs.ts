import { Field, Float, ID, InputType, Int } from '@nestjs/graphql';
import {
  EVALUATION_GRADES,
  HOTLINE_MATTER_TYPES,
  INCIDENT_CHANNELS,
  INCIDENT_STATUSES,
  REPLY_OUTCOMES,
  SATISFACTION_LEVELS,
  SUPERVISION_LEVELS,
  SUPERVISION_REASONS,
  VOID_REASONS,
} from '@gongzhi/community-domain';
import { DEADLINE_UNITS } from '@gongzhi/deadlines-domain';
import { MutationInput } from '@gongzhi/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import {
  DeadlineUnitEnum,
  EvaluationGradeEnum,
  HotlineMatterTypeEnum,
  IncidentChannelEnum,
  IncidentStatusEnum,
  ObjectionOutcomeEnum,
  ReplyOutcomeEnum,
  SatisfactionEnum,
  SupervisionLevelEnum,
  SupervisionReasonEnum,
  VoidReasonEnum,
} from './community.types';

/** The domain's rules for ids, checked here too so bad input is BAD_USER_INPUT before any I/O. */
const ORG_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const ORG_ID_MESSAGE = 'org unit ids are 1 to 64 lowercase letters, digits, "-" or "_"';
const AGGREGATE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
const INCIDENT_ID_MESSAGE = 'incident ids are letters, digits, "-" or "_"';

@InputType({ isAbstract: true })
abstract class IncidentStepInput extends MutationInput {
  @Field(() => ID)
  @Matches(AGGREGATE_ID, { message: INCIDENT_ID_MESSAGE })
  incidentId!: string;
}

@InputType('IncidentLocationInput')
export class LocationInput {
  @Field()
  @IsString()
  @MaxLength(300)
  address!: string;

  @Field(() => Float, { nullable: true })
  @IsOptional()
  @IsNumber()
  @Min(-90)
  @Max(90)
  latitude?: number | null;

  @Field(() => Float, { nullable: true })
  @IsOptional()
  @IsNumber()
  @Min(-180)
  @Max(180)
  longitude?: number | null;
}

@InputType('IncidentReporterInput', { description: 'The reporter’s or caller’s contact: personal data, encrypted before it is stored.' })
export class ReporterInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  name?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(/^[+\d\s()-]{5,20}$/, { message: 'phone is a phone number' })
  phone?: string | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  confidential?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  wantsReply?: boolean | null;
}

const photoRefs = () =>
  function (target: object, key: string) {
    Field(() => [String], { nullable: true, description: 'Storage keys or URLs of photos (at most 20).' })(target, key);
    IsOptional()(target, key);
    IsArray()(target, key);
    ArrayMaxSize(20)(target, key);
    IsString({ each: true })(target, key);
  };

// Grids ---------------------------------------------------------------------------------------

@InputType()
export class DefineGridInput extends MutationInput {
  @Field(() => ID, { nullable: true, description: 'The grid’s org unit id; derived from commandId (or generated) when absent.' })
  @IsOptional()
  @Matches(ORG_ID, { message: ORG_ID_MESSAGE })
  gridId?: string | null;

  @Field(() => ID)
  @Matches(ORG_ID, { message: ORG_ID_MESSAGE })
  communityId!: string;

  @Field()
  @IsString()
  @MaxLength(100)
  name!: string;

  @Field()
  @IsString()
  @MaxLength(500)
  area!: string;

  @Field(() => ID)
  @Matches(ORG_ID, { message: ORG_ID_MESSAGE })
  workerStaffId!: string;

  @Field()
  @IsString()
  @MaxLength(30)
  supervisionPhone!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, { message: 'code is 1 to 32 letters, digits, ".", "_" or "-"' })
  code?: string | null;
}

@InputType()
export class ReassignGridWorkerInput extends MutationInput {
  @Field(() => ID) @Matches(ORG_ID, { message: ORG_ID_MESSAGE }) gridId!: string;
  @Field(() => ID) @Matches(ORG_ID, { message: ORG_ID_MESSAGE }) workerStaffId!: string;
  @Field() @IsString() @MaxLength(500) reason!: string;
}

@InputType()
export class RetireGridInput extends MutationInput {
  @Field(() => ID) @Matches(ORG_ID, { message: ORG_ID_MESSAGE }) gridId!: string;
  @Field() @IsString() @MaxLength(500) reason!: string;
}

// Intake --------------------------------------------------------------------------------------

@InputType()
export class ReportIncidentInput extends MutationInput {
  @Field(() => ID, { nullable: true, description: 'Derived from commandId (or generated) when absent.' })
  @IsOptional()
  @Matches(AGGREGATE_ID, { message: INCIDENT_ID_MESSAGE })
  incidentId?: string | null;

  @Field(() => IncidentChannelEnum)
  @IsIn(INCIDENT_CHANNELS)
  channel!: (typeof INCIDENT_CHANNELS)[number];

  @Field(() => ID, { nullable: true, description: 'The grid the matter lies in (its community follows).' })
  @IsOptional()
  @Matches(ORG_ID, { message: ORG_ID_MESSAGE })
  gridId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The community, when there is no grid.' })
  @IsOptional()
  @Matches(ORG_ID, { message: ORG_ID_MESSAGE })
  communityId?: string | null;

  @Field(() => LocationInput)
  @ValidateNested()
  @Type(() => LocationInput)
  location!: LocationInput;

  @Field({ description: 'What is the matter (no phone or ID numbers: those go in reporter).' })
  @IsString()
  @MaxLength(2000)
  description!: string;

  @photoRefs()
  photoRefs?: string[] | null;

  @Field(() => ReporterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ReporterInput)
  reporter?: ReporterInput | null;

  @Field(() => String, { nullable: true, description: 'The referring body’s or camera system’s reference.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  externalRef?: string | null;
}

@InputType({ description: 'A 12345 work order as the hotline centre sends it; idempotent by ticket number.' })
export class ReceiveHotlineWorkOrderInput extends MutationInput {
  @Field() @Matches(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, { message: 'ticketNumber: letters, digits, "-" or "_"' }) ticketNumber!: string;
  @Field({ description: 'The centre’s category (our catalogue code when it is one).' }) @IsString() @MaxLength(100) category!: string;
  @Field(() => HotlineMatterTypeEnum, { nullable: true }) @IsOptional() @IsIn(HOTLINE_MATTER_TYPES) matterType?: (typeof HOTLINE_MATTER_TYPES)[number] | null;
  @Field() @IsString() @MaxLength(4000) description!: string;
  @Field(() => LocationInput) @ValidateNested() @Type(() => LocationInput) location!: LocationInput;
  @Field({ description: 'The grid’s or community’s org unit id or code.' }) @IsString() @MaxLength(128) unitCode!: string;
  @Field({ description: 'The centre’s opaque reference to the caller.' }) @IsString() @MaxLength(100) callerRef!: string;
  @Field(() => ReporterInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => ReporterInput) caller?: ReporterInput | null;
  @Field(() => Int, { nullable: true, description: 'The centre’s time limit in working days; else the policy’s.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60)
  timeLimitWorkingDays?: number | null;
  @Field(() => String, { nullable: true, description: 'When the centre dispatched it (ISO instant).' }) @IsOptional() @IsISO8601() dispatchedAt?: string | null;
  @Field(() => String, { nullable: true, description: 'The earlier ticket this call repeats.' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, { message: 'repeatOfTicket: letters, digits, "-" or "_"' })
  repeatOfTicket?: string | null;
}

@InputType()
export class IncidentIdInput extends IncidentStepInput {}

@InputType()
export class VoidIncidentInput extends IncidentStepInput {
  @Field(() => VoidReasonEnum) @IsIn(VOID_REASONS) reason!: (typeof VOID_REASONS)[number];
  @Field(() => ID, { nullable: true, description: 'The original, for a duplicate.' })
  @IsOptional()
  @Matches(AGGREGATE_ID, { message: INCIDENT_ID_MESSAGE })
  duplicateOf?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(2000) note?: string | null;
}

@InputType()
export class FileIncidentInput extends IncidentStepInput {
  @Field({ description: 'A code of the category catalogue.' }) @IsString() @MaxLength(120) categoryCode!: string;
}

// Handling ------------------------------------------------------------------------------------

@InputType()
export class DispatchIncidentInput extends IncidentStepInput {
  @Field(() => ID) @Matches(ORG_ID, { message: ORG_ID_MESSAGE }) toOrgUnitId!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(2000) note?: string | null;
}

@InputType('IncidentReasonInput')
export class ReasonInput extends IncidentStepInput {
  @Field() @IsString() @MaxLength(1000) reason!: string;
}

@InputType('IncidentExtensionInput')
export class ExtensionInput extends IncidentStepInput {
  @Field(() => Int) @IsInt() @Min(1) @Max(60) length!: number;
  @Field(() => DeadlineUnitEnum, { nullable: true, description: 'Default: the policy’s extension unit.' })
  @IsOptional()
  @IsIn(DEADLINE_UNITS)
  unit?: (typeof DEADLINE_UNITS)[number] | null;
  @Field() @IsString() @MaxLength(1000) reason!: string;
}

@InputType('IncidentNoteInput')
export class NoteInput extends IncidentStepInput {
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(2000) note?: string | null;
}

@InputType()
export class ReportHandlingInput extends IncidentStepInput {
  @Field() @IsString() @MaxLength(4000) notes!: string;
  @photoRefs()
  photoRefs?: string[] | null;
}

@InputType('IncidentVerificationInput')
export class VerificationInput extends IncidentStepInput {
  @Field(() => String, { nullable: true, description: 'Required when verification fails.' }) @IsOptional() @IsString() @MaxLength(2000) note?: string | null;
  @photoRefs()
  photoRefs?: string[] | null;
}

@InputType()
export class EvaluateIncidentInput extends IncidentStepInput {
  @Field(() => EvaluationGradeEnum) @IsIn(EVALUATION_GRADES) grade!: (typeof EVALUATION_GRADES)[number];
  @Field(() => SatisfactionEnum, { nullable: true }) @IsOptional() @IsIn(SATISFACTION_LEVELS) satisfaction?: (typeof SATISFACTION_LEVELS)[number] | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(2000) comment?: string | null;
}

// 12345 ---------------------------------------------------------------------------------------

@InputType()
export class ResolveDispatchObjectionInput extends IncidentStepInput {
  @Field(() => ObjectionOutcomeEnum) @IsIn(['upheld', 'reassigned']) outcome!: 'upheld' | 'reassigned';
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(2000) note?: string | null;
}

@InputType()
export class ReplyToCallerInput extends IncidentStepInput {
  @Field(() => ReplyOutcomeEnum) @IsIn(REPLY_OUTCOMES) outcome!: (typeof REPLY_OUTCOMES)[number];
  @Field() @IsString() @MaxLength(2000) summary!: string;
}

@InputType()
export class RecordCallbackInput extends IncidentStepInput {
  @Field(() => SatisfactionEnum) @IsIn(SATISFACTION_LEVELS) satisfaction!: (typeof SATISFACTION_LEVELS)[number];
  @Field({ description: 'Whether the caller says the matter is actually done.' }) @IsBoolean() resolved!: boolean;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(2000) note?: string | null;
}

@InputType()
export class RaiseSupervisionInput extends IncidentStepInput {
  @Field(() => SupervisionReasonEnum) @IsIn(SUPERVISION_REASONS) reason!: (typeof SUPERVISION_REASONS)[number];
  @Field(() => SupervisionLevelEnum) @IsIn(SUPERVISION_LEVELS) level!: (typeof SUPERVISION_LEVELS)[number];
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(2000) note?: string | null;
  @Field(() => ID, { nullable: true }) @IsOptional() @Matches(AGGREGATE_ID, { message: INCIDENT_ID_MESSAGE }) relatedIncidentId?: string | null;
}

// Queries -------------------------------------------------------------------------------------

@InputType({ description: 'Board filters; all optional.' })
export class IncidentFilterInput {
  @Field(() => ID, { nullable: true, description: 'Only incidents owned or handled in this unit’s subtree.' })
  @IsOptional()
  @Matches(ORG_ID, { message: ORG_ID_MESSAGE })
  under?: string | null;

  @Field(() => ID, { nullable: true }) @IsOptional() @Matches(ORG_ID, { message: ORG_ID_MESSAGE }) gridId?: string | null;
  @Field(() => [IncidentStatusEnum], { nullable: true }) @IsOptional() @IsIn(INCIDENT_STATUSES, { each: true }) statuses?: (typeof INCIDENT_STATUSES)[number][] | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(120) categoryCode?: string | null;
  @Field(() => IncidentChannelEnum, { nullable: true }) @IsOptional() @IsIn(INCIDENT_CHANNELS) channel?: (typeof INCIDENT_CHANNELS)[number] | null;
  @Field(() => Boolean, { nullable: true, description: 'The running time limit has passed, now.' }) @IsOptional() @IsBoolean() overdue?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'Sent back for rework at least once.' }) @IsOptional() @IsBoolean() reworked?: boolean | null;
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() supervised?: boolean | null;
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() open?: boolean | null;
}
