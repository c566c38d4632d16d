import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection, DateTimeScalar } from '@gongzhi/graphql';
import { OrgUnit } from '@gongzhi/org-graphql';
import { CAMPAIGN_BRANDS, CAMPAIGN_CHANNELS, PARTNER_KINDS } from '@gongzhi/youth-league-domain';

/** `Recruiting` → RECRUITING, `check-in` → CHECK_IN, `EnrolmentClosed` → ENROLMENT_CLOSED. */
const enumKey = (value: string) => value.replace(/([a-z])([A-Z])/g, '$1_$2').replace(/-/g, '_').toUpperCase();
const enumOf = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((v) => [enumKey(v), v])) as Record<string, T>;

export const VolunteerStatusEnum = enumOf(['Registered', 'Active', 'Inactive'] as const);
registerEnumType(VolunteerStatusEnum, { name: 'VolunteerStatus', description: 'REGISTERED → (verified) ACTIVE ↔ INACTIVE.' });
export const ActivityStatusEnum = enumOf(['Recruiting', 'EnrolmentClosed', 'Ended', 'Cancelled'] as const);
registerEnumType(ActivityStatusEnum, { name: 'ActivityStatus' });
export const ParticipationStatusEnum = enumOf(['Invited', 'Declined', 'SignedUp', 'Withdrawn', 'Confirmed', 'CheckedIn', 'CheckedOut', 'Completed', 'NoShow'] as const);
registerEnumType(ParticipationStatusEnum, { name: 'ParticipationStatus' });
export const ActivityActionEnum = enumOf(['close-enrolment', 'end', 'cancel'] as const);
registerEnumType(ActivityActionEnum, { name: 'ActivityAction' });
export const AttendanceStepEnum = enumOf(['confirm', 'check-in', 'check-out', 'no-show'] as const);
registerEnumType(AttendanceStepEnum, { name: 'AttendanceStep', description: 'CONFIRM a sign-up, CHECK_IN, CHECK_OUT, or mark a NO_SHOW (the organizer records them).' });
export const CorrectionStatusEnum = enumOf(['pending', 'accepted', 'rejected'] as const);
registerEnumType(CorrectionStatusEnum, { name: 'CorrectionStatus' });
export const AccountKindEnum = enumOf(['issuer', 'member', 'org-unit'] as const);
registerEnumType(AccountKindEnum, { name: 'TimeBankAccountKind', description: 'ISSUER: the unit running the bank (pays service hours, goes negative by design); MEMBER; ORG_UNIT.' });
export const TransferKindEnum = enumOf(['service-credit', 'service-correction', 'exchange', 'reversal'] as const);
registerEnumType(TransferKindEnum, { name: 'TransferKind' });
export const CampaignBrandEnum = enumOf(CAMPAIGN_BRANDS);
registerEnumType(CampaignBrandEnum, { name: 'CampaignBrand', description: 'CHUNHUI 春暉行動, HOPE_PROJECT 希望工程, GREEN_RIBBON 綠絲帶, YOUTH_VOLUNTEER 青年志願者行動, OTHER.' });
export const CampaignChannelEnum = enumOf(CAMPAIGN_CHANNELS);
registerEnumType(CampaignChannelEnum, { name: 'CampaignChannel', description: 'ORGANIZATIONAL 組織化動員 (tasks down the hierarchy), SOCIAL 社會化動員 (volunteers, partners, foundation).' });
export const CampaignStatusEnum = enumOf(['Planned', 'Approved', 'Launched', 'Running', 'Closing', 'Closed', 'Evaluated'] as const);
registerEnumType(CampaignStatusEnum, { name: 'CampaignStatus' });
export const CampaignStepEnum = enumOf(['approve', 'begin-closing', 'close'] as const);
registerEnumType(CampaignStepEnum, { name: 'CampaignStep' });
export const TaskStatusEnum = enumOf(['Issued', 'Acknowledged', 'Completed', 'Overdue'] as const);
registerEnumType(TaskStatusEnum, { name: 'CampaignTaskStatus', description: 'OVERDUE: the deadline passed before completion (set by the deadline scheduler).' });
export const PartnerKindEnum = enumOf(PARTNER_KINDS);
registerEnumType(PartnerKindEnum, { name: 'PartnerKind' });
export const FoundationFigureEnum = enumOf(['pledge', 'receipt', 'beneficiaries'] as const);
registerEnumType(FoundationFigureEnum, { name: 'FoundationFigure' });

@ObjectType({ description: 'A registered volunteer. Name and phone are personal data: masked unless you may unmask them here (each unmasked read is audited).' })
export class Volunteer {
  @Field(() => ID) id!: string;
  @Field(() => ID, { description: 'Opaque id of the person (their data key): what forgetSubject erases.' }) subjectId!: string;
  @Field(() => VolunteerStatusEnum) status!: string;
  @Field() verified!: boolean;
  @Field(() => [String]) skills!: string[];
  @Field(() => ID, { description: 'The unit the volunteer registered with; its subtree’s officers manage the record.' }) homeOrgUnitId!: string;
  @Field({ description: 'SELF (志願服務條例 Art 7) or ORGANIZATION.' }) registeredVia!: string;
  @Field(() => DateTimeScalar) registeredAt!: string;
  @Field(() => Int) revision!: number;
}

@ObjectType()
export class VolunteerConnection extends Connection(Volunteer) {}

@ObjectType({ description: 'A volunteer activity (published by any org unit), with the risks disclosed to volunteers (Art 12).' })
export class VolunteerActivity {
  @Field(() => ID) id!: string;
  @Field() title!: string;
  @Field() content!: string;
  @Field() place!: string;
  @Field(() => DateTimeScalar) startsAt!: string;
  @Field(() => DateTimeScalar) endsAt!: string;
  @Field(() => Int) slots!: number;
  @Field(() => Int) placesTaken!: number;
  @Field(() => [String]) requiredSkills!: string[];
  @Field(() => [String]) risks!: string[];
  @Field(() => String, { nullable: true }) safetyMeasures!: string | null;
  @Field(() => ActivityStatusEnum) status!: string;
  @Field(() => ID) organizerOrgUnitId!: string;
  @Field(() => DateTimeScalar) publishedAt!: string;
  @Field(() => Int) revision!: number;
}

@ObjectType()
export class VolunteerActivityConnection extends Connection(VolunteerActivity) {}

@ObjectType({ description: 'One volunteer’s part in an activity.' })
export class Participation {
  @Field(() => ID) id!: string;
  @Field(() => ID) activityId!: string;
  @Field(() => ID) volunteerId!: string;
  @Field(() => ParticipationStatusEnum) status!: string;
  @Field(() => String, { nullable: true, description: 'SELF or INVITATION: how the volunteer’s own sign-up came about.' }) via!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) checkedInAt!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) checkedOutAt!: string | null;
  @Field(() => Int, { description: 'Recorded minutes: the record plus every correction.' }) minutes!: number;
  @Field(() => ID, { nullable: true }) pendingRequestId!: string | null;
}

@ObjectType()
export class ParticipationConnection extends Connection(Participation) {}

@ObjectType({ description: 'A volunteer’s request to correct recorded hours, and how the organizer resolved it.' })
export class HoursCorrectionRequest {
  @Field(() => ID) id!: string;
  @Field(() => ID) activityId!: string;
  @Field(() => ID) volunteerId!: string;
  @Field(() => Int) currentMinutes!: number;
  @Field(() => Int) requestedMinutes!: number;
  @Field() reason!: string;
  @Field(() => CorrectionStatusEnum) status!: string;
  @Field(() => Int, { nullable: true }) correctedMinutes!: number | null;
  @Field(() => String, { nullable: true }) resolutionNote!: string | null;
  @Field(() => DateTimeScalar) requestedAt!: string;
  @Field(() => DateTimeScalar, { nullable: true }) resolvedAt!: string | null;
}

@ObjectType()
export class HoursCorrectionRequestConnection extends Connection(HoursCorrectionRequest) {}

@ObjectType({ description: 'Hours one organization recorded for the volunteer (誰記錄誰證明).' })
export class CertificateLine {
  @Field(() => ID) organizerOrgUnitId!: string;
  @Field(() => OrgUnit, { nullable: true, description: 'Null when the unit lies outside your scope.' }) organizer!: unknown;
  @Field(() => Int) minutes!: number;
  @Field(() => Float) hours!: number;
  @Field(() => Int) records!: number;
  @Field(() => Int) corrections!: number;
  @Field() firstServiceDate!: string;
  @Field() lastServiceDate!: string;
}

@ObjectType({ description: '志願服務記錄證明: a volunteer’s verified hours by organization, as of an instant.' })
export class VolunteerCertificate {
  @Field(() => ID) volunteerId!: string;
  @Field(() => DateTimeScalar) asOf!: string;
  @Field(() => Int) totalMinutes!: number;
  @Field(() => Float) totalHours!: number;
  @Field(() => Int, { description: 'Correction requests still waiting for the organizer at that instant.' }) pendingCorrections!: number;
  @Field(() => [CertificateLine]) byOrganization!: CertificateLine[];
}

@ObjectType({ description: '愛心時間銀行: a double-entry ledger of service hours.' })
export class TimeBank {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => ID) ownerOrgUnitId!: string;
  @Field(() => ID) issuerAccountId!: string;
  @Field(() => DateTimeScalar) openedAt!: string;
  @Field(() => Int) revision!: number;
}

@ObjectType()
export class TimeBankConnection extends Connection(TimeBank) {}

@ObjectType()
export class TimeBankAccount {
  @Field(() => ID, { description: '`<bankId>/<accountId>`' }) id!: string;
  @Field(() => ID) bankId!: string;
  @Field(() => ID) accountId!: string;
  @Field(() => AccountKindEnum) kind!: string;
  @Field(() => ID, { nullable: true }) volunteerId!: string | null;
  @Field(() => ID) holderOrgUnitId!: string;
  @Field(() => Int, { description: 'Current balance in minutes.' }) balanceMinutes!: number;
  @Field(() => DateTimeScalar) openedAt!: string;
}

@ObjectType()
export class TimeBankAccountConnection extends Connection(TimeBankAccount) {}

@ObjectType({ description: 'One side of a transfer: every transfer posts −m to one account and +m to another.' })
export class TimeBankPosting {
  @Field(() => ID) transferId!: string;
  @Field(() => ID) accountId!: string;
  @Field(() => ID) counterpartyAccountId!: string;
  @Field(() => Int) deltaMinutes!: number;
  @Field(() => TransferKindEnum) kind!: string;
  @Field(() => String, { nullable: true }) memo!: string | null;
  @Field(() => ID, { nullable: true, description: 'For a reversal: the transfer it undoes.' }) reverses!: string | null;
  @Field(() => DateTimeScalar) occurredAt!: string;
}

@ObjectType()
export class TimeBankPostingConnection extends Connection(TimeBankPosting) {}

@ObjectType({ description: 'A mobilization campaign (春暉行動, 希望工程, 綠絲帶…).' })
export class Campaign {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => CampaignBrandEnum) brand!: string;
  @Field() description!: string;
  @Field(() => ID) ownerOrgUnitId!: string;
  @Field(() => CampaignStatusEnum) status!: string;
  @Field(() => [CampaignChannelEnum]) channels!: string[];
  @Field() startsOn!: string;
  @Field() endsOn!: string;
  @Field(() => Int, { nullable: true }) rating!: number | null;
  @Field(() => String, { nullable: true }) evaluationSummary!: string | null;
  @Field(() => DateTimeScalar) plannedAt!: string;
  @Field(() => Int) revision!: number;
}

@ObjectType()
export class CampaignConnection extends Connection(Campaign) {}

@ObjectType({ description: 'A task of the organizational channel, owed by a lower unit.' })
export class CampaignTask {
  @Field(() => ID, { description: '`<campaignId>/<taskId>`' }) id!: string;
  @Field(() => ID) campaignId!: string;
  @Field(() => ID) taskId!: string;
  @Field(() => ID, { nullable: true }) parentTaskId!: string | null;
  @Field() campaignName!: string;
  @Field(() => ID) issuerOrgUnitId!: string;
  @Field(() => ID) assigneeOrgUnitId!: string;
  @Field() title!: string;
  @Field(() => Int) quotaTarget!: number;
  @Field() quotaUnit!: string;
  @Field(() => Int) achieved!: number;
  @Field(() => DateTimeScalar) deadline!: string;
  @Field(() => TaskStatusEnum) status!: string;
  @Field() late!: boolean;
  @Field(() => Int) staffDispatched!: number;
  @Field(() => DateTimeScalar) issuedAt!: string;
  @Field(() => DateTimeScalar, { nullable: true }) acknowledgedAt!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) completedAt!: string | null;
}

@ObjectType()
export class CampaignTaskConnection extends Connection(CampaignTask) {}

@ObjectType({ description: 'A reference of the social channel: a linked activity, a partner, a foundation project (references only).' })
export class CampaignLink {
  @Field(() => ID) refId!: string;
  @Field() kind!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => PartnerKindEnum, { nullable: true }) partnerKind!: string | null;
  @Field(() => String, { nullable: true }) foundationName!: string | null;
  @Field(() => String, { nullable: true }) projectRef!: string | null;
  @Field(() => String, { nullable: true }) contribution!: string | null;
  @Field(() => ID) orgUnitId!: string;
  @Field(() => Float, { description: 'Yuan.' }) pledged!: number;
  @Field(() => Float, { description: 'Yuan.' }) received!: number;
  @Field(() => Int) beneficiaries!: number;
  @Field(() => DateTimeScalar) linkedAt!: string;
}

@ObjectType()
export class CampaignLinkConnection extends Connection(CampaignLink) {}
