import { personalData } from '@gongzhi/kernel';
import { forDecider } from '@gongzhi/testing';
import { incidentDecider } from './incident.decider';
import { at, clockStarted, clockStopped, COMMUNITY, DEPARTMENT, GARBAGE, GRID, ID, LOCATION, RULES, SUBJECT, T0 } from './test-support/incident.fixtures';

const given = forDecider(incidentDecider);
const caller = { subjectId: SUBJECT, name: personalData(SUBJECT, '李建國'), phone: personalData(SUBJECT, '13912345678'), confidential: true, wantsReply: true };

const receive = {
  type: 'ReceiveHotlineWorkOrder' as const,
  data: {
    incidentId: ID,
    ticketNumber: 'SZ12345-20240301-0042',
    matterType: 'complaint' as const,
    hotlineCategory: GARBAGE.code,
    category: GARBAGE,
    community: COMMUNITY,
    grid: GRID,
    location: LOCATION,
    description: '小區東側綠化帶長期堆放垃圾，氣味難聞',
    callerRef: 'caller-7781',
    caller,
    timeLimitWorkingDays: null,
    rules: RULES,
  },
};
const received = {
  type: 'HotlineWorkOrderReceived' as const,
  data: {
    incidentId: ID,
    ticketNumber: 'SZ12345-20240301-0042',
    matterType: 'complaint' as const,
    hotlineCategory: GARBAGE.code,
    category: GARBAGE,
    communityId: COMMUNITY.orgUnitId,
    gridId: GRID.orgUnitId,
    location: LOCATION,
    description: '小區東側綠化帶長期堆放垃圾，氣味難聞',
    callerRef: 'caller-7781',
    reporter: caller,
    timeLimitWorkingDays: null,
    dispatchedAt: T0,
    receivedAt: T0,
  },
  metadata: { orgUnitPath: GRID.path },
};
const hotlineClock = (startedAt = T0, dueAt = '2024-03-08T16:00:00.000Z', length?: number) =>
  clockStarted('community.hotline.work-order', startedAt, dueAt, length === undefined ? {} : { length });

describe('12345 work orders', () => {
  it('arrive dispatched, with the 5-working-day limit of the policy running from receipt', () => {
    given().when(receive).then([received, hotlineClock()]);
  });

  it('take the centre’s own time limit when it sets one', () => {
    given()
      .when({ ...receive, data: { ...receive.data, timeLimitWorkingDays: 3 } })
      .then([{ ...received, data: { ...received.data, timeLimitWorkingDays: 3 } }, hotlineClock(T0, '2024-03-06T16:00:00.000Z', 3)]);
    given().when({ ...receive, data: { ...receive.data, timeLimitWorkingDays: 0 } }).thenThrows('COMMUNITY.INVALID_INPUT');
  });

  it('are idempotent by ticket number: a second copy of the order changes nothing', () => {
    given([received, hotlineClock()]).when({ ...receive, ...at('2024-03-02T01:00:00.000Z') }).thenNothing();
  });

  it('can be objected to (派單異議): the centre upholds the dispatch or reassigns the order', () => {
    const objected = { type: 'DispatchObjected' as const, data: { incidentId: ID, reason: '該處屬鄰近社區管轄', objectedAt: T0 } };
    given([received, hotlineClock()]).when({ type: 'ObjectToDispatch', data: { incidentId: ID, reason: '該處屬鄰近社區管轄' } }).then([objected]);
    given([received, hotlineClock(), objected])
      .when({ type: 'ResolveDispatchObjection', data: { incidentId: ID, outcome: 'upheld', note: '經核實屬本社區' } })
      .then([{ type: 'DispatchObjectionResolved', data: { incidentId: ID, outcome: 'upheld', note: '經核實屬本社區', resolvedAt: T0 } }]);
    given([received, hotlineClock(), objected])
      .when({ type: 'ResolveDispatchObjection', data: { incidentId: ID, outcome: 'reassigned' } })
      .then([{ type: 'DispatchObjectionResolved', data: { incidentId: ID, outcome: 'reassigned', note: '', resolvedAt: T0 } }, clockStopped('cancelled')]);
  });

  it('may be returned to the centre once; after the centre designates the unit it may not be returned again', () => {
    const returned = { type: 'WorkOrderReturned' as const, data: { incidentId: ID, reason: '屬物業服務合同糾紛', returnedAt: T0 } };
    given([received, hotlineClock()]).when({ type: 'ReturnWorkOrder', data: { incidentId: ID, reason: '屬物業服務合同糾紛' } }).then([returned, clockStopped('cancelled')]);

    const again = '2024-03-04T01:00:00.000Z';
    const redispatched = {
      type: 'HotlineWorkOrderRedispatched' as const,
      data: { incidentId: ID, timeLimitWorkingDays: null, dispatchedAt: again, receivedAt: again },
    };
    const history = [received, hotlineClock(), returned, clockStopped('cancelled')];
    given(history)
      .when({ ...receive, data: { ...receive.data, dispatchedAt: again }, ...at(again) })
      .then([redispatched, hotlineClock(again, '2024-03-11T16:00:00.000Z')]);
    // A late copy of the original order (dispatched before the return) is no new dispatch.
    given(history).when({ ...receive, data: { ...receive.data, dispatchedAt: T0 }, ...at(again) }).thenNothing();
    given([...history, redispatched, hotlineClock(again)])
      .when({ type: 'ReturnWorkOrder', data: { incidentId: ID, reason: 'again' } })
      .thenThrows('COMMUNITY.RETURN_NOT_ALLOWED');
  });

  it('take an extension notice with reasons, which moves the limit without approval', () => {
    given([received, hotlineClock()])
      .when({ type: 'NotifyExtension', data: { incidentId: ID, length: 5, reason: '需協調產權單位', rules: RULES } })
      .then([
        { type: 'ExtensionNotified', data: { incidentId: ID, length: 5, unit: 'wd', reason: '需協調產權單位', notifiedAt: T0 } },
        {
          type: 'DeadlineExtended',
          data: { clockId: 'handling', at: T0, length: 5, unit: 'wd', approvedBy: null, reason: '需協調產權單位', dueAt: '2024-03-15T16:00:00.000Z' },
        },
      ]);
    given([received, hotlineClock()]).when({ type: 'RequestExtension', data: { incidentId: ID, requestId: 'x', length: 1, reason: 'r', rules: RULES } }).thenThrows('COMMUNITY.NOT_FOR_HOTLINE');
  });

  it('can be passed on inside the area and returned from there, with the centre’s limit still running', () => {
    const passedOn = {
      type: 'IncidentDispatched' as const,
      data: { incidentId: ID, toOrgUnitId: DEPARTMENT.orgUnitId, toOrgUnitPath: DEPARTMENT.path, note: '', dispatchedAt: T0 },
    };
    given([received, hotlineClock()]).when({ type: 'DispatchIncident', data: { incidentId: ID, toOrgUnitId: DEPARTMENT.orgUnitId, to: DEPARTMENT, rules: RULES } }).then([passedOn]);
    given([received, hotlineClock()])
      .when({ type: 'DispatchIncident', data: { incidentId: ID, toOrgUnitId: GRID.orgUnitId, to: GRID, rules: RULES } })
      .thenThrows('COMMUNITY.ALREADY_RESPONSIBLE');
    given([received, hotlineClock(), passedOn])
      .when({ type: 'ReturnIncident', data: { incidentId: ID, reason: '非本單位職責' } })
      .then([{ type: 'IncidentReturned', data: { incidentId: ID, fromOrgUnitId: DEPARTMENT.orgUnitId, reason: '非本單位職責', returnedAt: T0 } }]);
    given([received, hotlineClock()]).when({ type: 'ReturnIncident', data: { incidentId: ID, reason: 'r' } }).thenThrows('COMMUNITY.NOT_FOR_HOTLINE');
  });

  const handling = { type: 'HandlingReported' as const, data: { incidentId: ID, byOrgUnitId: GRID.orgUnitId, notes: '已協調物業清運', photoRefs: [], reportedAt: T0 } };
  const replied = { type: 'CallerReplied' as const, data: { incidentId: ID, outcome: 'resolved' as const, summary: '垃圾已清運，物業承諾每日巡查', repliedAt: T0 } };

  it('stop their limit when the caller has the reply, not at the handling report', () => {
    given([received, hotlineClock()])
      .when({ type: 'ReportHandling', data: { incidentId: ID, byOrgUnitId: GRID.orgUnitId, notes: '已協調物業清運' } })
      .then([handling]);
    given([received, hotlineClock(), handling])
      .when({ type: 'ReplyToCaller', data: { incidentId: ID, outcome: 'resolved', summary: '垃圾已清運，物業承諾每日巡查' } })
      .then([replied, clockStopped('met')]);
    given([received, hotlineClock()]).when({ type: 'ReplyToCaller', data: { incidentId: ID, outcome: 'maybe' as never, summary: 's' } }).thenThrows('COMMUNITY.INVALID_INPUT');
  });

  it('close on a satisfied callback (回訪)', () => {
    given([received, hotlineClock(), handling, replied, clockStopped('met')])
      .when({ type: 'RecordCallback', data: { incidentId: ID, satisfaction: 'basically-satisfied', resolved: true, rules: RULES } })
      .then([
        { type: 'CallbackRecorded', data: { incidentId: ID, satisfaction: 'basically-satisfied', resolved: true, note: '', recordedAt: T0 } },
        { type: 'IncidentClosed', data: { incidentId: ID, closedAt: T0 } },
      ]);
  });

  it('go back for rework on a dissatisfied callback, with a new limit, and close after a better second round', () => {
    const calledBack = '2024-03-05T02:00:00.000Z';
    const dissatisfied = { type: 'CallbackRecorded' as const, data: { incidentId: ID, satisfaction: 'dissatisfied' as const, resolved: false, note: '垃圾仍未清理', recordedAt: calledBack } };
    const rework = { type: 'IncidentReworkOrdered' as const, data: { incidentId: ID, cause: 'dissatisfied-callback' as const, reworkCount: 1, orderedAt: calledBack } };
    const history = [received, hotlineClock(), handling, replied, clockStopped('met')];
    given(history)
      .when({ type: 'RecordCallback', data: { incidentId: ID, satisfaction: 'dissatisfied', resolved: false, note: '垃圾仍未清理', rules: RULES }, ...at(calledBack) })
      .then([dissatisfied, rework, hotlineClock(calledBack, '2024-03-12T16:00:00.000Z')]);
    // A satisfied caller whose matter is not done is still sent back.
    given(history)
      .when({ type: 'RecordCallback', data: { incidentId: ID, satisfaction: 'satisfied', resolved: false, rules: RULES } })
      .then([
        { type: 'CallbackRecorded', data: { incidentId: ID, satisfaction: 'satisfied', resolved: false, note: '', recordedAt: T0 } },
        { ...rework, data: { ...rework.data, orderedAt: T0 } },
        hotlineClock(),
      ]);
    const round2 = [...history, dissatisfied, rework, hotlineClock(calledBack), handling, replied, clockStopped('met')];
    given(round2)
      .when({ type: 'RecordCallback', data: { incidentId: ID, satisfaction: 'satisfied', resolved: true, rules: RULES } })
      .then([
        { type: 'CallbackRecorded', data: { incidentId: ID, satisfaction: 'satisfied', resolved: true, note: '', recordedAt: T0 } },
        { type: 'IncidentClosed', data: { incidentId: ID, closedAt: T0 } },
      ]);
  });

  it('refuse grid-case steps', () => {
    given([received, hotlineClock()]).when({ type: 'ParkIncident', data: { incidentId: ID, reason: 'r' } }).thenThrows('COMMUNITY.NOT_FOR_HOTLINE');
    given([received, hotlineClock(), handling]).when({ type: 'PassVerification', data: { incidentId: ID } }).thenThrows('COMMUNITY.NOT_FOR_HOTLINE');
    given([received, hotlineClock()]).when({ type: 'RecordCallback', data: { incidentId: ID, satisfaction: 'satisfied', resolved: true, rules: RULES } }).thenThrows('COMMUNITY.INVALID_STATE');
  });

  it('raise an overdue supervision (督辦) when the reply is late, and a repeated-complaint supervision on request', () => {
    const due = '2024-03-08T16:00:00.000Z';
    given([received, hotlineClock()])
      .when({ type: 'MarkIncidentOverdue', data: { incidentId: ID, clockId: 'handling', dueAt: due }, ...at('2024-03-09T02:00:00.000Z') })
      .then([
        { type: 'IncidentOverdue', data: { incidentId: ID, clockId: 'handling', dueAt: due, detectedAt: '2024-03-09T02:00:00.000Z' } },
        {
          type: 'SupervisionRaised',
          data: { incidentId: ID, reason: 'overdue', level: 'notice', note: '', relatedIncidentId: null, raisedAt: '2024-03-09T02:00:00.000Z' },
        },
      ]);
    const later = '0190f5a2-0000-7000-8000-0000000000ff';
    given([received, hotlineClock()])
      .when({ type: 'RaiseSupervision', data: { incidentId: ID, reason: 'repeated', level: 'notice', relatedIncidentId: later } })
      .then([{ type: 'SupervisionRaised', data: { incidentId: ID, reason: 'repeated', level: 'notice', note: '', relatedIncidentId: later, raisedAt: T0 } }]);
  });
});
