import { stopDeadline, type DeadlinePolicy, type DeadlineStartedData } from '@gongzhi/deadlines-domain';
import { assertNever, streamIdFor, type CommandMetadata, type Decider, type NewEvent } from '@gongzhi/kernel';
import type { CampaignCommand, IssueTask } from './campaign.commands';
import {
  CAMPAIGN_BRANDS,
  CAMPAIGN_CHANNELS,
  PARTNER_KINDS,
  type CampaignChannel,
  type CampaignStreamEvent,
  type Quota,
} from './campaign.events';
import { isPathWithin, optionalText, requireInstant, requireInteger, requireText, type OrgUnitRef } from './validation';
import {
  AssigneeNotSubordinate,
  CampaignAlreadyExists,
  CampaignHasOpenTasks,
  CampaignNotFound,
  CampaignStateInvalid,
  ChannelNotLaunched,
  DuplicateReference,
  FoundationProjectNotFound,
  InvalidLeagueInput,
  TaskAlreadyExists,
  TaskNotDue,
  TaskNotFound,
  TaskStateInvalid,
} from './youth-league.errors';

/** `youth-league.campaign-<id>`: the campaign with all its tasks, so a cascade is checked against one consistent picture. */
export const campaignStream = streamIdFor('youth-league', 'campaign');

/** The campaign's one deadline clock: always due at the earliest deadline among its open tasks. */
export const TASK_CLOCK_ID = 'next-task-deadline';

/**
 * The rule a task clock runs under. The deadline is not a statutory period: the issuing league
 * committee fixes it in the task. It is still a policy (DOMAIN.md "Deadlines are data"), seeded
 * into the policy table, so a clock names the rule and version it was recorded under.
 */
export const TASK_DEADLINE_POLICY: DeadlinePolicy = {
  policyId: 'league.campaign-task.deadline',
  version: 1,
  title: '團組織動員任務期限（由下達任務的團組織確定）',
  source: '[设计] DOMAIN.md §2.10: TaskIssued(to lower league orgs, quota, deadline) → Completed|Overdue',
  length: 0,
  unit: 'h',
  expiry: 'overdue',
  extension: null,
  rollForward: false,
  effectiveFrom: '2000-01-01T00:00:00.000Z',
};

export const TASK_CLOCK_CALENDAR_ID = 'cn-national';

export type CampaignStatus = 'Planned' | 'Approved' | 'Launched' | 'Running' | 'Closing' | 'Closed' | 'Evaluated';

/** Issued → Acknowledged → Completed; `overdue` is set by the scheduler and never cleared. */
export type TaskStatus = 'Issued' | 'Acknowledged' | 'Completed';

export interface CampaignTask {
  taskId: string;
  parentTaskId: string | null;
  issuer: OrgUnitRef;
  assignee: OrgUnitRef;
  status: TaskStatus;
  overdue: boolean;
  deadline: string;
  quota: Quota;
  achieved: number;
}

export type Campaign =
  | { status: 'None' }
  | {
      status: CampaignStatus;
      campaignId: string;
      owner: OrgUnitRef;
      channels: CampaignChannel[];
      tasks: Record<string, CampaignTask>;
      activityIds: string[];
      partnerIds: string[];
      projects: Record<string, { viaPath: string }>;
      /** The running task clock, as started (null when no task is open). */
      taskClock: DeadlineStartedData | null;
    };

export type ExistingCampaign = Exclude<Campaign, { status: 'None' }>;
type Emit = NewEvent<CampaignStreamEvent>[];

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const requireDate = (value: unknown, field: string): string => {
  if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new InvalidLeagueInput(`${field} must be a date (YYYY-MM-DD)`, { field });
  }
  return value;
};

const existing = (state: Campaign, campaignId: string): ExistingCampaign => {
  if (state.status === 'None') throw new CampaignNotFound(campaignId);
  return state;
};

const requireStatus = (c: ExistingCampaign, allowed: readonly CampaignStatus[], action: string): void => {
  if (!allowed.includes(c.status)) throw new CampaignStateInvalid(c.campaignId, c.status, action);
};

/** Where new mobilization may start: launched (it starts running now) or running. */
const MOBILIZING: readonly CampaignStatus[] = ['Launched', 'Running'];
/** Where results of running work may still come in: also while the campaign is closing. */
const REPORTING: readonly CampaignStatus[] = ['Launched', 'Running', 'Closing'];

const requireChannel = (c: ExistingCampaign, channel: CampaignChannel): void => {
  if (!c.channels.includes(channel)) throw new ChannelNotLaunched(c.campaignId, channel);
};

/** The first act of mobilization moves a launched campaign to running, in the same batch. */
const startIfLaunched = (c: ExistingCampaign, now: string): Emit =>
  c.status === 'Launched' ? [{ type: 'CampaignStarted', data: { campaignId: c.campaignId, at: now } }] : [];

const task = (c: ExistingCampaign, taskId: string): CampaignTask => {
  const t = c.tasks[taskId];
  if (!t) throw new TaskNotFound(c.campaignId, taskId);
  return t;
};

const isOpen = (t: CampaignTask): boolean => t.status !== 'Completed' && !t.overdue;

const assigneeFacts = (t: CampaignTask) => ({ assigneeOrgUnitId: t.assignee.orgUnitId, assigneePath: t.assignee.path });

const issueTask = ({ data, metadata }: IssueTask, c: ExistingCampaign): Emit => {
  requireStatus(c, MOBILIZING, 'issue a task');
  requireChannel(c, 'organizational');
  const taskId = requireText(data.taskId, 'taskId', 64);
  if (c.tasks[taskId]) throw new TaskAlreadyExists(c.campaignId, taskId);
  const parent = data.parentTaskId ? task(c, data.parentTaskId) : null;
  // Cascading passes on a task the unit has taken on: it acknowledges before it issues further down.
  if (parent && parent.status !== 'Acknowledged') throw new TaskStateInvalid(c.campaignId, parent.taskId, parent.status, 'cascade the task');
  const issuer = parent ? parent.assignee : c.owner;
  // 組織化動員 runs down the hierarchy: only to a unit strictly below the issuer.
  if (data.assignee.path === issuer.path || !isPathWithin(data.assignee.path, issuer.path)) {
    throw new AssigneeNotSubordinate(c.campaignId, data.assignee.orgUnitId);
  }
  const deadline = requireInstant(data.deadline, 'deadline');
  if (Date.parse(deadline) <= Date.parse(metadata.now)) throw new InvalidLeagueInput('The deadline must lie in the future', { field: 'deadline' });
  if (parent && Date.parse(deadline) > Date.parse(parent.deadline)) {
    throw new InvalidLeagueInput('A cascaded task is due no later than the task it comes from', { field: 'deadline' });
  }
  const quota = { target: requireInteger(data.quota?.target, 'quota.target', 0, 1_000_000_000), unit: requireText(data.quota?.unit, 'quota.unit', 20) };
  return [
    ...startIfLaunched(c, metadata.now),
    {
      type: 'CampaignTaskIssued',
      data: {
        campaignId: c.campaignId,
        taskId,
        parentTaskId: parent?.taskId ?? null,
        issuerOrgUnitId: issuer.orgUnitId,
        issuerPath: issuer.path,
        assigneeOrgUnitId: data.assignee.orgUnitId,
        assigneePath: data.assignee.path,
        title: requireText(data.title, 'title', 200),
        quota,
        deadline,
        issuedAt: metadata.now,
      },
    },
  ];
};

/** The unit a social-channel record is counted at: the one named, inside the owner's subtree, or the owner. */
const viaUnit = (c: ExistingCampaign, via: OrgUnitRef | null | undefined): OrgUnitRef => {
  if (!via) return c.owner;
  if (!isPathWithin(via.path, c.owner.path)) throw new AssigneeNotSubordinate(c.campaignId, via.orgUnitId);
  return via;
};

const decideCore = (command: CampaignCommand, state: Campaign): Emit => {
  const { metadata } = command;
  const now = metadata.now;
  switch (command.type) {
    case 'PlanCampaign': {
      const { data } = command;
      if (state.status !== 'None') throw new CampaignAlreadyExists(data.campaignId);
      if (!(CAMPAIGN_BRANDS as readonly string[]).includes(data.brand)) throw new InvalidLeagueInput('Unknown campaign brand', { field: 'brand' });
      const startsOn = requireDate(data.startsOn, 'startsOn');
      const endsOn = requireDate(data.endsOn, 'endsOn');
      if (endsOn < startsOn) throw new InvalidLeagueInput('endsOn must not precede startsOn', { field: 'endsOn' });
      return [
        {
          type: 'CampaignPlanned',
          data: {
            campaignId: data.campaignId,
            name: requireText(data.name, 'name', 100),
            brand: data.brand,
            description: requireText(data.description, 'description', 4000),
            ownerOrgUnitId: data.owner.orgUnitId,
            ownerPath: data.owner.path,
            startsOn,
            endsOn,
            plannedAt: now,
          },
        },
      ];
    }
    case 'ApproveCampaign': {
      const c = existing(state, command.data.campaignId);
      requireStatus(c, ['Planned'], 'approve');
      return [{ type: 'CampaignApproved', data: { campaignId: c.campaignId, approvedBy: metadata.actor.userId, at: now } }];
    }
    case 'LaunchCampaign': {
      const c = existing(state, command.data.campaignId);
      requireStatus(c, ['Approved'], 'launch');
      const channels = [...new Set(command.data.channels ?? [])];
      if (channels.length === 0 || channels.some((ch) => !(CAMPAIGN_CHANNELS as readonly string[]).includes(ch))) {
        throw new InvalidLeagueInput('Launch with at least one channel: organizational, social', { field: 'channels' });
      }
      return [{ type: 'CampaignLaunched', data: { campaignId: c.campaignId, channels: CAMPAIGN_CHANNELS.filter((ch) => channels.includes(ch)), at: now } }];
    }
    case 'BeginClosingCampaign': {
      const c = existing(state, command.data.campaignId);
      requireStatus(c, MOBILIZING, 'begin closing');
      return [{ type: 'CampaignClosingStarted', data: { campaignId: c.campaignId, at: now } }];
    }
    case 'CloseCampaign': {
      const c = existing(state, command.data.campaignId);
      requireStatus(c, ['Closing'], 'close');
      const open = Object.values(c.tasks).filter(isOpen).map((t) => t.taskId);
      if (open.length > 0) throw new CampaignHasOpenTasks(c.campaignId, open);
      return [{ type: 'CampaignClosed', data: { campaignId: c.campaignId, at: now } }];
    }
    case 'EvaluateCampaign': {
      const c = existing(state, command.data.campaignId);
      requireStatus(c, ['Closed'], 'evaluate');
      return [
        {
          type: 'CampaignEvaluated',
          data: {
            campaignId: c.campaignId,
            rating: requireInteger(command.data.rating, 'rating', 1, 5),
            summary: requireText(command.data.summary, 'summary', 4000),
            evaluatedBy: metadata.actor.userId,
            at: now,
          },
        },
      ];
    }
    case 'IssueTask':
      return issueTask(command, existing(state, command.data.campaignId));
    case 'AcknowledgeTask': {
      const c = existing(state, command.data.campaignId);
      requireStatus(c, REPORTING, 'acknowledge a task');
      const t = task(c, command.data.taskId);
      if (t.status !== 'Issued') throw new TaskStateInvalid(c.campaignId, t.taskId, t.status, 'acknowledge');
      return [{ type: 'CampaignTaskAcknowledged', data: { campaignId: c.campaignId, taskId: t.taskId, ...assigneeFacts(t), at: now } }];
    }
    case 'ReportTaskProgress': {
      const c = existing(state, command.data.campaignId);
      requireStatus(c, REPORTING, 'report progress');
      const t = task(c, command.data.taskId);
      if (t.status !== 'Acknowledged') throw new TaskStateInvalid(c.campaignId, t.taskId, t.status, 'report progress');
      return [
        {
          type: 'CampaignTaskProgressReported',
          data: {
            campaignId: c.campaignId,
            taskId: t.taskId,
            ...assigneeFacts(t),
            achieved: requireInteger(command.data.achieved, 'achieved', 0, 1_000_000_000),
            note: optionalText(command.data.note, 'note', 2000),
            at: now,
          },
        },
      ];
    }
    case 'CompleteTask': {
      const c = existing(state, command.data.campaignId);
      requireStatus(c, REPORTING, 'complete a task');
      const t = task(c, command.data.taskId);
      if (t.status !== 'Acknowledged') throw new TaskStateInvalid(c.campaignId, t.taskId, t.status, 'complete');
      const achieved =
        command.data.achieved === undefined || command.data.achieved === null
          ? t.achieved
          : requireInteger(command.data.achieved, 'achieved', 0, 1_000_000_000);
      const late = t.overdue || Date.parse(now) > Date.parse(t.deadline);
      return [{ type: 'CampaignTaskCompleted', data: { campaignId: c.campaignId, taskId: t.taskId, ...assigneeFacts(t), achieved, late, at: now } }];
    }
    case 'MarkTaskOverdue': {
      const c = existing(state, command.data.campaignId);
      const t = task(c, command.data.taskId);
      // The scheduler may fire after the task was completed or already marked: nothing to do then.
      if (t.status === 'Completed' || t.overdue) return [];
      if (Date.parse(now) < Date.parse(t.deadline)) throw new TaskNotDue(c.campaignId, t.taskId, t.deadline);
      return [{ type: 'CampaignTaskOverdue', data: { campaignId: c.campaignId, taskId: t.taskId, ...assigneeFacts(t), deadline: t.deadline, at: now } }];
    }
    case 'MarkOverdueTasks': {
      const c = existing(state, command.data.campaignId);
      return Object.values(c.tasks)
        .filter((t) => isOpen(t) && Date.parse(t.deadline) <= Date.parse(now))
        .sort((a, b) => a.deadline.localeCompare(b.deadline) || a.taskId.localeCompare(b.taskId))
        .map((t) => ({ type: 'CampaignTaskOverdue' as const, data: { campaignId: c.campaignId, taskId: t.taskId, ...assigneeFacts(t), deadline: t.deadline, at: now } }));
    }
    case 'DispatchStaff': {
      const c = existing(state, command.data.campaignId);
      requireStatus(c, REPORTING, 'dispatch staff');
      const t = task(c, command.data.taskId);
      if (t.status !== 'Acknowledged') throw new TaskStateInvalid(c.campaignId, t.taskId, t.status, 'dispatch staff');
      return [
        {
          type: 'CampaignStaffDispatched',
          data: {
            campaignId: c.campaignId,
            taskId: t.taskId,
            orgUnitId: t.assignee.orgUnitId,
            orgUnitPath: t.assignee.path,
            count: requireInteger(command.data.count, 'count', 1, 100_000),
            purpose: requireText(command.data.purpose, 'purpose', 500),
            at: now,
          },
        },
      ];
    }
    case 'LinkActivity': {
      const c = existing(state, command.data.campaignId);
      requireStatus(c, MOBILIZING, 'link an activity');
      requireChannel(c, 'social');
      const { activityId, organizer } = command.data;
      if (c.activityIds.includes(activityId)) throw new DuplicateReference(c.campaignId, 'Activity', activityId);
      return [
        ...startIfLaunched(c, now),
        { type: 'CampaignActivityLinked', data: { campaignId: c.campaignId, activityId, organizerOrgUnitId: organizer.orgUnitId, organizerPath: organizer.path, at: now } },
      ];
    }
    case 'RecordPartnerJoined': {
      const c = existing(state, command.data.campaignId);
      const { data } = command;
      requireStatus(c, MOBILIZING, 'record a partner');
      requireChannel(c, 'social');
      const partnerId = requireText(data.partnerId, 'partnerId', 64);
      if (c.partnerIds.includes(partnerId)) throw new DuplicateReference(c.campaignId, 'Partner', partnerId);
      if (!(PARTNER_KINDS as readonly string[]).includes(data.kind)) throw new InvalidLeagueInput('Unknown partner kind', { field: 'kind' });
      const via = viaUnit(c, data.via);
      return [
        ...startIfLaunched(c, now),
        {
          type: 'CampaignPartnerJoined',
          data: {
            campaignId: c.campaignId,
            partnerId,
            kind: data.kind,
            name: requireText(data.name, 'name', 200),
            partnerOrgUnitId: optionalText(data.partnerOrgUnitId, 'partnerOrgUnitId', 64),
            viaOrgUnitId: via.orgUnitId,
            viaPath: via.path,
            contribution: optionalText(data.contribution, 'contribution', 1000),
            at: now,
          },
        },
      ];
    }
    case 'LinkFoundationProject': {
      const c = existing(state, command.data.campaignId);
      const { data } = command;
      requireStatus(c, MOBILIZING, 'link a foundation project');
      requireChannel(c, 'social');
      const projectId = requireText(data.projectId, 'projectId', 64);
      if (c.projects[projectId]) throw new DuplicateReference(c.campaignId, 'FoundationProject', projectId);
      const via = viaUnit(c, data.via);
      return [
        ...startIfLaunched(c, now),
        {
          type: 'FoundationProjectLinked',
          data: {
            campaignId: c.campaignId,
            projectId,
            foundationName: requireText(data.foundationName, 'foundationName', 200),
            projectRef: requireText(data.projectRef, 'projectRef', 100),
            title: requireText(data.title, 'title', 200),
            pledgedFen: requireInteger(data.pledgedFen, 'pledgedFen', 0),
            viaOrgUnitId: via.orgUnitId,
            viaPath: via.path,
            at: now,
          },
        },
      ];
    }
    case 'RecordFoundationPledge':
    case 'RecordFoundationReceipt':
    case 'ReportBeneficiaries': {
      const c = existing(state, command.data.campaignId);
      requireStatus(c, REPORTING, 'report on a foundation project');
      const project = c.projects[command.data.projectId];
      if (!project) throw new FoundationProjectNotFound(c.campaignId, command.data.projectId);
      const base = { campaignId: c.campaignId, projectId: command.data.projectId, viaPath: project.viaPath, at: now };
      if (command.type === 'RecordFoundationPledge') {
        return [{ type: 'FoundationPledgeRecorded', data: { ...base, amountFen: requireInteger(command.data.amountFen, 'amountFen', 1) } }];
      }
      if (command.type === 'RecordFoundationReceipt') {
        return [
          {
            type: 'FoundationFundsReceived',
            data: { ...base, amountFen: requireInteger(command.data.amountFen, 'amountFen', 1), receiptRef: requireText(command.data.receiptRef, 'receiptRef', 100) },
          },
        ];
      }
      return [
        {
          type: 'FoundationBeneficiariesReported',
          data: { ...base, count: requireInteger(command.data.count, 'count', 1, 100_000_000), note: optionalText(command.data.note, 'note', 1000) },
        },
      ];
    }
    default:
      return assertNever(command);
  }
};

const HOUR_MS = 3_600_000;

/** The earliest deadline among open tasks, or null. */
const earliestOpenDeadline = (c: ExistingCampaign): string | null =>
  Object.values(c.tasks)
    .filter(isOpen)
    .map((t) => t.deadline)
    .sort()[0] ?? null;

const clockStarted = (policy: Omit<DeadlineStartedData, 'clockId' | 'startedAt' | 'dueAt' | 'length'>, now: string, dueAt: string): DeadlineStartedData => ({
  clockId: TASK_CLOCK_ID,
  policyId: policy.policyId,
  version: policy.version,
  source: policy.source,
  // The agreed period, in whole hours from now (the due instant itself is exact).
  length: Math.max(0, Math.ceil((Date.parse(dueAt) - Date.parse(now)) / HOUR_MS)),
  unit: 'h',
  expiry: 'overdue',
  rollForward: false,
  calendarId: policy.calendarId,
  startedAt: now,
  dueAt,
});

/**
 * Keeps the task clock on the earliest open deadline after the command's events: started when
 * the first task opens, moved (stopped and started again) when that deadline changes, stopped
 * when no task is open. The scheduler reads these clock events from the open-clocks projection.
 */
const withTaskClock = (command: CampaignCommand, state: Campaign, events: Emit): Emit => {
  if (state.status === 'None' && events.length === 0) return events;
  const metadata = { orgUnitPath: '', occurredAt: command.metadata.now } as CommandMetadata & { occurredAt: string };
  const after = events.reduce<Campaign>((s, e) => evolveCampaign(s, { ...e, metadata } as unknown as CampaignStreamEvent), state);
  if (after.status === 'None') return events;
  const now = command.metadata.now;
  const current = after.taskClock;
  const due = earliestOpenDeadline(after);
  if ((current?.dueAt ?? null) === due) return events;
  const out: Emit = [...events];
  if (current) {
    const expired = events.some((e) => e.type === 'CampaignTaskOverdue');
    out.push({ type: 'DeadlineStopped', data: stopDeadline(TASK_CLOCK_ID, now, expired ? 'expired' : 'met') });
  }
  if (due !== null) {
    const given = command.type === 'IssueTask' ? command.data.deadlinePolicy : null;
    const policy = current ?? { ...(given ?? TASK_DEADLINE_POLICY), calendarId: TASK_CLOCK_CALENDAR_ID };
    out.push({ type: 'DeadlineStarted', data: clockStarted(policy, now, due) });
  }
  return out;
};

export const decideCampaign = (command: CampaignCommand, state: Campaign): Emit => withTaskClock(command, state, decideCore(command, state));

const withTask = (c: ExistingCampaign, taskId: string, change: Partial<CampaignTask>): ExistingCampaign =>
  c.tasks[taskId] ? { ...c, tasks: { ...c.tasks, [taskId]: { ...c.tasks[taskId], ...change } } } : c;

export const evolveCampaign = (state: Campaign, event: CampaignStreamEvent): Campaign => {
  if (event.type === 'CampaignPlanned') {
    return {
      status: 'Planned',
      campaignId: event.data.campaignId,
      owner: { orgUnitId: event.data.ownerOrgUnitId, path: event.data.ownerPath },
      channels: [],
      tasks: {},
      activityIds: [],
      partnerIds: [],
      projects: {},
      taskClock: null,
    };
  }
  if (state.status === 'None') return state;
  const c = state;
  switch (event.type) {
    case 'CampaignApproved':
      return { ...c, status: 'Approved' };
    case 'CampaignLaunched':
      return { ...c, status: 'Launched', channels: event.data.channels };
    case 'CampaignStarted':
      return { ...c, status: 'Running' };
    case 'CampaignClosingStarted':
      return { ...c, status: 'Closing' };
    case 'CampaignClosed':
      return { ...c, status: 'Closed' };
    case 'CampaignEvaluated':
      return { ...c, status: 'Evaluated' };
    case 'CampaignTaskIssued': {
      const d = event.data;
      return {
        ...c,
        tasks: {
          ...c.tasks,
          [d.taskId]: {
            taskId: d.taskId,
            parentTaskId: d.parentTaskId,
            issuer: { orgUnitId: d.issuerOrgUnitId, path: d.issuerPath },
            assignee: { orgUnitId: d.assigneeOrgUnitId, path: d.assigneePath },
            status: 'Issued',
            overdue: false,
            deadline: d.deadline,
            quota: d.quota,
            achieved: 0,
          },
        },
      };
    }
    case 'CampaignTaskAcknowledged':
      return withTask(c, event.data.taskId, { status: 'Acknowledged' });
    case 'CampaignTaskProgressReported':
      return withTask(c, event.data.taskId, { achieved: event.data.achieved });
    case 'CampaignTaskCompleted':
      return withTask(c, event.data.taskId, { status: 'Completed', achieved: event.data.achieved });
    case 'CampaignTaskOverdue':
      return withTask(c, event.data.taskId, { overdue: true });
    case 'CampaignStaffDispatched':
      return c;
    case 'CampaignActivityLinked':
      return { ...c, activityIds: [...c.activityIds, event.data.activityId] };
    case 'CampaignPartnerJoined':
      return { ...c, partnerIds: [...c.partnerIds, event.data.partnerId] };
    case 'FoundationProjectLinked':
      return { ...c, projects: { ...c.projects, [event.data.projectId]: { viaPath: event.data.viaPath } } };
    case 'FoundationPledgeRecorded':
    case 'FoundationFundsReceived':
    case 'FoundationBeneficiariesReported':
      return c;
    case 'DeadlineStarted':
      return event.data.clockId === TASK_CLOCK_ID ? { ...c, taskClock: event.data } : c;
    case 'DeadlineStopped':
      return event.data.clockId === TASK_CLOCK_ID ? { ...c, taskClock: null } : c;
    default:
      return assertNever(event);
  }
};

export const campaignDecider: Decider<Campaign, CampaignCommand, CampaignStreamEvent> = {
  initialState: { status: 'None' },
  decide: decideCampaign,
  evolve: evolveCampaign,
};
