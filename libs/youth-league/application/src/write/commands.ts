import { Command } from '@nestjs/cqrs';
import type { Principal } from '@gongzhi/auth';
import type { CommandResult } from '@gongzhi/eventsourcing';
import type { CommandMeta } from '@gongzhi/org';
import type { CampaignBrand, CampaignChannel, PartnerKind } from '@gongzhi/youth-league-domain';

export type { CommandMeta };

/** Every league command: what the caller asked, who the caller is, and the request facts. */
abstract class LeagueCommand<I> extends Command<CommandResult> {
  constructor(
    readonly input: I,
    readonly principal: Principal,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}

// Volunteers

export interface RegisterVolunteerInput {
  volunteerId?: string | null;
  name: string;
  phone?: string | null;
  skills?: string[] | null;
  /** Default: the caller's own org unit. */
  homeOrgUnitId?: string | null;
  /** Self-registration (Art 7): the caller's own account becomes the volunteer's. */
  self: boolean;
  /** For a registration by an organization: the volunteer's login, if they have one. */
  accountUserId?: string | null;
  consentGiven: boolean;
  privacyNoticeVersion: string;
}
export class RegisterVolunteerCommand extends LeagueCommand<RegisterVolunteerInput> {}
export class VerifyVolunteerCommand extends LeagueCommand<{ volunteerId: string }> {}
export class UpdateVolunteerSkillsCommand extends LeagueCommand<{ volunteerId: string; skills: string[] }> {}
export class SetVolunteerActiveCommand extends LeagueCommand<{ volunteerId: string; active: boolean; reason?: string | null }> {}

// Activities

export interface PublishActivityInput {
  activityId?: string | null;
  /** Default: the caller's own org unit. */
  organizerOrgUnitId?: string | null;
  title: string;
  content: string;
  place: string;
  startsAt: string;
  endsAt: string;
  slots: number;
  requiredSkills?: string[] | null;
  risks: string[];
  safetyMeasures?: string | null;
}
export class PublishActivityCommand extends LeagueCommand<PublishActivityInput> {}
export type ActivityStatusAction = 'close-enrolment' | 'end' | 'cancel';
export class ChangeActivityStatusCommand extends LeagueCommand<{ activityId: string; action: ActivityStatusAction; reason?: string | null }> {}
export class InviteVolunteerCommand extends LeagueCommand<{ activityId: string; volunteerId: string }> {}
export class SignUpForActivityCommand extends LeagueCommand<{ activityId: string; volunteerId: string; risksAcknowledged: boolean }> {}
export class DeclineInvitationCommand extends LeagueCommand<{ activityId: string; volunteerId: string }> {}
export class WithdrawSignUpCommand extends LeagueCommand<{ activityId: string; volunteerId: string; reason?: string | null }> {}
export type AttendanceStep = 'confirm' | 'check-in' | 'check-out' | 'no-show';
export class RecordAttendanceCommand extends LeagueCommand<{ activityId: string; volunteerId: string; step: AttendanceStep }> {}
export class RecordServiceHoursCommand extends LeagueCommand<{ activityId: string; volunteerId: string; recordId?: string | null; minutes?: number | null }> {}
export class RequestHoursCorrectionCommand extends LeagueCommand<{
  activityId: string;
  volunteerId: string;
  requestId?: string | null;
  requestedMinutes: number;
  reason: string;
}> {}
export class ResolveHoursCorrectionCommand extends LeagueCommand<{
  activityId: string;
  requestId: string;
  accept: boolean;
  correctedMinutes?: number | null;
  note?: string | null;
}> {}

// Time bank

export class OpenTimeBankCommand extends LeagueCommand<{ bankId?: string | null; name: string; ownerOrgUnitId?: string | null }> {}
export interface OpenTimeBankAccountInput {
  bankId: string;
  accountId?: string | null;
  kind: 'member' | 'org-unit';
  /** Members: the volunteer (their service is credited here), or a name for a member who is not one. */
  volunteerId?: string | null;
  name?: string | null;
  orgUnitId: string;
}
export class OpenTimeBankAccountCommand extends LeagueCommand<OpenTimeBankAccountInput> {}
export class ExchangeHoursCommand extends LeagueCommand<{
  bankId: string;
  transferId?: string | null;
  fromAccountId: string;
  toAccountId: string;
  minutes: number;
  memo: string;
}> {}
export class ReverseTransferCommand extends LeagueCommand<{ bankId: string; transferId?: string | null; reversesTransferId: string; reason: string }> {}

// Campaigns

export interface PlanCampaignInput {
  campaignId?: string | null;
  name: string;
  brand: CampaignBrand;
  description: string;
  ownerOrgUnitId?: string | null;
  startsOn: string;
  endsOn: string;
}
export class PlanCampaignCommand extends LeagueCommand<PlanCampaignInput> {}
export type CampaignStep = 'approve' | 'begin-closing' | 'close';
export class AdvanceCampaignCommand extends LeagueCommand<{ campaignId: string; step: CampaignStep }> {}
export class LaunchCampaignCommand extends LeagueCommand<{ campaignId: string; channels: CampaignChannel[] }> {}
export class EvaluateCampaignCommand extends LeagueCommand<{ campaignId: string; rating: number; summary: string }> {}
export interface IssueTaskInput {
  campaignId: string;
  taskId?: string | null;
  parentTaskId?: string | null;
  assigneeOrgUnitId: string;
  title: string;
  quotaTarget: number;
  quotaUnit: string;
  deadline: string;
}
export class IssueTaskCommand extends LeagueCommand<IssueTaskInput> {}
export type TaskStep = 'acknowledge' | 'complete';
export class AdvanceTaskCommand extends LeagueCommand<{ campaignId: string; taskId: string; step: TaskStep; achieved?: number | null }> {}
export class ReportTaskProgressCommand extends LeagueCommand<{ campaignId: string; taskId: string; achieved: number; note?: string | null }> {}
export class DispatchStaffCommand extends LeagueCommand<{ campaignId: string; taskId: string; count: number; purpose: string }> {}
/** Issued by the deadline scheduler (as a system principal) when a task's deadline passes. */
export class MarkTaskOverdueCommand extends LeagueCommand<{ campaignId: string; taskId: string }> {}
/** What the scheduler issues when a campaign's task clock runs out: every task past its deadline. */
export class MarkOverdueTasksCommand extends LeagueCommand<{ campaignId: string }> {}
export class LinkCampaignActivityCommand extends LeagueCommand<{ campaignId: string; activityId: string }> {}
export class RecordCampaignPartnerCommand extends LeagueCommand<{
  campaignId: string;
  partnerId?: string | null;
  kind: PartnerKind;
  name: string;
  partnerOrgUnitId?: string | null;
  viaOrgUnitId?: string | null;
  contribution?: string | null;
}> {}
export class LinkFoundationProjectCommand extends LeagueCommand<{
  campaignId: string;
  projectId?: string | null;
  foundationName: string;
  projectRef: string;
  title: string;
  pledgedFen: number;
  viaOrgUnitId?: string | null;
}> {}
export type FoundationFigure = 'pledge' | 'receipt' | 'beneficiaries';
export class RecordFoundationFigureCommand extends LeagueCommand<{
  campaignId: string;
  projectId: string;
  figure: FoundationFigure;
  amountFen?: number | null;
  receiptRef?: string | null;
  count?: number | null;
  note?: string | null;
}> {}
