import type { DeadlineStarted, DeadlineStopped } from '@gongzhi/deadlines-domain';
import type { Event } from '@gongzhi/kernel';

/** Brands of the source documents: 春暉行動, 希望工程, 綠絲帶 and the youth volunteer action. */
export const CAMPAIGN_BRANDS = ['chunhui', 'hope-project', 'green-ribbon', 'youth-volunteer', 'other'] as const;
export type CampaignBrand = (typeof CAMPAIGN_BRANDS)[number];

/** 組織化動員 (through the hierarchy) and 社會化動員 (volunteers, social organizations, the foundation). */
export const CAMPAIGN_CHANNELS = ['organizational', 'social'] as const;
export type CampaignChannel = (typeof CAMPAIGN_CHANNELS)[number];

export const PARTNER_KINDS = ['social-organization', 'enterprise'] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];

export interface Quota {
  target: number;
  /** What the target counts: `村`, `people`, `households`, `volunteers`… */
  unit: string;
}

/**
 * Campaign: PLANNED → APPROVED → LAUNCHED{channels} → RUNNING → CLOSING → CLOSED → EVALUATED
 * (DOMAIN.md §2.10). Org paths in the data are snapshots taken when the event was decided; read
 * models rewrite them when a unit moves.
 */
export type CampaignPlanned = Event<
  'CampaignPlanned',
  {
    campaignId: string;
    name: string;
    brand: CampaignBrand;
    description: string;
    ownerOrgUnitId: string;
    ownerPath: string;
    startsOn: string;
    endsOn: string;
    plannedAt: string;
  }
>;
export type CampaignApproved = Event<'CampaignApproved', { campaignId: string; approvedBy: string; at: string }>;
export type CampaignLaunched = Event<'CampaignLaunched', { campaignId: string; channels: CampaignChannel[]; at: string }>;
/** The first mobilization act (a task issued, an activity linked…) sets the campaign running. */
export type CampaignStarted = Event<'CampaignStarted', { campaignId: string; at: string }>;
export type CampaignClosingStarted = Event<'CampaignClosingStarted', { campaignId: string; at: string }>;
export type CampaignClosed = Event<'CampaignClosed', { campaignId: string; at: string }>;
export type CampaignEvaluated = Event<'CampaignEvaluated', { campaignId: string; rating: number; summary: string; evaluatedBy: string; at: string }>;

// Organizational channel ----------------------------------------------------------------------

export type CampaignTaskIssued = Event<
  'CampaignTaskIssued',
  {
    campaignId: string;
    taskId: string;
    parentTaskId: string | null;
    issuerOrgUnitId: string;
    issuerPath: string;
    assigneeOrgUnitId: string;
    assigneePath: string;
    title: string;
    quota: Quota;
    deadline: string;
    issuedAt: string;
  }
>;
export type CampaignTaskAcknowledged = Event<
  'CampaignTaskAcknowledged',
  { campaignId: string; taskId: string; assigneeOrgUnitId: string; assigneePath: string; at: string }
>;
export type CampaignTaskProgressReported = Event<
  'CampaignTaskProgressReported',
  { campaignId: string; taskId: string; assigneeOrgUnitId: string; assigneePath: string; achieved: number; note: string | null; at: string }
>;
export type CampaignTaskCompleted = Event<
  'CampaignTaskCompleted',
  { campaignId: string; taskId: string; assigneeOrgUnitId: string; assigneePath: string; achieved: number; late: boolean; at: string }
>;
/** Decided by the deadline scheduler when the task's deadline passed while it was still open. */
export type CampaignTaskOverdue = Event<
  'CampaignTaskOverdue',
  { campaignId: string; taskId: string; assigneeOrgUnitId: string; assigneePath: string; deadline: string; at: string }
>;
export type CampaignStaffDispatched = Event<
  'CampaignStaffDispatched',
  { campaignId: string; taskId: string; orgUnitId: string; orgUnitPath: string; count: number; purpose: string; at: string }
>;

// Social channel -----------------------------------------------------------------------------

export type CampaignActivityLinked = Event<
  'CampaignActivityLinked',
  { campaignId: string; activityId: string; organizerOrgUnitId: string; organizerPath: string; at: string }
>;
export type CampaignPartnerJoined = Event<
  'CampaignPartnerJoined',
  {
    campaignId: string;
    partnerId: string;
    kind: PartnerKind;
    /** An organization's name, not a person's. */
    name: string;
    partnerOrgUnitId: string | null;
    /** The unit that brought the partner in; the view counts the partner there. */
    viaOrgUnitId: string;
    viaPath: string;
    contribution: string | null;
    at: string;
  }
>;
/** "center + foundation": the foundation's project is referenced, its accounting stays with the foundation (慈善法). */
export type FoundationProjectLinked = Event<
  'FoundationProjectLinked',
  {
    campaignId: string;
    projectId: string;
    foundationName: string;
    projectRef: string;
    title: string;
    pledgedFen: number;
    viaOrgUnitId: string;
    viaPath: string;
    at: string;
  }
>;
export type FoundationPledgeRecorded = Event<
  'FoundationPledgeRecorded',
  { campaignId: string; projectId: string; amountFen: number; viaPath: string; at: string }
>;
export type FoundationFundsReceived = Event<
  'FoundationFundsReceived',
  { campaignId: string; projectId: string; amountFen: number; receiptRef: string; viaPath: string; at: string }
>;
export type FoundationBeneficiariesReported = Event<
  'FoundationBeneficiariesReported',
  { campaignId: string; projectId: string; count: number; note: string | null; viaPath: string; at: string }
>;

export type CampaignEvent =
  | CampaignPlanned
  | CampaignApproved
  | CampaignLaunched
  | CampaignStarted
  | CampaignClosingStarted
  | CampaignClosed
  | CampaignEvaluated
  | CampaignTaskIssued
  | CampaignTaskAcknowledged
  | CampaignTaskProgressReported
  | CampaignTaskCompleted
  | CampaignTaskOverdue
  | CampaignStaffDispatched
  | CampaignActivityLinked
  | CampaignPartnerJoined
  | FoundationProjectLinked
  | FoundationPledgeRecorded
  | FoundationFundsReceived
  | FoundationBeneficiariesReported;

export const CAMPAIGN_EVENT_TYPES: readonly CampaignEvent['type'][] = [
  'CampaignPlanned',
  'CampaignApproved',
  'CampaignLaunched',
  'CampaignStarted',
  'CampaignClosingStarted',
  'CampaignClosed',
  'CampaignEvaluated',
  'CampaignTaskIssued',
  'CampaignTaskAcknowledged',
  'CampaignTaskProgressReported',
  'CampaignTaskCompleted',
  'CampaignTaskOverdue',
  'CampaignStaffDispatched',
  'CampaignActivityLinked',
  'CampaignPartnerJoined',
  'FoundationProjectLinked',
  'FoundationPledgeRecorded',
  'FoundationFundsReceived',
  'FoundationBeneficiariesReported',
];

/**
 * Everything the campaign stream holds: its own events and the shared clock events of the
 * deadline scheduler (one clock, `next-task-deadline`, always set to the earliest deadline of an
 * open task; the scheduler fires MarkOverdueTasks when it runs out).
 */
export type CampaignStreamEvent = CampaignEvent | DeadlineStarted | DeadlineStopped;
