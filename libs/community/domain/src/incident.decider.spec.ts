import { forDecider } from '@gongzhi/testing';
import { incidentDecider } from './incident.decider';
import {
  accepted,
  at,
  clockStarted,
  clockStopped,
  COMMUNITY,
  DEPARTMENT,
  dispatched,
  dispatchedCase,
  filed,
  GARBAGE,
  GRID,
  handled,
  ID,
  LOCATION,
  MANHOLE,
  ORIGINAL_ID,
  OTHER_DEPARTMENT,
  QINGMING_RULES,
  reported,
  residentReporter,
  RULES,
  standardClock,
  T0,
} from './test-support/incident.fixtures';

const given = forDecider(incidentDecider);

const report = {
  type: 'ReportIncident' as const,
  data: {
    incidentId: ID,
    channel: 'grid-patrol' as const,
    community: COMMUNITY,
    grid: GRID,
    location: LOCATION,
    description: '三村小區12幢東側綠化帶內堆放生活垃圾約兩立方',
    photoRefs: ['photos/2024/03/01/a1.jpg'],
  },
};

describe('incident decider: intake', () => {
  it('records a grid patrol report in its grid', () => {
    given().when(report).then([reported()]);
  });

  it('keeps a resident reporter as a data subject with personal values marked', () => {
    const events = given()
      .when({ ...report, data: { ...report.data, channel: 'resident', reporter: residentReporter } })
      .then([reported({ channel: 'resident', reporter: residentReporter })]);
    expect(events[0].data).toMatchObject({ reporter: { name: { $pii: 'clear' }, phone: { $pii: 'clear' } } });
  });

  it('refuses a phone number written into the description, and hotline orders through the report path', () => {
    given().when({ ...report, data: { ...report.data, description: '請聯繫 13812345678' } }).thenThrows('COMMUNITY.PERSONAL_DATA_IN_TEXT');
    given().when({ ...report, data: { ...report.data, channel: 'hotline' } }).thenThrows('COMMUNITY.INVALID_INPUT');
    given().when({ ...report, data: { ...report.data, community: null } }).thenThrows('COMMUNITY.COMMUNITY_NOT_FOUND');
    given([reported()]).when(report).thenThrows('COMMUNITY.INCIDENT_ALREADY_EXISTS');
  });

  it('accepts a report (受理)', () => {
    given([reported()]).when({ type: 'AcceptIncident', data: { incidentId: ID } }).then([accepted]);
    given([reported(), accepted]).when({ type: 'AcceptIncident', data: { incidentId: ID } }).thenThrows('COMMUNITY.INVALID_STATE');
    given().when({ type: 'AcceptIncident', data: { incidentId: ID } }).thenThrows('COMMUNITY.INCIDENT_NOT_FOUND');
  });

  it('voids a report that fails the filing conditions, with the reason', () => {
    const voidIt = { type: 'VoidIncident' as const, data: { incidentId: ID, reason: 'fails-filing-conditions' as const, note: '私人庭院內，不屬公共區域' } };
    given([reported(), accepted])
      .when(voidIt)
      .then([{ type: 'IncidentVoided', data: { incidentId: ID, reason: 'fails-filing-conditions', duplicateOf: null, note: '私人庭院內，不屬公共區域', voidedAt: T0 } }]);
    given([reported()]).when({ ...voidIt, data: { ...voidIt.data, note: '' } }).thenThrows('COMMUNITY.REASON_REQUIRED');
  });

  it('voids a duplicate only with an existing original, and links it there', () => {
    const dup = { type: 'VoidIncident' as const, data: { incidentId: ID, reason: 'duplicate' as const, duplicateOf: ORIGINAL_ID, originalFound: true } };
    given([reported()])
      .when(dup)
      .then([{ type: 'IncidentVoided', data: { incidentId: ID, reason: 'duplicate', duplicateOf: ORIGINAL_ID, note: '', voidedAt: T0 } }]);
    given([reported()]).when({ ...dup, data: { ...dup.data, originalFound: false } }).thenThrows('COMMUNITY.DUPLICATE_NEEDS_ORIGINAL');
    given([reported()]).when({ ...dup, data: { ...dup.data, duplicateOf: ID } }).thenThrows('COMMUNITY.DUPLICATE_NEEDS_ORIGINAL');
    const link = { type: 'LinkDuplicate' as const, data: { incidentId: ID, duplicateId: ORIGINAL_ID } };
    const linked = { type: 'DuplicateLinked' as const, data: { incidentId: ID, duplicateId: ORIGINAL_ID, linkedAt: T0 } };
    given([...dispatchedCase()]).when(link).then([linked]);
    given([...dispatchedCase(), linked]).when(link).thenNothing();
  });

  it('files with a catalogue category (立案), never an unknown one', () => {
    given([reported(), accepted]).when({ type: 'FileIncident', data: { incidentId: ID, categoryCode: GARBAGE.code, category: GARBAGE } }).then([filed()]);
    given([reported(), accepted]).when({ type: 'FileIncident', data: { incidentId: ID, categoryCode: 'event.x.y', category: null } }).thenThrows('COMMUNITY.UNKNOWN_CATEGORY');
    given([reported()]).when({ type: 'FileIncident', data: { incidentId: ID, categoryCode: GARBAGE.code, category: GARBAGE } }).thenThrows('COMMUNITY.INVALID_STATE');
  });
});

describe('incident decider: dispatch and time limits', () => {
  const dispatch = { type: 'DispatchIncident' as const, data: { incidentId: ID, toOrgUnitId: DEPARTMENT.orgUnitId, to: DEPARTMENT, rules: RULES } };

  it('dispatches to the responsible unit and starts the category’s time limit (5 working days, over a weekend)', () => {
    given([reported(), accepted, filed()]).when(dispatch).then([dispatched(), standardClock()]);
  });

  it('counts an urgent class in hours', () => {
    given([reported(), accepted, filed(MANHOLE)])
      .when(dispatch)
      .then([dispatched(), clockStarted('community.incident.urgent', T0, '2024-03-01T12:00:00.000Z')]);
  });

  it('skips public holidays and counts a make-up working Sunday', () => {
    // Wednesday 3 April: 4–6 off, Sunday 7 worked (1st), then 8, 9, 10, 11 → the 5th working day is Thursday 11 April.
    const when = '2024-04-03T02:00:00.000Z';
    given([reported(), accepted, filed()])
      .when({ ...dispatch, data: { ...dispatch.data, rules: QINGMING_RULES }, ...at(when) })
      .then([dispatched(DEPARTMENT, when), clockStarted('community.incident.standard', when, '2024-04-11T16:00:00.000Z', { calendarId: 'cn-2024' })]);
  });

  it('refuses an unknown unit and a case not yet filed', () => {
    given([reported(), accepted, filed()]).when({ ...dispatch, data: { ...dispatch.data, to: null } }).thenThrows('COMMUNITY.UNKNOWN_RESPONSIBLE_UNIT');
    given([reported(), accepted]).when(dispatch).thenThrows('COMMUNITY.INVALID_STATE');
  });

  it('takes a return as not ours only with a reason, and the next dispatch gets a fresh limit', () => {
    const ret = { type: 'ReturnIncident' as const, data: { incidentId: ID, reason: '屬市政設施，非城管職責' } };
    const returned = { type: 'IncidentReturned' as const, data: { incidentId: ID, fromOrgUnitId: DEPARTMENT.orgUnitId, reason: '屬市政設施，非城管職責', returnedAt: T0 } };
    given(dispatchedCase()).when(ret).then([returned, clockStopped('cancelled')]);
    given(dispatchedCase()).when({ ...ret, data: { ...ret.data, reason: ' ' } }).thenThrows('COMMUNITY.REASON_REQUIRED');
    const later = '2024-03-04T01:00:00.000Z';
    given([...dispatchedCase(), returned, clockStopped('cancelled')])
      .when({ ...dispatch, data: { ...dispatch.data, toOrgUnitId: OTHER_DEPARTMENT.orgUnitId, to: OTHER_DEPARTMENT }, ...at(later) })
      .then([dispatched(OTHER_DEPARTMENT, later), standardClock(later, '2024-03-11T16:00:00.000Z')]);
  });

  it('extends a limit on request once the dispatcher grants it, within the policy', () => {
    const request = { type: 'RequestExtension' as const, data: { incidentId: ID, requestId: 'ext-1', length: 3, reason: '需等待配件', rules: RULES } };
    const requested = { type: 'ExtensionRequested' as const, data: { incidentId: ID, requestId: 'ext-1', length: 3, unit: 'wd' as const, reason: '需等待配件', requestedAt: T0 } };
    given(dispatchedCase()).when(request).then([requested]);
    given([...dispatchedCase(), requested]).when(request).thenThrows('COMMUNITY.EXTENSION_PENDING');
    given(dispatchedCase()).when({ ...request, data: { ...request.data, length: 6 } }).thenThrows('COMMUNITY.EXTENSION_REFUSED');
    given(dispatchedCase()).when({ ...request, ...at('2024-03-08T16:00:00.000Z') }).thenThrows('COMMUNITY.EXTENSION_REFUSED');

    const grantedAt = '2024-03-05T02:00:00.000Z';
    given([...dispatchedCase(), requested])
      .when({ type: 'GrantExtension', data: { incidentId: ID, rules: RULES }, metadata: { now: grantedAt, actor: { userId: 'songling-worker' } } })
      .then([
        { type: 'ExtensionGranted', data: { incidentId: ID, requestId: 'ext-1', length: 3, unit: 'wd', grantedAt } },
        {
          type: 'DeadlineExtended',
          // Three more working days after Friday 8 March: Wednesday 13 March.
          data: { clockId: 'handling', at: grantedAt, length: 3, unit: 'wd', approvedBy: 'songling-worker', reason: 'extension ext-1', dueAt: '2024-03-13T16:00:00.000Z' },
        },
      ]);
    given(dispatchedCase()).when({ type: 'GrantExtension', data: { incidentId: ID, rules: RULES } }).thenThrows('COMMUNITY.NO_EXTENSION_PENDING');
  });

  it('allows one extension only under the standard policy, and records a rejection with its reason', () => {
    const requested = { type: 'ExtensionRequested' as const, data: { incidentId: ID, requestId: 'ext-1', length: 3, unit: 'wd' as const, reason: 'r', requestedAt: T0 } };
    const granted = { type: 'ExtensionGranted' as const, data: { incidentId: ID, requestId: 'ext-1', length: 3, unit: 'wd' as const, grantedAt: T0 } };
    const extended = {
      type: 'DeadlineExtended' as const,
      data: { clockId: 'handling', at: T0, length: 3, unit: 'wd' as const, approvedBy: 'u', reason: 'extension ext-1', dueAt: '2024-03-13T16:00:00.000Z' },
    };
    given([...dispatchedCase(), requested, granted, extended])
      .when({ type: 'RequestExtension', data: { incidentId: ID, requestId: 'ext-2', length: 1, reason: 'again', rules: RULES } })
      .thenThrows('COMMUNITY.EXTENSION_REFUSED');
    given([...dispatchedCase(), requested])
      .when({ type: 'RejectExtension', data: { incidentId: ID, reason: '現場可即時處置' } })
      .then([{ type: 'ExtensionRejected', data: { incidentId: ID, requestId: 'ext-1', reason: '現場可即時處置', rejectedAt: T0 } }]);
  });

  it('parks a case (掛賬) with a written reason, pausing its limit, and takes it back', () => {
    const parkedAt = '2024-03-05T02:00:00.000Z';
    const parked = { type: 'IncidentParked' as const, data: { incidentId: ID, reason: '涉及產權爭議，需區級協調', parkedAt } };
    const paused = { type: 'DeadlinePaused' as const, data: { clockId: 'handling', at: parkedAt, reason: '涉及產權爭議，需區級協調' } };
    given(dispatchedCase())
      .when({ type: 'ParkIncident', data: { incidentId: ID, reason: '涉及產權爭議，需區級協調' }, ...at(parkedAt) })
      .then([parked, paused]);
    given(dispatchedCase()).when({ type: 'ParkIncident', data: { incidentId: ID, reason: '' } }).thenThrows('COMMUNITY.REASON_REQUIRED');
    // Paused on Tuesday 5 March with 3 working days left (6, 7, 8); resumed Monday 11 March → due end of Thursday 14 March.
    const resumedAt = '2024-03-11T01:00:00.000Z';
    given([...dispatchedCase(), parked, paused])
      .when({ type: 'UnparkIncident', data: { incidentId: ID, note: '區裡已明確產權', rules: RULES }, ...at(resumedAt) })
      .then([
        { type: 'IncidentUnparked', data: { incidentId: ID, note: '區裡已明確產權', unparkedAt: resumedAt } },
        { type: 'DeadlineResumed', data: { clockId: 'handling', at: resumedAt, dueAt: '2024-03-14T16:00:00.000Z' } },
      ]);
  });
});

describe('incident decider: handling, verification, rework, closing', () => {
  const handledCase = () => [...dispatchedCase(), handled(), clockStopped('met')];
  const passed = { type: 'VerificationPassed' as const, data: { incidentId: ID, note: '現場已清理', photoRefs: ['photos/verify.jpg'], verifiedAt: T0 } };
  const closed = { type: 'IncidentClosed' as const, data: { incidentId: ID, closedAt: T0 } };

  it('takes the handling report with notes and photos, and stops the limit as met', () => {
    given(dispatchedCase())
      .when({ type: 'ReportHandling', data: { incidentId: ID, byOrgUnitId: DEPARTMENT.orgUnitId, notes: '已清運垃圾並消殺', photoRefs: ['photos/after.jpg'] } })
      .then([handled(), clockStopped('met')]);
    given(dispatchedCase())
      .when({ type: 'ReportHandling', data: { incidentId: ID, byOrgUnitId: DEPARTMENT.orgUnitId, notes: '' } })
      .thenThrows('COMMUNITY.HANDLING_NOTES_REQUIRED');
  });

  it('passes verification (核查), then closes (結案), then evaluates', () => {
    given(handledCase()).when({ type: 'PassVerification', data: { incidentId: ID, note: '現場已清理', photoRefs: ['photos/verify.jpg'] } }).then([passed]);
    given([...handledCase(), passed]).when({ type: 'CloseIncident', data: { incidentId: ID } }).then([closed]);
    given([...handledCase(), passed, closed])
      .when({ type: 'EvaluateIncident', data: { incidentId: ID, grade: 'good', satisfaction: 'satisfied', comment: '處置及時' } })
      .then([{ type: 'IncidentEvaluated', data: { incidentId: ID, grade: 'good', satisfaction: 'satisfied', comment: '處置及時', evaluatedAt: T0 } }]);
    given(handledCase()).when({ type: 'CloseIncident', data: { incidentId: ID } }).thenThrows('COMMUNITY.INVALID_STATE');
    given([...handledCase(), passed]).when({ type: 'EvaluateIncident', data: { incidentId: ID, grade: 'good' } }).thenThrows('COMMUNITY.INVALID_STATE');
  });

  it('sends a failed verification back for rework (返工) with a new limit, and counts it', () => {
    const failedAt = '2024-03-06T02:00:00.000Z';
    const fail = { type: 'FailVerification' as const, data: { incidentId: ID, note: '垃圾未清理乾淨', photoRefs: [], rules: RULES }, ...at(failedAt) };
    const failed = { type: 'VerificationFailed' as const, data: { incidentId: ID, note: '垃圾未清理乾淨', photoRefs: [], failedAt } };
    const rework1 = { type: 'IncidentReworkOrdered' as const, data: { incidentId: ID, cause: 'verification-failed' as const, reworkCount: 1, orderedAt: failedAt } };
    given(handledCase()).when(fail).then([failed, rework1, standardClock(failedAt, '2024-03-13T16:00:00.000Z')]);
    given(handledCase()).when({ ...fail, data: { ...fail.data, note: '' } }).thenThrows('COMMUNITY.REASON_REQUIRED');
    given([...handledCase(), failed, rework1, standardClock(failedAt), handled(), clockStopped('met')])
      .when(fail)
      .then([failed, { ...rework1, data: { ...rework1.data, reworkCount: 2 } }, standardClock(failedAt, '2024-03-13T16:00:00.000Z')]);
  });

  it('refuses hotline-only steps on a grid case', () => {
    given(dispatchedCase()).when({ type: 'ReplyToCaller', data: { incidentId: ID, outcome: 'resolved', summary: 's' } }).thenThrows('COMMUNITY.HOTLINE_ONLY');
    given(dispatchedCase()).when({ type: 'ObjectToDispatch', data: { incidentId: ID, reason: 'r' } }).thenThrows('COMMUNITY.HOTLINE_ONLY');
    given(dispatchedCase()).when({ type: 'NotifyExtension', data: { incidentId: ID, length: 1, reason: 'r', rules: RULES } }).thenThrows('COMMUNITY.HOTLINE_ONLY');
  });
});

describe('incident decider: overdue and supervision', () => {
  const due = '2024-03-08T16:00:00.000Z';
  const mark = { type: 'MarkIncidentOverdue' as const, data: { incidentId: ID, clockId: 'handling', dueAt: due } };
  const overdue = { type: 'IncidentOverdue' as const, data: { incidentId: ID, clockId: 'handling', dueAt: due, detectedAt: due } };
  const supervised = {
    type: 'SupervisionRaised' as const,
    data: { incidentId: ID, reason: 'overdue' as const, level: 'notice' as const, note: '', relatedIncidentId: null, raisedAt: due },
  };

  it('raises IncidentOverdue and an overdue supervision when the running limit has passed', () => {
    given(dispatchedCase()).when({ ...mark, ...at(due) }).then([overdue, supervised]);
  });

  it('does nothing before the due instant, twice for one due instant, after an extension or once handled', () => {
    given(dispatchedCase()).when({ ...mark, ...at('2024-03-08T15:59:59.000Z') }).thenNothing();
    given([...dispatchedCase(), overdue, supervised]).when({ ...mark, ...at('2024-03-09T00:00:00.000Z') }).thenNothing();
    given([...dispatchedCase(), handled(), clockStopped('met')]).when({ ...mark, ...at(due) }).thenNothing();
    const extended = {
      type: 'DeadlineExtended' as const,
      data: { clockId: 'handling', at: T0, length: 3, unit: 'wd' as const, approvedBy: 'u', reason: 'x', dueAt: '2024-03-13T16:00:00.000Z' },
    };
    given([...dispatchedCase(), extended]).when({ ...mark, ...at(due) }).thenNothing();
  });

  it('raises supervision by hand with a note, only on open incidents', () => {
    const raise = { type: 'RaiseSupervision' as const, data: { incidentId: ID, reason: 'manual' as const, level: 'listed' as const, note: '群眾反映強烈，掛牌督辦' } };
    given(dispatchedCase())
      .when(raise)
      .then([{ type: 'SupervisionRaised', data: { incidentId: ID, reason: 'manual', level: 'listed', note: '群眾反映強烈，掛牌督辦', relatedIncidentId: null, raisedAt: T0 } }]);
    given(dispatchedCase()).when({ ...raise, data: { ...raise.data, note: '' } }).thenThrows('COMMUNITY.REASON_REQUIRED');
    given([reported(), { type: 'IncidentVoided', data: { incidentId: ID, reason: 'duplicate', duplicateOf: ORIGINAL_ID, note: '', voidedAt: T0 } }])
      .when(raise)
      .thenThrows('COMMUNITY.INVALID_STATE');
  });
});
