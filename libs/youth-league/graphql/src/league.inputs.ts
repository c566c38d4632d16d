import { Field, Float, ID, InputType, Int } from '@nestjs/graphql';
import { MutationInput } from '@gongzhi/graphql';
import { MobileCNScalar } from '@gongzhi/privacy-graphql';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import {
  AccountKindEnum,
  ActivityActionEnum,
  AttendanceStepEnum,
  CampaignBrandEnum,
  CampaignChannelEnum,
  CampaignStepEnum,
  FoundationFigureEnum,
  PartnerKindEnum,
} from './league.types';

/** Ids go into stream ids: letters, digits, '-' and '_' (org unit ids are lowercase, checked by the org context). */
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const ID_MESSAGE = 'ids are 1 to 64 letters, digits, "-" or "_"';
const Id = () => Matches(ID_PATTERN, { message: ID_MESSAGE });
const Text = (max: number) => Length(1, max);

// Volunteers

@InputType()
export class RegisterVolunteerInput extends MutationInput {
  @Field(() => ID, { nullable: true }) @IsOptional() @Id() volunteerId?: string | null;
  @Field({ description: 'Personal data: stored encrypted under the volunteer’s own key.' }) @IsString() @Text(50) name!: string;
  @Field(() => MobileCNScalar, { nullable: true }) @IsOptional() phone?: string | null;
  @Field(() => [String], { nullable: true }) @IsOptional() @IsArray() @ArrayMaxSize(20) skills?: string[] | null;
  @Field(() => ID, { nullable: true, description: 'Default: your own org unit.' }) @IsOptional() @Id() homeOrgUnitId?: string | null;
  @Field(() => String, { nullable: true, description: 'The volunteer’s own login (token subject), so they can sign up themselves.' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  accountUserId?: string | null;
  @Field({ description: 'The volunteer agreed to the privacy notice (志願服務條例 Art 20); false is refused.' }) @IsBoolean() consentGiven!: boolean;
  @Field() @IsString() @Text(40) privacyNoticeVersion!: string;
}

@InputType({ description: 'Self-registration (Art 7): your own login becomes the volunteer’s account.' })
export class RegisterMeAsVolunteerInput extends MutationInput {
  @Field(() => ID, { nullable: true }) @IsOptional() @Id() volunteerId?: string | null;
  @Field() @IsString() @Text(50) name!: string;
  @Field(() => MobileCNScalar, { nullable: true }) @IsOptional() phone?: string | null;
  @Field(() => [String], { nullable: true }) @IsOptional() @IsArray() @ArrayMaxSize(20) skills?: string[] | null;
  @Field(() => ID, { nullable: true }) @IsOptional() @Id() homeOrgUnitId?: string | null;
  @Field() @IsBoolean() consentGiven!: boolean;
  @Field() @IsString() @Text(40) privacyNoticeVersion!: string;
}

@InputType()
export class VolunteerRefInput extends MutationInput {
  @Field(() => ID) @Id() volunteerId!: string;
}

@InputType()
export class UpdateVolunteerSkillsInput extends VolunteerRefInput {
  @Field(() => [String]) @IsArray() @ArrayMaxSize(20) skills!: string[];
}

@InputType()
export class SetVolunteerActiveInput extends VolunteerRefInput {
  @Field() @IsBoolean() active!: boolean;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @Length(0, 500) reason?: string | null;
}

// Activities

@InputType()
export class PublishActivityInput extends MutationInput {
  @Field(() => ID, { nullable: true }) @IsOptional() @Id() activityId?: string | null;
  @Field(() => ID, { nullable: true, description: 'Default: your own org unit (a league committee, a community, a union…).' })
  @IsOptional()
  @Id()
  organizerOrgUnitId?: string | null;
  @Field() @IsString() @Text(100) title!: string;
  @Field() @IsString() @Text(4000) content!: string;
  @Field() @IsString() @Text(200) place!: string;
  @Field() @IsString() startsAt!: string;
  @Field() @IsString() endsAt!: string;
  @Field(() => Int) @IsInt() @Min(1) @Max(10000) slots!: number;
  @Field(() => [String], { nullable: true }) @IsOptional() @IsArray() @ArrayMaxSize(20) requiredSkills?: string[] | null;
  @Field(() => [String], { description: 'Risks told to volunteers before they sign up (志願服務條例 Art 12); at least one.' })
  @IsArray()
  @ArrayMaxSize(20)
  risks!: string[];
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @Length(0, 2000) safetyMeasures?: string | null;
}

@InputType()
export class ChangeActivityStatusInput extends MutationInput {
  @Field(() => ID) @Id() activityId!: string;
  @Field(() => ActivityActionEnum) @IsIn(Object.values(ActivityActionEnum)) action!: 'close-enrolment' | 'end' | 'cancel';
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @Length(0, 500) reason?: string | null;
}

@InputType()
export class ActivityVolunteerInput extends MutationInput {
  @Field(() => ID) @Id() activityId!: string;
  @Field(() => ID) @Id() volunteerId!: string;
}

@InputType({ description: 'The volunteer’s own sign-up: only their own login may send it (LEAGUE.CONSENT_REQUIRED otherwise).' })
export class SignUpForActivityInput extends ActivityVolunteerInput {
  @Field({ description: 'The volunteer read the disclosed risks (Art 12/14).' }) @IsBoolean() risksAcknowledged!: boolean;
}

@InputType()
export class WithdrawSignUpInput extends ActivityVolunteerInput {
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @Length(0, 500) reason?: string | null;
}

@InputType()
export class RecordAttendanceInput extends ActivityVolunteerInput {
  @Field(() => AttendanceStepEnum) @IsIn(Object.values(AttendanceStepEnum)) step!: 'confirm' | 'check-in' | 'check-out' | 'no-show';
}

@InputType()
export class RecordServiceHoursInput extends ActivityVolunteerInput {
  @Field(() => ID, { nullable: true }) @IsOptional() @Id() recordId?: string | null;
  @Field(() => Int, { nullable: true, description: 'Default: the minutes from check-in to check-out.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1440)
  minutes?: number | null;
}

@InputType()
export class RequestHoursCorrectionInput extends ActivityVolunteerInput {
  @Field(() => ID, { nullable: true }) @IsOptional() @Id() requestId?: string | null;
  @Field(() => Int) @IsInt() @Min(0) @Max(1440) requestedMinutes!: number;
  @Field() @IsString() @Text(1000) reason!: string;
}

@InputType()
export class ResolveHoursCorrectionInput extends MutationInput {
  @Field(() => ID) @Id() activityId!: string;
  @Field(() => ID) @Id() requestId!: string;
  @Field() @IsBoolean() accept!: boolean;
  @Field(() => Int, { nullable: true, description: 'Default: the minutes the volunteer asked for.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1440)
  correctedMinutes?: number | null;
  @Field(() => String, { nullable: true, description: 'Required when rejecting.' }) @IsOptional() @IsString() @Length(0, 1000) note?: string | null;
}

// Time bank

@InputType()
export class OpenTimeBankInput extends MutationInput {
  @Field(() => ID, { nullable: true }) @IsOptional() @Id() bankId?: string | null;
  @Field() @IsString() @Text(100) name!: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @Id() ownerOrgUnitId?: string | null;
}

@InputType()
export class OpenTimeBankAccountInput extends MutationInput {
  @Field(() => ID) @Id() bankId!: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @Id() accountId?: string | null;
  @Field(() => AccountKindEnum, { description: 'MEMBER or ORG_UNIT (the ISSUER account comes with the bank).' }) @IsIn(['member', 'org-unit']) kind!: 'member' | 'org-unit';
  @Field(() => ID, { nullable: true, description: 'A member who is a volunteer: their service is credited here.' }) @IsOptional() @Id() volunteerId?: string | null;
  @Field(() => String, { nullable: true, description: 'A member who is not a volunteer (personal data, encrypted).' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  name?: string | null;
  @Field(() => ID, { description: 'The holder’s unit, inside the bank’s subtree.' }) @Id() orgUnitId!: string;
}

@InputType()
export class ExchangeHoursInput extends MutationInput {
  @Field(() => ID) @Id() bankId!: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @Id() transferId?: string | null;
  @Field(() => ID) @Id() fromAccountId!: string;
  @Field(() => ID) @Id() toAccountId!: string;
  @Field(() => Int) @IsInt() @Min(1) @Max(60000) minutes!: number;
  @Field() @IsString() @Text(500) memo!: string;
}

@InputType()
export class ReverseTransferInput extends MutationInput {
  @Field(() => ID) @Id() bankId!: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @Id() transferId?: string | null;
  @Field(() => ID) @Id() reversesTransferId!: string;
  @Field() @IsString() @Text(500) reason!: string;
}

// Campaigns

@InputType()
export class PlanCampaignInput extends MutationInput {
  @Field(() => ID, { nullable: true }) @IsOptional() @Id() campaignId?: string | null;
  @Field() @IsString() @Text(100) name!: string;
  @Field(() => CampaignBrandEnum) @IsIn(Object.values(CampaignBrandEnum)) brand!: any;
  @Field() @IsString() @Text(4000) description!: string;
  @Field(() => ID, { nullable: true, description: 'Default: your own org unit.' }) @IsOptional() @Id() ownerOrgUnitId?: string | null;
  @Field({ description: 'YYYY-MM-DD' }) @IsString() startsOn!: string;
  @Field({ description: 'YYYY-MM-DD' }) @IsString() endsOn!: string;
}

@InputType()
export class CampaignRefInput extends MutationInput {
  @Field(() => ID) @Id() campaignId!: string;
}

@InputType()
export class AdvanceCampaignInput extends CampaignRefInput {
  @Field(() => CampaignStepEnum) @IsIn(Object.values(CampaignStepEnum)) step!: 'approve' | 'begin-closing' | 'close';
}

@InputType()
export class LaunchCampaignInput extends CampaignRefInput {
  @Field(() => [CampaignChannelEnum]) @IsArray() @ArrayMaxSize(2) channels!: any[];
}

@InputType()
export class EvaluateCampaignInput extends CampaignRefInput {
  @Field(() => Int) @IsInt() @Min(1) @Max(5) rating!: number;
  @Field() @IsString() @Text(4000) summary!: string;
}

@InputType({ description: 'Without parentTaskId the campaign’s owner issues it; with one, the parent task’s assignee cascades it further down.' })
export class IssueCampaignTaskInput extends CampaignRefInput {
  @Field(() => ID, { nullable: true }) @IsOptional() @Id() taskId?: string | null;
  @Field(() => ID, { nullable: true }) @IsOptional() @Id() parentTaskId?: string | null;
  @Field(() => ID) @Id() assigneeOrgUnitId!: string;
  @Field() @IsString() @Text(200) title!: string;
  @Field(() => Int) @IsInt() @Min(0) quotaTarget!: number;
  @Field() @IsString() @Text(20) quotaUnit!: string;
  @Field({ description: 'ISO instant.' }) @IsString() deadline!: string;
}

@InputType()
export class CampaignTaskRefInput extends CampaignRefInput {
  @Field(() => ID) @Id() taskId!: string;
}

@InputType()
export class CompleteCampaignTaskInput extends CampaignTaskRefInput {
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) achieved?: number | null;
}

@InputType()
export class ReportCampaignTaskProgressInput extends CampaignTaskRefInput {
  @Field(() => Int) @IsInt() @Min(0) achieved!: number;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @Length(0, 2000) note?: string | null;
}

@InputType()
export class DispatchCampaignStaffInput extends CampaignTaskRefInput {
  @Field(() => Int) @IsInt() @Min(1) @Max(100000) count!: number;
  @Field() @IsString() @Text(500) purpose!: string;
}

@InputType()
export class LinkCampaignActivityInput extends CampaignRefInput {
  @Field(() => ID) @Id() activityId!: string;
}

@InputType()
export class RecordCampaignPartnerInput extends CampaignRefInput {
  @Field(() => ID, { nullable: true }) @IsOptional() @Id() partnerId?: string | null;
  @Field(() => PartnerKindEnum) @IsIn(Object.values(PartnerKindEnum)) kind!: any;
  @Field() @IsString() @Text(200) name!: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @Id() partnerOrgUnitId?: string | null;
  @Field(() => ID, { nullable: true, description: 'The unit that brought the partner in (default: the owner).' }) @IsOptional() @Id() viaOrgUnitId?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @Length(0, 1000) contribution?: string | null;
}

@InputType({ description: '"center + foundation": the foundation’s project, referenced (its accounting stays with the foundation).' })
export class LinkFoundationProjectInput extends CampaignRefInput {
  @Field(() => ID, { nullable: true }) @IsOptional() @Id() projectId?: string | null;
  @Field() @IsString() @Text(200) foundationName!: string;
  @Field() @IsString() @Text(100) projectRef!: string;
  @Field() @IsString() @Text(200) title!: string;
  @Field(() => Float, { description: 'Fen (1/100 yuan), a whole number.' }) @IsInt() @Min(0) pledgedFen!: number;
  @Field(() => ID, { nullable: true }) @IsOptional() @Id() viaOrgUnitId?: string | null;
}

@InputType()
export class RecordFoundationFigureInput extends CampaignRefInput {
  @Field(() => ID) @Id() projectId!: string;
  @Field(() => FoundationFigureEnum) @IsIn(Object.values(FoundationFigureEnum)) figure!: 'pledge' | 'receipt' | 'beneficiaries';
  @Field(() => Float, { nullable: true, description: 'Fen (whole number), for PLEDGE and RECEIPT.' }) @IsOptional() @IsInt() @Min(1) amountFen?: number | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @Length(1, 100) receiptRef?: string | null;
  @Field(() => Int, { nullable: true, description: 'For BENEFICIARIES.' }) @IsOptional() @IsInt() @Min(1) count?: number | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @Length(0, 1000) note?: string | null;
}
