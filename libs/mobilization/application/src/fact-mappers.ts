import type { RecordedEvent } from '@gongzhi/event-store';

/** The measures of the unified view (DOMAIN.md §2.10 "hybrid view"). */
export const METRICS = {
  // 組織化動員
  tasksIssued: 'tasks_issued',
  tasksAcknowledged: 'tasks_acknowledged',
  tasksCompleted: 'tasks_completed',
  tasksOverdue: 'tasks_overdue',
  unitActivated: 'unit_activated',
  staffDispatched: 'staff_dispatched',
  // 社會化動員
  volunteerSignUps: 'volunteer_sign_ups',
  serviceMinutes: 'service_minutes',
  activities: 'activities',
  socialOrganizationJoined: 'social_organization_joined',
  enterpriseJoined: 'enterprise_joined',
  foundationProjects: 'foundation_projects',
  fundsPledgedFen: 'funds_pledged_fen',
  fundsReceivedFen: 'funds_received_fen',
  beneficiaries: 'beneficiaries',
} as const;

export type Metric = (typeof METRICS)[keyof typeof METRICS];

/** A fact as a mapper emits it; id, time and event type are added by the projection. */
export interface Fact {
  metric: Metric | string;
  value: number;
  orgUnitPath: string;
  subject?: string | null;
  campaignId?: string | null;
  activityId?: string | null;
}

/** Turns one stored event into facts. Pure: only the event (data, metadata), never the clock. */
export type FactMapper = (event: RecordedEvent) => Fact[];

type Data = Record<string, any>;
const d = (e: RecordedEvent): Data => (e.data ?? {}) as Data;
const metaPath = (e: RecordedEvent): string => String((e.metadata as Data).orgUnitPath ?? '');

/** A campaign task's fact, counted where the task is owed: at the assignee. */
const taskFact = (metric: Metric) => (e: RecordedEvent): Fact[] => [
  { metric, value: 1, orgUnitPath: d(e).assigneePath, subject: d(e).assigneeOrgUnitId, campaignId: d(e).campaignId },
];

/** An activity's fact, counted at its organizer (the event's scope): league, community or union alike. */
const activityFact = (metric: Metric, value: (e: RecordedEvent) => number) => (e: RecordedEvent): Fact[] => [
  { metric, value: value(e), orgUnitPath: metaPath(e), subject: d(e).volunteerId ?? null, activityId: d(e).activityId },
];

/**
 * Event type name → facts, for the events of every context this view reads. The view does not
 * import the contexts: it knows these names and the few fields it needs, as an integration
 * consumer would, so a context can change anything else freely. Volunteer service organized by
 * a union or a community (an activity published by their unit) counts the same way.
 */
export const DEFAULT_FACT_MAPPERS: Readonly<Record<string, FactMapper>> = {
  CampaignTaskIssued: taskFact(METRICS.tasksIssued),
  CampaignTaskAcknowledged: (e) => [...taskFact(METRICS.tasksAcknowledged)(e), ...taskFact(METRICS.unitActivated)(e)],
  CampaignTaskCompleted: taskFact(METRICS.tasksCompleted),
  CampaignTaskOverdue: taskFact(METRICS.tasksOverdue),
  CampaignStaffDispatched: (e) => [
    { metric: METRICS.staffDispatched, value: Number(d(e).count), orgUnitPath: d(e).orgUnitPath, subject: d(e).orgUnitId, campaignId: d(e).campaignId },
  ],
  CampaignPartnerJoined: (e) => [
    {
      metric: d(e).kind === 'enterprise' ? METRICS.enterpriseJoined : METRICS.socialOrganizationJoined,
      value: 1,
      orgUnitPath: d(e).viaPath,
      subject: d(e).partnerOrgUnitId ?? d(e).partnerId,
      campaignId: d(e).campaignId,
    },
  ],
  FoundationProjectLinked: (e) => [
    { metric: METRICS.foundationProjects, value: 1, orgUnitPath: d(e).viaPath, subject: d(e).projectId, campaignId: d(e).campaignId },
    ...(Number(d(e).pledgedFen) > 0
      ? [{ metric: METRICS.fundsPledgedFen, value: Number(d(e).pledgedFen), orgUnitPath: d(e).viaPath, subject: d(e).projectId, campaignId: d(e).campaignId }]
      : []),
  ],
  FoundationPledgeRecorded: (e) => [
    { metric: METRICS.fundsPledgedFen, value: Number(d(e).amountFen), orgUnitPath: d(e).viaPath, subject: d(e).projectId, campaignId: d(e).campaignId },
  ],
  FoundationFundsReceived: (e) => [
    { metric: METRICS.fundsReceivedFen, value: Number(d(e).amountFen), orgUnitPath: d(e).viaPath, subject: d(e).projectId, campaignId: d(e).campaignId },
  ],
  FoundationBeneficiariesReported: (e) => [
    { metric: METRICS.beneficiaries, value: Number(d(e).count), orgUnitPath: d(e).viaPath, subject: d(e).projectId, campaignId: d(e).campaignId },
  ],
  ActivityPublished: (e) => [{ metric: METRICS.activities, value: 1, orgUnitPath: d(e).organizerPath ?? metaPath(e), activityId: d(e).activityId }],
  // A sign-up mobilizes a volunteer; withdrawing it takes the count back.
  VolunteerSignedUp: activityFact(METRICS.volunteerSignUps, () => 1),
  SignUpWithdrawn: activityFact(METRICS.volunteerSignUps, () => -1),
  ServiceHoursRecorded: activityFact(METRICS.serviceMinutes, (e) => Number(d(e).minutes)),
  HoursCorrected: activityFact(METRICS.serviceMinutes, (e) => Number(d(e).deltaMinutes)),
};
