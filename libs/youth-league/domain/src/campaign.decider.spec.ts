import { forDecider, TEST_NOW, type GivenEvent } from '@gongzhi/testing';
import type { CampaignStreamEvent } from './campaign.events';
import { campaignDecider, TASK_DEADLINE_POLICY } from './campaign.decider';

const given = forDecider(campaignDecider);
type E = GivenEvent<CampaignStreamEvent>;

const PROVINCE = { orgUnitId: 'gz', path: '/gz/' };
const CITY = { orgUnitId: 'gy', path: '/gz/gy/' };
const COUNTY = { orgUnitId: 'hx', path: '/gz/gy/hx/' };
const OTHER_CITY = { orgUnitId: 'zy', path: '/gz/zy/' };
const DEADLINE = '2024-06-30T16:00:00.000Z';
const LATER = '2024-07-01T00:00:00.000Z';

const planned: E = {
  type: 'CampaignPlanned',
  data: {
    campaignId: 'c1', name: '春暉行動2024', brand: 'chunhui', description: '動員在外貴州籍人士反哺家鄉', ownerOrgUnitId: 'gz', ownerPath: '/gz/',
    startsOn: '2024-03-01', endsOn: '2024-12-31', plannedAt: TEST_NOW,
  },
};
const approved: E = { type: 'CampaignApproved', data: { campaignId: 'c1', approvedBy: 'officer', at: TEST_NOW } };
const launched = (channels: ('organizational' | 'social')[] = ['organizational', 'social']): E => ({
  type: 'CampaignLaunched',
  data: { campaignId: 'c1', channels, at: TEST_NOW },
});
const started: E = { type: 'CampaignStarted', data: { campaignId: 'c1', at: TEST_NOW } };
const issued = (taskId: string, assignee: { orgUnitId: string; path: string }, issuer = PROVINCE, parentTaskId: string | null = null): E => ({
  type: 'CampaignTaskIssued',
  data: {
    campaignId: 'c1', taskId, parentTaskId, issuerOrgUnitId: issuer.orgUnitId, issuerPath: issuer.path, assigneeOrgUnitId: assignee.orgUnitId,
    assigneePath: assignee.path, title: '建立春暉使者聯絡站', quota: { target: 10, unit: '站' }, deadline: DEADLINE, issuedAt: TEST_NOW,
  },
});
const acknowledged = (taskId: string, assignee: { orgUnitId: string; path: string }): E => ({
  type: 'CampaignTaskAcknowledged',
  data: { campaignId: 'c1', taskId, assigneeOrgUnitId: assignee.orgUnitId, assigneePath: assignee.path, at: TEST_NOW },
});
const running = [planned, approved, launched(), started];
/** The task clock the decider starts: due at the earliest open deadline. */
const clock = (dueAt: string, now = TEST_NOW): E => ({
  type: 'DeadlineStarted',
  data: {
    clockId: 'next-task-deadline', policyId: TASK_DEADLINE_POLICY.policyId, version: 1, source: TASK_DEADLINE_POLICY.source,
    length: Math.ceil((Date.parse(dueAt) - Date.parse(now)) / 3_600_000), unit: 'h', expiry: 'overdue', rollForward: false,
    calendarId: 'cn-national', startedAt: now, dueAt,
  },
});
const clockStopped = (reason: 'met' | 'expired', at = TEST_NOW): E => ({ type: 'DeadlineStopped', data: { clockId: 'next-task-deadline', at, reason } });
const issue = (taskId: string, assignee: { orgUnitId: string; path: string }, parentTaskId?: string) => ({
  type: 'IssueTask' as const,
  data: { campaignId: 'c1', taskId, parentTaskId, assignee, title: '建立春暉使者聯絡站', quota: { target: 10, unit: '站' }, deadline: DEADLINE },
});

describe('campaign decider: lifecycle', () => {
  it('goes planned → approved → launched with channels', () => {
    given([planned]).when({ type: 'ApproveCampaign', data: { campaignId: 'c1' }, metadata: { actor: { userId: 'officer' } } }).then([approved]);
    given([planned, approved]).when({ type: 'LaunchCampaign', data: { campaignId: 'c1', channels: ['social', 'organizational', 'social'] } }).then([launched()]);
    given([planned]).when({ type: 'LaunchCampaign', data: { campaignId: 'c1', channels: ['social'] } }).thenThrows('LEAGUE.CAMPAIGN_STATE_INVALID');
    given([planned, approved]).when({ type: 'LaunchCampaign', data: { campaignId: 'c1', channels: [] } }).thenThrows('LEAGUE.INVALID_INPUT');
  });

  it('starts running with the first task, in the same decision', () => {
    given([planned, approved, launched()]).when(issue('t1', CITY)).then([started, issued('t1', CITY), clock(DEADLINE)]);
  });

  it('closes only when no task is open (overdue ones count as closed out), then is evaluated', () => {
    const closing: E = { type: 'CampaignClosingStarted', data: { campaignId: 'c1', at: TEST_NOW } };
    given([...running, issued('t1', CITY), closing]).when({ type: 'CloseCampaign', data: { campaignId: 'c1' } }).thenThrows('LEAGUE.CAMPAIGN_HAS_OPEN_TASKS');
    const overdue: E = { type: 'CampaignTaskOverdue', data: { campaignId: 'c1', taskId: 't1', assigneeOrgUnitId: 'gy', assigneePath: CITY.path, deadline: DEADLINE, at: LATER } };
    given([...running, issued('t1', CITY), overdue, closing]).when({ type: 'CloseCampaign', data: { campaignId: 'c1' } }).then([{ type: 'CampaignClosed', data: { campaignId: 'c1', at: TEST_NOW } }]);
    given([...running, closing, { type: 'CampaignClosed', data: { campaignId: 'c1', at: TEST_NOW } }])
      .when({ type: 'EvaluateCampaign', data: { campaignId: 'c1', rating: 4, summary: '聯絡站覆蓋全部市州' }, metadata: { actor: { userId: 'evaluator' } } })
      .then([{ type: 'CampaignEvaluated', data: { campaignId: 'c1', rating: 4, summary: '聯絡站覆蓋全部市州', evaluatedBy: 'evaluator', at: TEST_NOW } }]);
    given([...running, closing]).when(issue('t9', CITY)).thenThrows('LEAGUE.CAMPAIGN_STATE_INVALID');
  });
});

describe('campaign decider: organizational channel', () => {
  it('issues only to units below the issuer, and only with the organizational channel launched', () => {
    given(running).when(issue('t1', PROVINCE)).thenThrows('LEAGUE.ASSIGNEE_NOT_SUBORDINATE');
    given(running).when(issue('t1', { orgUnitId: 'x', path: '/sc/' })).thenThrows('LEAGUE.ASSIGNEE_NOT_SUBORDINATE');
    given([planned, approved, launched(['social']), started]).when(issue('t1', CITY)).thenThrows('LEAGUE.CHANNEL_NOT_LAUNCHED');
  });

  it('cascades a task the city acknowledged down to its county, with the city as issuer', () => {
    // Same deadline as the parent: the task clock already runs to it, nothing to move.
    given([...running, issued('t1', CITY), clock(DEADLINE), acknowledged('t1', CITY)]).when(issue('t2', COUNTY, 't1')).then([issued('t2', COUNTY, CITY, 't1')]);
    // Not before acknowledging, and not sideways into another city.
    given([...running, issued('t1', CITY)]).when(issue('t2', COUNTY, 't1')).thenThrows('LEAGUE.TASK_STATE_INVALID');
    given([...running, issued('t1', CITY), acknowledged('t1', CITY)]).when(issue('t2', OTHER_CITY, 't1')).thenThrows('LEAGUE.ASSIGNEE_NOT_SUBORDINATE');
  });

  it('a cascaded task is due no later than its parent', () => {
    given([...running, issued('t1', CITY), acknowledged('t1', CITY)])
      .when({ ...issue('t2', COUNTY, 't1'), data: { ...issue('t2', COUNTY, 't1').data, deadline: LATER } })
      .thenThrows('LEAGUE.INVALID_INPUT');
  });

  it('acknowledge → progress → complete, late when past the deadline', () => {
    given([...running, issued('t1', CITY)])
      .when({ type: 'ReportTaskProgress', data: { campaignId: 'c1', taskId: 't1', achieved: 3 } })
      .thenThrows('LEAGUE.TASK_STATE_INVALID');
    given([...running, issued('t1', CITY), clock(DEADLINE), acknowledged('t1', CITY)])
      .when({ type: 'ReportTaskProgress', data: { campaignId: 'c1', taskId: 't1', achieved: 6, note: '已建6站' } })
      .then([{ type: 'CampaignTaskProgressReported', data: { campaignId: 'c1', taskId: 't1', assigneeOrgUnitId: 'gy', assigneePath: CITY.path, achieved: 6, note: '已建6站', at: TEST_NOW } }]);
    given([...running, issued('t1', CITY), clock(DEADLINE), acknowledged('t1', CITY)])
      .when({ type: 'CompleteTask', data: { campaignId: 'c1', taskId: 't1', achieved: 10 }, metadata: { now: LATER } })
      .then([
        { type: 'CampaignTaskCompleted', data: { campaignId: 'c1', taskId: 't1', assigneeOrgUnitId: 'gy', assigneePath: CITY.path, achieved: 10, late: true, at: LATER } },
        clockStopped('met', LATER),
      ]);
  });

  it('the scheduler marks a task overdue only once its deadline has passed, and not after completion', () => {
    given([...running, issued('t1', CITY)]).when({ type: 'MarkTaskOverdue', data: { campaignId: 'c1', taskId: 't1' } }).thenThrows('LEAGUE.TASK_NOT_DUE');
    given([...running, issued('t1', CITY)])
      .when({ type: 'MarkTaskOverdue', data: { campaignId: 'c1', taskId: 't1' }, metadata: { now: LATER } })
      .then([{ type: 'CampaignTaskOverdue', data: { campaignId: 'c1', taskId: 't1', assigneeOrgUnitId: 'gy', assigneePath: CITY.path, deadline: DEADLINE, at: LATER } }]);
    const completed: E = { type: 'CampaignTaskCompleted', data: { campaignId: 'c1', taskId: 't1', assigneeOrgUnitId: 'gy', assigneePath: CITY.path, achieved: 10, late: false, at: TEST_NOW } };
    given([...running, issued('t1', CITY), acknowledged('t1', CITY), completed])
      .when({ type: 'MarkTaskOverdue', data: { campaignId: 'c1', taskId: 't1' }, metadata: { now: LATER } })
      .thenNothing();
  });
});

describe('campaign decider: the task clock the scheduler watches', () => {
  const EARLY = '2024-05-31T16:00:00.000Z';
  const withEarly = (taskId: string, assignee: { orgUnitId: string; path: string }): E => {
    const e = issued(taskId, assignee) as Extract<E, { type: 'CampaignTaskIssued' }>;
    return { ...e, data: { ...e.data, deadline: EARLY } };
  };

  it('moves the clock forward when an earlier deadline is issued', () => {
    given([...running, issued('t1', CITY), clock(DEADLINE)])
      .when({ ...issue('t2', OTHER_CITY), data: { ...issue('t2', OTHER_CITY).data, deadline: EARLY } })
      .then([withEarly('t2', OTHER_CITY), clockStopped('met'), clock(EARLY)]);
  });

  it('MarkOverdueTasks marks every task past its deadline, then runs the clock on to the next one', () => {
    const at = '2024-06-01T00:00:00.000Z';
    given([...running, withEarly('t1', CITY), clock(EARLY), issued('t2', OTHER_CITY)])
      .when({ type: 'MarkOverdueTasks', data: { campaignId: 'c1' }, metadata: { now: at } })
      .then([
        { type: 'CampaignTaskOverdue', data: { campaignId: 'c1', taskId: 't1', assigneeOrgUnitId: 'gy', assigneePath: CITY.path, deadline: EARLY, at } },
        clockStopped('expired', at),
        clock(DEADLINE, at),
      ]);
  });

  it('a scheduler firing with nothing due decides nothing', () => {
    given([...running, issued('t1', CITY), clock(DEADLINE)]).when({ type: 'MarkOverdueTasks', data: { campaignId: 'c1' } }).thenNothing();
  });
});

describe('campaign decider: social channel', () => {
  it('links activities, partners and a foundation project, references only', () => {
    given(running)
      .when({ type: 'LinkActivity', data: { campaignId: 'c1', activityId: 'a1', organizer: COUNTY } })
      .then([{ type: 'CampaignActivityLinked', data: { campaignId: 'c1', activityId: 'a1', organizerOrgUnitId: 'hx', organizerPath: COUNTY.path, at: TEST_NOW } }]);
    given([...running, { type: 'CampaignActivityLinked', data: { campaignId: 'c1', activityId: 'a1', organizerOrgUnitId: 'hx', organizerPath: COUNTY.path, at: TEST_NOW } }])
      .when({ type: 'LinkActivity', data: { campaignId: 'c1', activityId: 'a1', organizer: COUNTY } })
      .thenThrows('LEAGUE.DUPLICATE_REFERENCE');
    given(running)
      .when({ type: 'RecordPartnerJoined', data: { campaignId: 'c1', partnerId: 'p1', kind: 'enterprise', name: '凱迪綠色能源', via: CITY } })
      .then([
        {
          type: 'CampaignPartnerJoined',
          data: { campaignId: 'c1', partnerId: 'p1', kind: 'enterprise', name: '凱迪綠色能源', partnerOrgUnitId: null, viaOrgUnitId: 'gy', viaPath: CITY.path, contribution: null, at: TEST_NOW },
        },
      ]);
    given([planned, approved, launched(['organizational']), started])
      .when({ type: 'LinkActivity', data: { campaignId: 'c1', activityId: 'a1', organizer: COUNTY } })
      .thenThrows('LEAGUE.CHANNEL_NOT_LAUNCHED');
  });

  it('records pledges, receipts and beneficiaries only for a linked foundation project', () => {
    const linked: E = {
      type: 'FoundationProjectLinked',
      data: {
        campaignId: 'c1', projectId: 'fp1', foundationName: '貴州省青少年發展基金會', projectRef: 'GZ-HOPE-2024-01', title: '讓山區孩子吃上熱騰騰午飯',
        pledgedFen: 3_000_000_000, viaOrgUnitId: 'gz', viaPath: '/gz/', at: TEST_NOW,
      },
    };
    given([...running, linked])
      .when({ type: 'RecordFoundationReceipt', data: { campaignId: 'c1', projectId: 'fp1', amountFen: 50_000_000, receiptRef: 'R-001' } })
      .then([{ type: 'FoundationFundsReceived', data: { campaignId: 'c1', projectId: 'fp1', amountFen: 50_000_000, receiptRef: 'R-001', viaPath: '/gz/', at: TEST_NOW } }]);
    given(running)
      .when({ type: 'ReportBeneficiaries', data: { campaignId: 'c1', projectId: 'fp1', count: 300 } })
      .thenThrows('LEAGUE.FOUNDATION_PROJECT_NOT_FOUND');
  });
});
