import type { DeadlinePolicy } from '@gongzhi/deadlines-domain';
import type { Command } from '@gongzhi/kernel';
import type { CampaignBrand, CampaignChannel, PartnerKind, Quota } from './campaign.events';
import type { OrgUnitRef } from './validation';

export type PlanCampaign = Command<
  'PlanCampaign',
  { campaignId: string; name: string; brand: CampaignBrand; description: string; owner: OrgUnitRef; startsOn: string; endsOn: string }
>;
export type ApproveCampaign = Command<'ApproveCampaign', { campaignId: string }>;
export type LaunchCampaign = Command<'LaunchCampaign', { campaignId: string; channels: CampaignChannel[] }>;
export type BeginClosingCampaign = Command<'BeginClosingCampaign', { campaignId: string }>;
export type CloseCampaign = Command<'CloseCampaign', { campaignId: string }>;
export type EvaluateCampaign = Command<'EvaluateCampaign', { campaignId: string; rating: number; summary: string }>;

/**
 * Without a parent the campaign's owner issues the task; with one, the parent task's assignee
 * cascades part of it further down.
 */
export type IssueTask = Command<
  'IssueTask',
  {
    campaignId: string;
    taskId: string;
    parentTaskId?: string | null;
    assignee: OrgUnitRef;
    title: string;
    quota: Quota;
    deadline: string;
    /** The policy version the task clock is recorded under (from the policy table); default TASK_DEADLINE_POLICY. */
    deadlinePolicy?: DeadlinePolicy | null;
  }
>;
export type AcknowledgeTask = Command<'AcknowledgeTask', { campaignId: string; taskId: string }>;
export type ReportTaskProgress = Command<'ReportTaskProgress', { campaignId: string; taskId: string; achieved: number; note?: string | null }>;
export type CompleteTask = Command<'CompleteTask', { campaignId: string; taskId: string; achieved?: number | null }>;
export type MarkTaskOverdue = Command<'MarkTaskOverdue', { campaignId: string; taskId: string }>;
/** What the deadline scheduler issues when the campaign's task clock runs out. */
export type MarkOverdueTasks = Command<'MarkOverdueTasks', { campaignId: string }>;
export type DispatchStaff = Command<'DispatchStaff', { campaignId: string; taskId: string; count: number; purpose: string }>;

export type LinkActivity = Command<'LinkActivity', { campaignId: string; activityId: string; organizer: OrgUnitRef }>;
export type RecordPartnerJoined = Command<
  'RecordPartnerJoined',
  {
    campaignId: string;
    partnerId: string;
    kind: PartnerKind;
    name: string;
    partnerOrgUnitId?: string | null;
    via?: OrgUnitRef | null;
    contribution?: string | null;
  }
>;
export type LinkFoundationProject = Command<
  'LinkFoundationProject',
  {
    campaignId: string;
    projectId: string;
    foundationName: string;
    projectRef: string;
    title: string;
    pledgedFen: number;
    via?: OrgUnitRef | null;
  }
>;
export type RecordFoundationPledge = Command<'RecordFoundationPledge', { campaignId: string; projectId: string; amountFen: number }>;
export type RecordFoundationReceipt = Command<
  'RecordFoundationReceipt',
  { campaignId: string; projectId: string; amountFen: number; receiptRef: string }
>;
export type ReportBeneficiaries = Command<'ReportBeneficiaries', { campaignId: string; projectId: string; count: number; note?: string | null }>;

export type CampaignCommand =
  | PlanCampaign
  | ApproveCampaign
  | LaunchCampaign
  | BeginClosingCampaign
  | CloseCampaign
  | EvaluateCampaign
  | IssueTask
  | AcknowledgeTask
  | ReportTaskProgress
  | CompleteTask
  | MarkTaskOverdue
  | MarkOverdueTasks
  | DispatchStaff
  | LinkActivity
  | RecordPartnerJoined
  | LinkFoundationProject
  | RecordFoundationPledge
  | RecordFoundationReceipt
  | ReportBeneficiaries;
