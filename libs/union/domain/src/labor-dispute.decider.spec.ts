import { workingCalendar, type DeadlinePolicy } from '@gongzhi/deadlines-domain';
import { personalData } from '@gongzhi/kernel';
import { forDecider, TEST_NOW } from '@gongzhi/testing';
import { createLaborDisputeDecider, laborDisputeDecider, NATIONAL_RULES } from './labor-dispute.decider';
import { LaborClock, LaborPolicy, NATIONAL_LABOR_DISPUTE_POLICIES } from './labor-dispute.policies';
import {
  AGREED,
  ARBITRATING,
  ARBITRATION_APPLIED,
  AWARDED,
  caseOf,
  clockStarted,
  cmd,
  CREDIT_CODE,
  day,
  DISPUTE_ID,
  file,
  FILED,
  fileData,
  history,
  MEDIATING,
  nationalPolicy,
  outcome,
  typesOf,
} from './test-support/scenario';

const given = forDecider(laborDisputeDecider);
const COMMISSION = '汝城縣勞動人事爭議仲裁委員會';
const COMMITTEE = { kind: 'township-street' as const, name: '土橋鎮勞動爭議調解中心' };
const signed = { terms: '公司於三月底前付清工資', performanceDueDate: '2024-03-31', partiesSigned: true, mediatorSigned: true, committeeSealed: true };

// 1 March 2024, 16:00 in China. Limitation known on 10 January 2024: 365 days end with 9 January 2025.
const LIMITATION_DUE = '2025-01-09T16:00:00.000Z';
const limitationStarted = clockStarted(LaborPolicy.limitation, LaborClock.limitation, '2024-01-09T16:00:00.000Z', LIMITATION_DUE);

describe('filing', () => {
  it('files a dispute with its workers as personal data and starts the limitation clock (Art 27)', () => {
    given()
      .when(file())
      .then([
        {
          type: 'DisputeFiled',
          data: {
            disputeId: DISPUTE_ID,
            orgUnitId: 'rucheng-federation',
            category: 'remuneration',
            claimAmount: 23_800,
            description: '拖欠三個月工資',
            employer: { name: '汝城縣某建築工程有限公司', creditCode: CREDIT_CODE },
            workers: [
              {
                subjectId: 'w-1',
                name: personalData('w-1', '李四'),
                idNumber: personalData('w-1', '431026199001011230'),
                phone: personalData('w-1', '13800001111'),
              },
            ],
            workersInvolved: 1,
            commonClaim: false,
            group: false,
            filedAt: TEST_NOW,
            limitation: { basis: 'right-known-infringed', startsAt: '2024-01-09T16:00:00.000Z', expiredAtFiling: false },
          },
        },
        { type: 'DeadlineStarted', data: limitationStarted },
      ]);
  });

  const workers = (n: number) => Array.from({ length: n }, (_, i) => ({ subjectId: `w-${i + 1}`, name: `工人${i + 1}` }));

  it('raises the stability watch for ten or more workers with a common claim (Art 7)', () => {
    const decided = outcome([], file({ workers: workers(3), workersInvolved: 10, commonClaim: true }));
    expect(decided).toEqual([
      expect.objectContaining({ type: 'DisputeFiled', data: expect.objectContaining({ group: true, workersInvolved: 10 }) }) as never,
      expect.objectContaining({ type: 'DeadlineStarted' }) as never,
      { type: 'StabilityWatchRaised', data: { disputeId: DISPUTE_ID, workersInvolved: 10, raisedAt: TEST_NOW } },
    ]);
    expect(decided).toHaveLength(3);
  });

  it('raises no watch for nine workers, or for many workers without a common claim', () => {
    for (const data of [{ workersInvolved: 9, commonClaim: true }, { workersInvolved: 40, commonClaim: false }]) {
      const decided = laborDisputeDecider.decide({ ...file({ workers: workers(2), ...data }), metadata: { now: TEST_NOW, commandId: 'c', actor: { userId: 'u' } } } as never, { status: 'None' });
      expect(decided.map((e) => e.type)).toEqual(['DisputeFiled', 'DeadlineStarted']);
    }
  });

  it('accepts a filing after the limitation period but flags it', () => {
    const [filed, ...rest] = outcome([], file({ rightKnownInfringedOn: '2022-12-01' }));
    expect(rest.map((e) => e.type)).toEqual(['DeadlineStarted']);
    expect((filed.data as { limitation: unknown }).limitation).toEqual({
      basis: 'right-known-infringed',
      startsAt: '2022-11-30T16:00:00.000Z',
      expiredAtFiling: true,
    });
  });

  it('runs no limitation for pay owed during the employment, and one from its end (Art 27 ¶4)', () => {
    expect(outcome([], file({ rightKnownInfringedOn: null, wageArrearsDuringEmployment: true }))).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({ limitation: { basis: 'wage-arrears-during-employment', startsAt: null, expiredAtFiling: false } }),
      }),
    ]);
    expect(outcome([], file({ rightKnownInfringedOn: null, wageArrearsDuringEmployment: true, employmentEndedOn: '2024-02-15' }))).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ limitation: expect.objectContaining({ basis: 'employment-ended' }) }) }),
      { type: 'DeadlineStarted', data: clockStarted(LaborPolicy.limitation, LaborClock.limitation, '2024-02-14T16:00:00.000Z', '2025-02-14T16:00:00.000Z') },
    ]);
  });

  it.each([
    ['an invalid credit code', { employer: { name: 'x', creditCode: '91350100M000100Y44' } }, 'UNION.INVALID_CREDIT_CODE'],
    ['no worker', { workers: [] }, 'UNION.INVALID_INPUT'],
    ['the same worker twice', { workers: [{ subjectId: 'w', name: 'a' }, { subjectId: 'w', name: 'b' }] }, 'UNION.INVALID_INPUT'],
    ['fewer workers involved than listed', { workers: workers(3), workersInvolved: 2 }, 'UNION.INVALID_INPUT'],
    ['a negative claim', { claimAmount: -1 }, 'UNION.INVALID_INPUT'],
    ['fractions of a fen', { claimAmount: 1.005 }, 'UNION.INVALID_INPUT'],
    ['an unknown category', { category: 'bonus' as never }, 'UNION.INVALID_INPUT'],
    ['no limitation date', { rightKnownInfringedOn: null }, 'UNION.INVALID_INPUT'],
    ['a limitation date in the future', { rightKnownInfringedOn: '2024-03-02' }, 'UNION.DATE_IN_FUTURE'],
  ])('refuses %s', (_what, overrides, code) => {
    given().when(file(overrides)).thenThrows(code);
  });

  it('does not file the same dispute twice', () => {
    given(FILED()).when(file()).thenThrows('UNION.DISPUTE_ALREADY_FILED');
  });

  it('answers DISPUTE_NOT_FOUND for any other command on a dispute never filed', () => {
    given().when(cmd('AcceptMediation', {})).thenThrows('UNION.DISPUTE_NOT_FOUND');
    given().when(cmd('ExpireMediationWindow', {})).thenThrows('UNION.DISPUTE_NOT_FOUND');
  });
});

describe('transfer between unions', () => {
  it('moves responsibility and records where it came from', () => {
    const events = given(FILED()).when(cmd('TransferDispute', { toOrgUnitId: 'wujiang-federation', reason: '用人單位註冊地在吳江' }, day(1)));
    events.then([
      {
        type: 'DisputeTransferred',
        data: { disputeId: DISPUTE_ID, fromOrgUnitId: 'rucheng-federation', toOrgUnitId: 'wujiang-federation', reason: '用人單位註冊地在吳江', transferredAt: day(1) },
      },
    ]);
  });

  it('refuses a transfer to the union already responsible', () => {
    given(FILED()).when(cmd('TransferDispute', { toOrgUnitId: 'rucheng-federation', reason: 'x' })).thenThrows('UNION.ALREADY_RESPONSIBLE');
  });
});

describe('limitation clock (Art 27)', () => {
  it('restarts the whole year on an interruption', () => {
    given(FILED())
      .when(cmd('RecordLimitationInterruption', { reason: 'claim-to-other-party', on: '2024-02-20' }))
      .then([
        { type: 'LimitationInterrupted', data: { disputeId: DISPUTE_ID, reason: 'claim-to-other-party', at: '2024-02-19T16:00:00.000Z' } },
        { type: 'DeadlineRestarted', data: { clockId: 'limitation', at: '2024-02-19T16:00:00.000Z', reason: 'claim-to-other-party', dueAt: '2025-02-19T16:00:00.000Z' } },
      ]);
  });

  it('cannot interrupt a period that had already run out, nor date an interruption before its start', () => {
    given(history([file({ rightKnownInfringedOn: '2022-12-01' })]))
      .when(cmd('RecordLimitationInterruption', { reason: 'claim-to-other-party', on: '2024-02-01' }))
      .thenThrows('UNION.LIMITATION_EXPIRED');
    given(FILED()).when(cmd('RecordLimitationInterruption', { reason: 'claim-to-other-party', on: '2024-01-01' })).thenThrows('UNION.DATE_BEFORE_LIMITATION_START');
    given(FILED()).when(cmd('RecordLimitationInterruption', { reason: 'claim-to-other-party', on: '2024-03-05' })).thenThrows('UNION.DATE_IN_FUTURE');
    given(FILED()).when(cmd('RecordLimitationInterruption', { reason: 'whatever' as never, on: '2024-02-01' })).thenThrows('UNION.INVALID_INPUT');
  });

  it('has nothing to interrupt while pay is owed during the employment', () => {
    given(history([file({ rightKnownInfringedOn: null, wageArrearsDuringEmployment: true })]))
      .when(cmd('RecordLimitationInterruption', { reason: 'claim-to-other-party', on: '2024-02-01' }))
      .thenThrows('UNION.LIMITATION_NOT_RUNNING');
  });

  it('pauses on a suspension and continues with the time left on resumption', () => {
    const suspended = history([cmd('RecordLimitationSuspension', { reason: 'force-majeure', on: '2024-02-01' })], NATIONAL_RULES, FILED());
    expect(suspended.slice(-2)).toEqual([
      expect.objectContaining({ type: 'LimitationSuspended', data: { disputeId: DISPUTE_ID, reason: 'force-majeure', at: '2024-01-31T16:00:00.000Z' } }),
      expect.objectContaining({ type: 'DeadlinePaused', data: { clockId: 'limitation', at: '2024-01-31T16:00:00.000Z', reason: 'force-majeure' } }),
    ]);
    given(suspended).when(cmd('RecordLimitationSuspension', { reason: 'force-majeure', on: '2024-02-02' })).thenThrows('UNION.LIMITATION_NOT_RUNNING');
    // Ten days suspended (1 → 11 February): the period ends ten days later than planned.
    given(suspended)
      .when(cmd('RecordLimitationResumption', { on: '2024-02-11' }))
      .then([
        { type: 'LimitationResumed', data: { disputeId: DISPUTE_ID, at: '2024-02-10T16:00:00.000Z' } },
        { type: 'DeadlineResumed', data: { clockId: 'limitation', at: '2024-02-10T16:00:00.000Z', dueAt: '2025-01-19T16:00:00.000Z' } },
      ]);
    given(suspended).when(cmd('RecordLimitationResumption', { on: '2024-01-20' })).thenThrows('UNION.INVALID_INPUT');
  });

  it('cannot resume a period that is not suspended', () => {
    given(FILED()).when(cmd('RecordLimitationResumption', { on: '2024-02-11' })).thenThrows('UNION.LIMITATION_NOT_SUSPENDED');
  });
});

describe('mediation (Arts 10–16)', () => {
  it('applies for mediation, which interrupts the limitation period', () => {
    given(FILED())
      .when(cmd('ApplyForMediation', { committee: COMMITTEE, form: 'oral' }))
      .then([
        { type: 'MediationApplied', data: { disputeId: DISPUTE_ID, committee: COMMITTEE, form: 'oral', appliedAt: TEST_NOW } },
        { type: 'LimitationInterrupted', data: { disputeId: DISPUTE_ID, reason: 'request-to-authority', at: TEST_NOW } },
        { type: 'DeadlineRestarted', data: { clockId: 'limitation', at: TEST_NOW, reason: 'request-to-authority', dueAt: '2025-03-01T16:00:00.000Z' } },
      ]);
  });

  it('does not interrupt a limitation period that has run out', () => {
    given(history([file({ rightKnownInfringedOn: '2022-12-01' })]))
      .when(cmd('ApplyForMediation', { committee: COMMITTEE, form: 'written' }))
      .then([{ type: 'MediationApplied', data: { disputeId: DISPUTE_ID, committee: COMMITTEE, form: 'written', appliedAt: TEST_NOW } }]);
  });

  it('applies only once, before arbitration', () => {
    given(MEDIATING()).when(cmd('ApplyForMediation', { committee: COMMITTEE, form: 'written' })).thenThrows('UNION.MEDIATION_NOT_AVAILABLE');
    given(ARBITRATION_APPLIED()).when(cmd('ApplyForMediation', { committee: COMMITTEE, form: 'written' })).thenThrows('UNION.MEDIATION_NOT_AVAILABLE');
  });

  it('accepts the application and opens the 15-day window with the policy version it used', () => {
    given(history([cmd('ApplyForMediation', { committee: COMMITTEE, form: 'written' })], NATIONAL_RULES, FILED()))
      .when(cmd('AcceptMediation', {}))
      .then([
        { type: 'MediationAccepted', data: { disputeId: DISPUTE_ID, acceptedAt: TEST_NOW, windowEndsAt: '2024-03-16T16:00:00.000Z' } },
        { type: 'DeadlineStarted', data: clockStarted(LaborPolicy.mediationWindow, 'mediation-window', TEST_NOW, '2024-03-16T16:00:00.000Z') },
      ]);
    given(FILED()).when(cmd('AcceptMediation', {})).thenThrows('UNION.MEDIATION_NOT_APPLIED');
  });

  it('records a declined mediation with its reason; arbitration is then open', () => {
    const applied = history([cmd('ApplyForMediation', { committee: COMMITTEE, form: 'written' })], NATIONAL_RULES, FILED());
    given(applied).when(cmd('DeclineMediation', { reason: '用人單位拒絕調解' })).then([
      { type: 'MediationDeclined', data: { disputeId: DISPUTE_ID, reason: '用人單位拒絕調解', declinedAt: TEST_NOW } },
    ]);
    given(applied).when(cmd('DeclineMediation', { reason: ' ' })).thenThrows('UNION.REASONS_REQUIRED');
    const declined = history([cmd('DeclineMediation', { reason: '用人單位拒絕調解' })], NATIONAL_RULES, applied);
    expect(caseOf(declined).status).toBe('MediationFailed');
    expect(typesOf(declined, cmd('ApplyForArbitration', { commission: COMMISSION }))).toEqual(['ArbitrationApplied', 'DeadlineStarted', 'DeadlineStopped']);
  });

  it('signs an executed agreement within the window and starts the performance clock', () => {
    given(MEDIATING())
      .when(cmd('SignMediationAgreement', signed, day(5)))
      .then([
        { type: 'MediationAgreementSigned', data: { disputeId: DISPUTE_ID, terms: signed.terms, performanceDueDate: '2024-03-31', signedAt: day(5) } },
        { type: 'DeadlineStopped', data: { clockId: 'mediation-window', at: day(5), reason: 'met' } },
        {
          type: 'DeadlineStarted',
          data: { ...clockStarted(LaborPolicy.agreementPerformance, 'agreement-performance', day(5), '2024-03-31T16:00:00.000Z'), length: 25 },
        },
      ]);
  });

  it('refuses an agreement once the window has closed (Art 14 ¶3)', () => {
    const error = given(MEDIATING()).when(cmd('SignMediationAgreement', signed, '2024-03-16T16:00:00.000Z')).thenThrows('UNION.MEDIATION_WINDOW_CLOSED');
    expect((error as { details?: unknown }).details).toEqual({ disputeId: DISPUTE_ID, windowEndsAt: '2024-03-16T16:00:00.000Z' });
    expect(typesOf(MEDIATING(), cmd('SignMediationAgreement', signed, '2024-03-16T15:59:59.999Z'))).toEqual([
      'MediationAgreementSigned',
      'DeadlineStopped',
      'DeadlineStarted',
    ]);
  });

  it.each([
    ['without the committee seal', { committeeSealed: false }, 'UNION.AGREEMENT_NOT_EXECUTED'],
    ['without the parties’ signatures', { partiesSigned: false }, 'UNION.AGREEMENT_NOT_EXECUTED'],
    ['with a performance date in the past', { performanceDueDate: '2024-02-28' }, 'UNION.INVALID_PERFORMANCE_DEADLINE'],
  ])('refuses an agreement %s (Art 14 ¶2)', (_what, overrides, code) => {
    given(MEDIATING()).when(cmd('SignMediationAgreement', { ...signed, ...overrides }, day(1))).thenThrows(code);
  });

  it('signs only while mediating', () => {
    given(FILED()).when(cmd('SignMediationAgreement', signed)).thenThrows('UNION.NOT_MEDIATING');
  });

  it('records a failed mediation and stops the window', () => {
    given(MEDIATING())
      .when(cmd('RecordMediationFailure', { reason: '雙方差距過大' }, day(3)))
      .then([
        { type: 'MediationFailed', data: { disputeId: DISPUTE_ID, reason: '雙方差距過大', failedAt: day(3) } },
        { type: 'DeadlineStopped', data: { clockId: 'mediation-window', at: day(3), reason: 'cancelled' } },
      ]);
  });

  it('expires the window when the scheduler reports it due, not before', () => {
    given(MEDIATING())
      .when(cmd('ExpireMediationWindow', {}, '2024-03-16T16:00:00.000Z'))
      .then([
        { type: 'MediationWindowExpired', data: { disputeId: DISPUTE_ID, windowEndedAt: '2024-03-16T16:00:00.000Z', expiredAt: '2024-03-16T16:00:00.000Z' } },
        { type: 'DeadlineStopped', data: { clockId: 'mediation-window', at: '2024-03-16T16:00:00.000Z', reason: 'expired' } },
      ]);
    given(MEDIATING()).when(cmd('ExpireMediationWindow', {}, '2024-03-16T15:59:59.000Z')).thenThrows('UNION.MEDIATION_WINDOW_OPEN');
  });

  it('ignores a late expiry once an agreement was signed', () => {
    given(AGREED()).when(cmd('ExpireMediationWindow', {}, day(20))).thenNothing();
  });

  it('records performance of the agreement', () => {
    given(AGREED())
      .when(cmd('RecordAgreementPerformed', {}, day(20)))
      .then([
        { type: 'AgreementPerformed', data: { disputeId: DISPUTE_ID, performedAt: day(20) } },
        { type: 'DeadlineStopped', data: { clockId: 'agreement-performance', at: day(20), reason: 'met' } },
      ]);
  });

  it('records non-performance only after the agreed term, which opens arbitration (Art 15)', () => {
    given(AGREED()).when(cmd('RecordAgreementNotPerformed', {}, '2024-03-31T15:00:00.000Z')).thenThrows('UNION.PERFORMANCE_DEADLINE_NOT_REACHED');
    const breached = history([cmd('RecordAgreementNotPerformed', {}, '2024-04-01T02:00:00.000Z')], NATIONAL_RULES, AGREED());
    expect(breached.slice(-2)).toEqual([
      expect.objectContaining({ type: 'AgreementNotPerformed', data: { disputeId: DISPUTE_ID, recordedAt: '2024-04-01T02:00:00.000Z' } }),
      expect.objectContaining({ type: 'DeadlineStopped', data: { clockId: 'agreement-performance', at: '2024-04-01T02:00:00.000Z', reason: 'expired' } }),
    ]);
    expect(caseOf(breached).status).toBe('AgreementBreached');
    expect(typesOf(breached, cmd('ApplyForArbitration', { commission: COMMISSION }, '2024-04-02T02:00:00.000Z'))).toEqual([
      'ArbitrationApplied',
      'DeadlineStarted',
      'DeadlineStopped',
    ]);
    given(FILED()).when(cmd('RecordAgreementPerformed', {})).thenThrows('UNION.NO_MEDIATION_AGREEMENT');
  });
});

describe('arbitration', () => {
  it('applies, starts the 5-day acceptance clock and settles the limitation question', () => {
    given(FILED())
      .when(cmd('ApplyForArbitration', { commission: COMMISSION }))
      .then([
        { type: 'ArbitrationApplied', data: { disputeId: DISPUTE_ID, commission: COMMISSION, appliedAt: TEST_NOW, acceptanceDueAt: '2024-03-06T16:00:00.000Z', limitationExpired: false } },
        { type: 'DeadlineStarted', data: clockStarted(LaborPolicy.arbitrationAcceptance, 'arbitration-acceptance', TEST_NOW, '2024-03-06T16:00:00.000Z') },
        { type: 'DeadlineStopped', data: { clockId: 'limitation', at: TEST_NOW, reason: 'met' } },
      ]);
  });

  it('flags an application after the limitation period', () => {
    const [applied, , stop] = outcome(history([file({ rightKnownInfringedOn: '2022-12-01' })]), cmd('ApplyForArbitration', { commission: COMMISSION }));
    expect(applied.data).toMatchObject({ limitationExpired: true });
    expect(stop.data).toMatchObject({ clockId: 'limitation', reason: 'expired' });
  });

  it('waits for a mediation under way, and opens once its window expired', () => {
    given(MEDIATING()).when(cmd('ApplyForArbitration', { commission: COMMISSION })).thenThrows('UNION.MEDIATION_IN_PROGRESS');
    const expired = history([cmd('ExpireMediationWindow', {}, day(16))], NATIONAL_RULES, MEDIATING());
    expect(caseOf(expired).status).toBe('MediationFailed');
    expect(typesOf(expired, cmd('ApplyForArbitration', { commission: COMMISSION }, day(17)))).toEqual(['ArbitrationApplied', 'DeadlineStarted', 'DeadlineStopped']);
    given(AGREED()).when(cmd('ApplyForArbitration', { commission: COMMISSION })).thenThrows('UNION.ARBITRATION_NOT_AVAILABLE');
    given(ARBITRATION_APPLIED()).when(cmd('ApplyForArbitration', { commission: COMMISSION })).thenThrows('UNION.ARBITRATION_NOT_AVAILABLE');
  });

  it('accepts within 5 days and starts the 45-day award clock (Arts 29, 43)', () => {
    given(ARBITRATION_APPLIED())
      .when(cmd('AcceptArbitration', { caseNumber: '汝勞人仲案〔2024〕12號' }, day(2)))
      .then([
        { type: 'ArbitrationAccepted', data: { disputeId: DISPUTE_ID, caseNumber: '汝勞人仲案〔2024〕12號', acceptedAt: day(2), decidedLate: false, awardDueAt: '2024-04-17T16:00:00.000Z' } },
        { type: 'DeadlineStopped', data: { clockId: 'arbitration-acceptance', at: day(2), reason: 'met' } },
        { type: 'DeadlineStarted', data: clockStarted(LaborPolicy.award, 'award', day(2), '2024-04-17T16:00:00.000Z') },
      ]);
  });

  it('records an acceptance decided after 5 days as late', () => {
    const [accepted] = outcome(ARBITRATION_APPLIED(), cmd('AcceptArbitration', { caseNumber: 'X' }, '2024-03-06T16:00:00.000Z'));
    expect(accepted.data).toMatchObject({ decidedLate: true });
  });

  it('rejects with written reasons only', () => {
    given(ARBITRATION_APPLIED())
      .when(cmd('RejectArbitration', { reasons: '不屬於勞動爭議受案範圍' }, day(3)))
      .then([
        { type: 'ArbitrationNotAccepted', data: { disputeId: DISPUTE_ID, reasons: '不屬於勞動爭議受案範圍', decidedAt: day(3), decidedLate: false } },
        { type: 'DeadlineStopped', data: { clockId: 'arbitration-acceptance', at: day(3), reason: 'met' } },
      ]);
    given(ARBITRATION_APPLIED()).when(cmd('RejectArbitration', { reasons: '' })).thenThrows('UNION.REASONS_REQUIRED');
    given(FILED()).when(cmd('AcceptArbitration', { caseNumber: 'X' })).thenThrows('UNION.ARBITRATION_NOT_APPLIED');
  });

  describe('award deadline extension (Art 43)', () => {
    const extend = (over: Partial<{ days: number; approvedBy: string; noticeServed: boolean }> = {}, now = day(40)) =>
      cmd('ExtendAwardDeadline', { days: 15, approvedBy: '仲裁委主任 王某', noticeServed: true, ...over }, now);

    it('extends 45 days to 60 once, approved and notified', () => {
      given(ARBITRATING())
        .when(extend())
        .then([
          { type: 'AwardDeadlineExtended', data: { disputeId: DISPUTE_ID, days: 15, approvedBy: '仲裁委主任 王某', extendedAt: day(40), awardDueAt: '2024-04-30T16:00:00.000Z' } },
          {
            type: 'DeadlineExtended',
            data: { clockId: 'award', at: day(40), length: 15, unit: 'd', approvedBy: '仲裁委主任 王某', reason: 'Art 43: complex case, extension approved', dueAt: '2024-04-30T16:00:00.000Z' },
          },
        ]);
    });

    it.each([
      ['longer than 15 days', { days: 16 }, 'UNION.AWARD_EXTENSION_TOO_LONG'],
      ['without the chair’s approval', { approvedBy: '' }, 'UNION.AWARD_EXTENSION_NOT_APPROVED'],
      ['without written notice to the parties', { noticeServed: false }, 'UNION.AWARD_EXTENSION_NOTICE_REQUIRED'],
    ])('refuses an extension %s', (_what, over, code) => {
      given(ARBITRATING()).when(extend(over)).thenThrows(code);
    });

    it('extends only once, and only before the deadline', () => {
      given(history([extend()], NATIONAL_RULES, ARBITRATING())).when(extend({ days: 5 }, day(50))).thenThrows('UNION.AWARD_EXTENSION_USED');
      given(ARBITRATING()).when(extend({}, '2024-04-15T16:00:00.000Z')).thenThrows('UNION.AWARD_DEADLINE_PASSED');
      given(FILED()).when(extend()).thenThrows('UNION.NOT_ARBITRATING');
    });

    it('follows the extension rule of the policy version the clock started under', () => {
      const strict: DeadlinePolicy = { ...nationalPolicy(LaborPolicy.award), version: 2, extension: null, effectiveFrom: '2024-06-01T00:00:00+08:00' };
      const rules = { ...NATIONAL_RULES, policies: [...NATIONAL_LABOR_DISPUTE_POLICIES, strict] };
      // Started under version 1 (before June), extended in July: version 1's rule still applies.
      const history1 = history([cmd('AcceptArbitration', { caseNumber: 'X' }, '2024-05-30T02:00:00Z')], rules, history([file(), cmd('ApplyForArbitration', { commission: COMMISSION }, '2024-05-28T02:00:00Z')], rules));
      expect(typesOf(history1, extend({}, '2024-07-01T02:00:00Z'), rules)).toEqual(['AwardDeadlineExtended', 'DeadlineExtended']);
      const history2 = history([cmd('AcceptArbitration', { caseNumber: 'X' }, '2024-06-05T02:00:00Z')], rules, history([file(), cmd('ApplyForArbitration', { commission: COMMISSION }, '2024-06-03T02:00:00Z')], rules));
      forDecider(createLaborDisputeDecider(rules))(history2).when(extend({}, '2024-07-01T02:00:00Z')).thenThrows('UNION.AWARD_NOT_EXTENDABLE');
    });
  });

  it('ends arbitration with a signed mediation statement (Art 42)', () => {
    given(ARBITRATING())
      .when(cmd('IssueArbitralMediationStatement', { terms: '公司分兩期支付', partiesSigned: true }, day(20)))
      .then([
        { type: 'ArbitralMediationStatementIssued', data: { disputeId: DISPUTE_ID, terms: '公司分兩期支付', issuedAt: day(20) } },
        { type: 'DeadlineStopped', data: { clockId: 'award', at: day(20), reason: 'met' } },
      ]);
    given(ARBITRATING()).when(cmd('IssueArbitralMediationStatement', { terms: 't', partiesSigned: false })).thenThrows('UNION.STATEMENT_NOT_SIGNED');
  });

  it('withdraws on a settlement (Art 41)', () => {
    given(ARBITRATING())
      .when(cmd('WithdrawArbitration', { settlement: '雙方自行和解' }, day(10)))
      .then([
        { type: 'ArbitrationWithdrawn', data: { disputeId: DISPUTE_ID, settlement: '雙方自行和解', withdrawnAt: day(10) } },
        { type: 'DeadlineStopped', data: { clockId: 'award', at: day(10), reason: 'cancelled' } },
      ]);
    given(FILED()).when(cmd('WithdrawArbitration', { settlement: 'x' })).thenThrows('UNION.NOT_ARBITRATING');
  });

  describe('award', () => {
    const award = (over: Record<string, unknown> = {}, now = day(30)) =>
      cmd('IssueAward', { kind: 'non-final', summary: '支付拖欠工資', awardedAmount: 23_800, ...over } as never, now);

    it('issues a non-final award on time and opens the 15-day window to sue (Art 50)', () => {
      given(ARBITRATING())
        .when(award())
        .then([
          {
            type: 'AwardIssued',
            data: {
              disputeId: DISPUTE_ID,
              kind: 'non-final',
              summary: '支付拖欠工資',
              awardedAmount: 23_800,
              issuedAt: day(30),
              servedAt: day(30),
              onTime: true,
              suitWindowEndsAt: '2024-04-15T16:00:00.000Z',
              setAsideWindowEndsAt: null,
            },
          },
          { type: 'DeadlineStopped', data: { clockId: 'award', at: day(30), reason: 'met' } },
          { type: 'DeadlineStarted', data: clockStarted(LaborPolicy.suitWindow, 'suit-window', day(30), '2024-04-15T16:00:00.000Z') },
        ]);
    });

    it('makes a final award effective at once and opens the worker’s and the employer’s windows (Arts 47–49)', () => {
      expect(outcome(ARBITRATING(), award({ kind: 'final', localMonthlyMinimumWage: 2_000 }))).toEqual([
          expect.objectContaining({ type: 'AwardIssued', data: expect.objectContaining({ kind: 'final', setAsideWindowEndsAt: '2024-04-30T16:00:00.000Z' }) }),
          { type: 'DeadlineStopped', data: { clockId: 'award', at: day(30), reason: 'met' } },
          { type: 'DeadlineStarted', data: clockStarted(LaborPolicy.suitWindow, 'suit-window', day(30), '2024-04-15T16:00:00.000Z') },
          { type: 'DeadlineStarted', data: clockStarted(LaborPolicy.setAsideWindow, 'set-aside-window', day(30), '2024-04-30T16:00:00.000Z') },
          { type: 'AwardBecameEffective', data: { disputeId: DISPUTE_ID, effectiveSince: day(30), basis: 'final-award' } },
        ]);
    });

    it('records an award after the deadline as late', () => {
      const [issued] = outcome(ARBITRATING(), award({}, '2024-04-16T02:00:00.000Z'));
      expect(issued.data).toMatchObject({ onTime: false });
    });

    it('makes a pay claim final only up to 12 months of the minimum wage, and labor-standard disputes always (Art 47)', () => {
      given(ARBITRATING()).when(award({ kind: 'final', localMonthlyMinimumWage: 1_900 })).thenThrows('UNION.FINAL_AWARD_NOT_APPLICABLE');
      given(ARBITRATING()).when(award({ kind: 'final' })).thenThrows('UNION.FINAL_AWARD_NOT_APPLICABLE');
      given(history([file({ category: 'labor-contract' }), cmd('ApplyForArbitration', { commission: COMMISSION }), cmd('AcceptArbitration', { caseNumber: 'X' })]))
        .when(award({ kind: 'final', localMonthlyMinimumWage: 10_000 }))
        .thenThrows('UNION.FINAL_AWARD_NOT_APPLICABLE');
      const hours = history([file({ category: 'working-conditions', claimAmount: 500_000 }), cmd('ApplyForArbitration', { commission: COMMISSION }), cmd('AcceptArbitration', { caseNumber: 'X' })]);
      expect(typesOf(hours, award({ kind: 'final' }))).toContain('AwardBecameEffective');
    });

    it('refuses a service date in the future and an award outside arbitration', () => {
      given(ARBITRATING()).when(award({ servedAt: day(31) })).thenThrows('UNION.DATE_IN_FUTURE');
      given(ARBITRATION_APPLIED()).when(award()).thenThrows('UNION.NOT_ARBITRATING');
    });
  });

  describe('after the award', () => {
    it('makes a non-final award effective when the window to sue lapses unused (Art 50)', () => {
      given(AWARDED())
        .when(cmd('LapseChallengeWindow', { window: 'suit' }, '2024-04-15T16:00:00.000Z'))
        .then([
          { type: 'ChallengeWindowLapsed', data: { disputeId: DISPUTE_ID, window: 'suit', lapsedAt: '2024-04-15T16:00:00.000Z' } },
          { type: 'DeadlineStopped', data: { clockId: 'suit-window', at: '2024-04-15T16:00:00.000Z', reason: 'expired' } },
          { type: 'AwardBecameEffective', data: { disputeId: DISPUTE_ID, effectiveSince: '2024-04-15T16:00:00.000Z', basis: 'no-suit-within-window' } },
        ]);
      given(AWARDED()).when(cmd('LapseChallengeWindow', { window: 'suit' }, '2024-04-15T15:00:00.000Z')).thenThrows('UNION.CHALLENGE_WINDOW_OPEN');
    });

    it('lapses a final award’s windows without changing its effect, and ignores a window already closed', () => {
      given(AWARDED('final'))
        .when(cmd('LapseChallengeWindow', { window: 'suit' }, '2024-04-16T00:00:00.000Z'))
        .then([
          { type: 'ChallengeWindowLapsed', data: { disputeId: DISPUTE_ID, window: 'suit', lapsedAt: '2024-04-16T00:00:00.000Z' } },
          { type: 'DeadlineStopped', data: { clockId: 'suit-window', at: '2024-04-16T00:00:00.000Z', reason: 'expired' } },
        ]);
      given(AWARDED()).when(cmd('LapseChallengeWindow', { window: 'set-aside' }, day(90))).thenNothing();
    });

    it('lets either party sue over a non-final award within 15 days, not after', () => {
      given(AWARDED())
        .when(cmd('FileLawsuit', { party: 'employer', court: '汝城縣人民法院' }, day(35)))
        .then([
          { type: 'LawsuitFiled', data: { disputeId: DISPUTE_ID, party: 'employer', court: '汝城縣人民法院', basis: 'award-challenged', filedAt: day(35) } },
          { type: 'DeadlineStopped', data: { clockId: 'suit-window', at: day(35), reason: 'met' } },
        ]);
      given(AWARDED()).when(cmd('FileLawsuit', { party: 'worker', court: 'c' }, '2024-04-15T16:00:00.000Z')).thenThrows('UNION.SUIT_WINDOW_CLOSED');
    });

    it('lets only the worker sue over a final award (Art 48)', () => {
      given(AWARDED('final')).when(cmd('FileLawsuit', { party: 'employer', court: 'c' }, day(35))).thenThrows('UNION.EMPLOYER_CANNOT_SUE_FINAL_AWARD');
      expect(outcome(AWARDED('final'), cmd('FileLawsuit', { party: 'worker', court: 'c' }, day(35)))).toEqual([
        expect.objectContaining({ type: 'LawsuitFiled', data: expect.objectContaining({ basis: 'award-challenged' }) }),
        { type: 'DeadlineStopped', data: { clockId: 'suit-window', at: day(35), reason: 'met' } },
        { type: 'DeadlineStopped', data: { clockId: 'set-aside-window', at: day(35), reason: 'cancelled' } },
      ]);
    });

    it('opens the courts when the commission does not decide or the tribunal does not award in time (Arts 29, 43)', () => {
      given(ARBITRATION_APPLIED()).when(cmd('FileLawsuit', { party: 'worker', court: 'c' }, day(4))).thenThrows('UNION.ARBITRATION_PENDING');
      expect(outcome(ARBITRATION_APPLIED(), cmd('FileLawsuit', { party: 'worker', court: 'c' }, day(6)))).toEqual([
          expect.objectContaining({ type: 'LawsuitFiled', data: expect.objectContaining({ basis: 'acceptance-overdue' }) }),
          { type: 'DeadlineStopped', data: { clockId: 'arbitration-acceptance', at: day(6), reason: 'cancelled' } },
        ]);
      given(ARBITRATING()).when(cmd('FileLawsuit', { party: 'worker', court: 'c' }, day(44))).thenThrows('UNION.ARBITRATION_PENDING');
      expect(outcome(ARBITRATING(), cmd('FileLawsuit', { party: 'worker', court: 'c' }, day(46)))).toEqual([
        expect.objectContaining({ data: expect.objectContaining({ basis: 'award-overdue' }) }),
        { type: 'DeadlineStopped', data: { clockId: 'award', at: day(46), reason: 'cancelled' } },
      ]);
      const notAccepted = history([cmd('RejectArbitration', { reasons: '超過受案範圍' })], NATIONAL_RULES, ARBITRATION_APPLIED());
      given(notAccepted)
        .when(cmd('FileLawsuit', { party: 'worker', court: 'c' }, day(2)))
        .then([{ type: 'LawsuitFiled', data: { disputeId: DISPUTE_ID, party: 'worker', court: 'c', basis: 'not-accepted', filedAt: day(2) } }]);
      given(FILED()).when(cmd('FileLawsuit', { party: 'worker', court: 'c' })).thenThrows('UNION.LAWSUIT_NOT_AVAILABLE');
    });

    it('lets the employer apply to set a final award aside within 30 days (Art 49)', () => {
      given(AWARDED('final'))
        .when(cmd('ApplyToSetAsideAward', { court: '郴州市中級人民法院' }, day(50)))
        .then([
          { type: 'SetAsideApplied', data: { disputeId: DISPUTE_ID, court: '郴州市中級人民法院', appliedAt: day(50) } },
          { type: 'DeadlineStopped', data: { clockId: 'set-aside-window', at: day(50), reason: 'met' } },
        ]);
      given(AWARDED('final')).when(cmd('ApplyToSetAsideAward', { court: 'c' }, '2024-04-30T16:00:00.000Z')).thenThrows('UNION.SET_ASIDE_WINDOW_CLOSED');
      given(AWARDED()).when(cmd('ApplyToSetAsideAward', { court: 'c' }, day(35))).thenThrows('UNION.SET_ASIDE_ONLY_FINAL_AWARD');
    });

    it('after a set-aside ruling, opens 15 days to sue; a refused application leaves the award effective', () => {
      const requested = history([cmd('ApplyToSetAsideAward', { court: '郴州市中級人民法院' }, day(40))], NATIONAL_RULES, AWARDED('final'));
      given(requested)
        .when(cmd('RecordSetAsideRuling', { setAside: true }, day(60)))
        .then([
          { type: 'SetAsideRuled', data: { disputeId: DISPUTE_ID, setAside: true, ruledAt: day(60) } },
          // The worker's window to sue (never lapsed here) gives way to the new one.
          { type: 'DeadlineStopped', data: { clockId: 'suit-window', at: day(60), reason: 'cancelled' } },
          { type: 'DeadlineStarted', data: clockStarted(LaborPolicy.postSetAsideSuitWindow, 'post-set-aside-suit-window', day(60), '2024-05-15T16:00:00.000Z') },
        ]);
      const setAside = history([cmd('RecordSetAsideRuling', { setAside: true }, day(60))], NATIONAL_RULES, requested);
      expect(caseOf(setAside).status).toBe('AwardSetAside');
      expect(outcome(setAside, cmd('FileLawsuit', { party: 'employer', court: 'c' }, day(70)))).toEqual([
        expect.objectContaining({ data: expect.objectContaining({ basis: 'award-set-aside' }) }),
        { type: 'DeadlineStopped', data: { clockId: 'post-set-aside-suit-window', at: day(70), reason: 'met' } },
      ]);
      const refused = history([cmd('RecordSetAsideRuling', { setAside: false }, day(60))], NATIONAL_RULES, requested);
      expect(caseOf(refused).status).toBe('AwardEffective');
      given(AWARDED('final')).when(cmd('RecordSetAsideRuling', { setAside: true })).thenThrows('UNION.NO_SET_ASIDE_REQUESTED');
    });

    it('applies for enforcement of an effective award or mediation statement only (Art 51)', () => {
      const effective = history([cmd('LapseChallengeWindow', { window: 'suit' }, day(46))], NATIONAL_RULES, AWARDED());
      given(effective)
        .when(cmd('ApplyForEnforcement', { court: '汝城縣人民法院' }, day(60)))
        .then([{ type: 'EnforcementApplied', data: { disputeId: DISPUTE_ID, court: '汝城縣人民法院', basis: 'award', appliedAt: day(60) } }]);
      const statement = history([cmd('IssueArbitralMediationStatement', { terms: 't', partiesSigned: true }, day(20))], NATIONAL_RULES, ARBITRATING());
      given(statement)
        .when(cmd('ApplyForEnforcement', { court: 'c' }, day(40)))
        .then([{ type: 'EnforcementApplied', data: { disputeId: DISPUTE_ID, court: 'c', basis: 'mediation-statement', appliedAt: day(40) } }]);
      given(AWARDED()).when(cmd('ApplyForEnforcement', { court: 'c' }, day(35))).thenThrows('UNION.ENFORCEMENT_NOT_AVAILABLE');
    });
  });
});

describe('legal aid (法律援助法 Art 43)', () => {
  const applied = () => history([cmd('ApplyForLegalAid', { aidOffice: '汝城縣法律援助中心' })], NATIONAL_RULES, FILED());

  it('applies and starts the 7-day decision clock', () => {
    given(FILED())
      .when(cmd('ApplyForLegalAid', { aidOffice: '汝城縣法律援助中心' }))
      .then([
        { type: 'LegalAidApplied', data: { disputeId: DISPUTE_ID, aidOffice: '汝城縣法律援助中心', appliedAt: TEST_NOW } },
        { type: 'DeadlineStarted', data: clockStarted(LaborPolicy.legalAidDecision, 'legal-aid-decision', TEST_NOW, '2024-03-08T16:00:00.000Z') },
      ]);
    given(applied()).when(cmd('ApplyForLegalAid', { aidOffice: 'x' })).thenThrows('UNION.LEGAL_AID_ALREADY_APPLIED');
  });

  it('grants aid and starts the 3-day clock to assign a lawyer', () => {
    given(applied())
      .when(cmd('DecideLegalAid', { granted: true }, day(2)))
      .then([
        { type: 'LegalAidDecided', data: { disputeId: DISPUTE_ID, granted: true, reasons: '', decidedAt: day(2), decidedLate: false } },
        { type: 'DeadlineStopped', data: { clockId: 'legal-aid-decision', at: day(2), reason: 'met' } },
        { type: 'DeadlineStarted', data: clockStarted(LaborPolicy.legalAidAssignment, 'legal-aid-assignment', day(2), '2024-03-06T16:00:00.000Z') },
      ]);
  });

  it('refuses only with written reasons, flags a late decision, and allows a new application after a refusal', () => {
    given(applied()).when(cmd('DecideLegalAid', { granted: false })).thenThrows('UNION.REASONS_REQUIRED');
    const [decided] = outcome(applied(), cmd('DecideLegalAid', { granted: false, reasons: '經濟狀況不符合條件' }, day(8)));
    expect(decided.data).toMatchObject({ granted: false, decidedLate: true, reasons: '經濟狀況不符合條件' });
    const refused = history([cmd('DecideLegalAid', { granted: false, reasons: '不符合' }, day(1))], NATIONAL_RULES, applied());
    expect(typesOf(refused, cmd('ApplyForLegalAid', { aidOffice: '郴州市法律援助中心' }, day(3)))).toEqual(['LegalAidApplied', 'DeadlineStarted']);
    given(FILED()).when(cmd('DecideLegalAid', { granted: true })).thenThrows('UNION.LEGAL_AID_NOT_APPLIED');
  });

  it('assigns a lawyer after a grant only, once', () => {
    const granted = history([cmd('DecideLegalAid', { granted: true }, day(2))], NATIONAL_RULES, applied());
    given(granted)
      .when(cmd('AssignLegalAidLawyer', { lawyerName: '張律師', lawFirm: '湖南某律師事務所' }, day(6)))
      .then([
        { type: 'LegalAidLawyerAssigned', data: { disputeId: DISPUTE_ID, lawyerName: '張律師', lawFirm: '湖南某律師事務所', assignedAt: day(6), assignedLate: true } },
        { type: 'DeadlineStopped', data: { clockId: 'legal-aid-assignment', at: day(6), reason: 'met' } },
      ]);
    given(applied()).when(cmd('AssignLegalAidLawyer', { lawyerName: 'a', lawFirm: 'b' })).thenThrows('UNION.LEGAL_AID_NOT_GRANTED');
    const assigned = history([cmd('AssignLegalAidLawyer', { lawyerName: 'a', lawFirm: 'b' }, day(3))], NATIONAL_RULES, granted);
    given(assigned).when(cmd('AssignLegalAidLawyer', { lawyerName: 'a', lawFirm: 'b' })).thenThrows('UNION.LEGAL_AID_LAWYER_ALREADY_ASSIGNED');
  });
});

describe('closing and reopening', () => {
  it('closes with an outcome the case has reached and stops its clocks', () => {
    given(MEDIATING())
      .when(cmd('CloseDispute', { outcome: 'settled-by-negotiation', note: '雙方和解' }, day(4)))
      .then([
        { type: 'DisputeClosed', data: { disputeId: DISPUTE_ID, outcome: 'settled-by-negotiation', note: '雙方和解', closedAt: day(4) } },
        { type: 'DeadlineStopped', data: { clockId: 'limitation', at: day(4), reason: 'cancelled' } },
        { type: 'DeadlineStopped', data: { clockId: 'mediation-window', at: day(4), reason: 'cancelled' } },
      ]);
  });

  it.each([
    ['award-effective', FILED],
    ['mediation-agreement-performed', AGREED],
    ['referred-to-court', ARBITRATING],
    ['arbitration-withdrawn', ARBITRATING],
  ] as const)('refuses the outcome %s before the case reached it', (outcome, stage) => {
    given(stage()).when(cmd('CloseDispute', { outcome }, day(10))).thenThrows('UNION.OUTCOME_NOT_REACHED');
  });

  it('closes an enforced award as award-effective, not as arbitral mediation', () => {
    const enforced = history(
      [cmd('LapseChallengeWindow', { window: 'suit' }, day(46)), cmd('ApplyForEnforcement', { court: 'c' }, day(50))],
      NATIONAL_RULES,
      AWARDED(),
    );
    given(enforced).when(cmd('CloseDispute', { outcome: 'arbitral-mediation' }, day(60))).thenThrows('UNION.OUTCOME_NOT_REACHED');
    given(enforced).when(cmd('CloseDispute', { outcome: 'award-effective' }, day(60))).then([
      { type: 'DisputeClosed', data: { disputeId: DISPUTE_ID, outcome: 'award-effective', note: '', closedAt: day(60) } },
    ]);
  });

  it('accepts nothing but a reopening once closed; the scheduler’s late commands do nothing', () => {
    const closed = history([cmd('CloseDispute', { outcome: 'abandoned' }, day(4))], NATIONAL_RULES, MEDIATING());
    given(closed).when(cmd('RecordMediationFailure', { reason: 'x' }, day(5))).thenThrows('UNION.DISPUTE_CLOSED');
    given(closed).when(cmd('TransferDispute', { toOrgUnitId: 'x', reason: 'y' }, day(5))).thenThrows('UNION.DISPUTE_CLOSED');
    given(closed).when(cmd('ExpireMediationWindow', {}, day(20))).thenNothing();
    given(closed).when(cmd('LapseChallengeWindow', { window: 'suit' }, day(20))).thenNothing();
    given(MEDIATING()).when(cmd('ReopenDispute', { reason: 'x' })).thenThrows('UNION.DISPUTE_NOT_CLOSED');
  });

  it('reopens as a new event, back to the stage it was closed at, with its clocks as they were', () => {
    const mediating = MEDIATING();
    const closed = history([cmd('CloseDispute', { outcome: 'abandoned' }, day(4))], NATIONAL_RULES, mediating);
    const reopened = given(closed).when(cmd('ReopenDispute', { reason: '工人要求繼續調解' }, day(6)));
    const events = reopened.then([
      { type: 'DeadlineStarted', data: { ...clockStarted(LaborPolicy.limitation, 'limitation', TEST_NOW, '2025-03-01T16:00:00.000Z') } },
      { type: 'DeadlineStarted', data: clockStarted(LaborPolicy.mediationWindow, 'mediation-window', TEST_NOW, '2024-03-16T16:00:00.000Z') },
      { type: 'DisputeReopened', data: { disputeId: DISPUTE_ID, reason: '工人要求繼續調解', reopenedAt: day(6) } },
    ]);
    const after = caseOf([...closed, ...events.map((e) => ({ ...e, metadata: { occurredAt: day(6) } }))] as never);
    const before = caseOf(mediating);
    expect(after.status).toBe('Mediating');
    expect(after.clocks).toEqual(before.clocks);
    expect(after.reopenings).toBe(1);
    expect(after.closing).toBeNull();
  });

  it('re-announces a suspended limitation clock as paused on reopening', () => {
    const closed = history(
      [cmd('RecordLimitationSuspension', { reason: 'force-majeure', on: '2024-02-01' }), cmd('CloseDispute', { outcome: 'abandoned' }, day(1))],
      NATIONAL_RULES,
      FILED(),
    );
    given(closed).when(cmd('ReopenDispute', { reason: 'r' }, day(2))).then([
      { type: 'DeadlineStarted', data: limitationStarted },
      { type: 'DeadlinePaused', data: { clockId: 'limitation', at: '2024-01-31T16:00:00.000Z', reason: 'force-majeure' } },
      { type: 'DisputeReopened', data: { disputeId: DISPUTE_ID, reason: 'r', reopenedAt: day(2) } },
    ]);
  });
});

describe('deadlines as data', () => {
  it('starts a clock under the policy version in effect and records that version', () => {
    const v2: DeadlinePolicy = {
      ...nationalPolicy(LaborPolicy.mediationWindow),
      version: 2,
      length: 20,
      source: '某省勞動爭議調解條例 (local rule, example)',
      effectiveFrom: '2024-02-01T00:00:00+08:00',
    };
    const rules = { ...NATIONAL_RULES, policies: [...NATIONAL_LABOR_DISPUTE_POLICIES, v2] };
    const applied = history([file(), cmd('ApplyForMediation', { committee: COMMITTEE, form: 'written' })], rules);
    expect(outcome(applied, cmd('AcceptMediation', {}), rules)).toEqual([
      { type: 'MediationAccepted', data: { disputeId: DISPUTE_ID, acceptedAt: TEST_NOW, windowEndsAt: '2024-03-21T16:00:00.000Z' } },
      { type: 'DeadlineStarted', data: expect.objectContaining({ policyId: LaborPolicy.mediationWindow, version: 2, length: 20, source: v2.source }) },
    ]);
  });

  it('counts a working-day policy over the loaded holiday calendar', () => {
    // A local version in working days, with 清明 2024 (4–6 April off, Sunday 7 April worked).
    const wd: DeadlinePolicy = {
      ...nationalPolicy(LaborPolicy.legalAidDecision),
      version: 2,
      length: 3,
      unit: 'wd',
      effectiveFrom: '2024-04-01T00:00:00+08:00',
    };
    const calendar = workingCalendar('cn-national', [
      { date: '2024-04-04', kind: 'holiday' },
      { date: '2024-04-05', kind: 'holiday' },
      { date: '2024-04-06', kind: 'holiday' },
      { date: '2024-04-07', kind: 'workday' },
    ]);
    const rules = { policies: [...NATIONAL_LABOR_DISPUTE_POLICIES, wd], calendar };
    expect(outcome(history([file()], rules), cmd('ApplyForLegalAid', { aidOffice: 'x' }, '2024-04-03T02:00:00.000Z'), rules)).toEqual([
      expect.objectContaining({ type: 'LegalAidApplied' }),
      { type: 'DeadlineStarted', data: expect.objectContaining({ version: 2, unit: 'wd', calendarId: 'cn-national', dueAt: '2024-04-09T16:00:00.000Z' }) },
    ]);
  });
});

describe('the whole chain', () => {
  it('takes a dispute from filing through mediation and arbitration to an enforced award and a closing', () => {
    const events = history([
      file(),
      cmd('ApplyForMediation', { committee: COMMITTEE, form: 'written' }),
      cmd('AcceptMediation', {}, day(1)),
      cmd('ExpireMediationWindow', {}, day(17)),
      cmd('ApplyForArbitration', { commission: COMMISSION }, day(17)),
      cmd('AcceptArbitration', { caseNumber: 'X' }, day(19)),
      cmd('ExtendAwardDeadline', { days: 15, approvedBy: 'chair', noticeServed: true }, day(50)),
      cmd('IssueAward', { kind: 'non-final', summary: 's', awardedAmount: 20_000 }, day(70)),
      cmd('LapseChallengeWindow', { window: 'suit' }, day(86)),
      cmd('ApplyForEnforcement', { court: '汝城縣人民法院' }, day(90)),
      cmd('CloseDispute', { outcome: 'award-effective' }, day(120)),
    ]);
    const s = caseOf(events);
    expect(s).toMatchObject({
      status: 'Closed',
      closing: expect.objectContaining({ outcome: 'award-effective', previousStatus: 'EnforcementApplied' }),
      mediation: expect.objectContaining({ outcome: 'expired' }),
      arbitration: expect.objectContaining({ extended: true, caseNumber: 'X' }),
      award: expect.objectContaining({ kind: 'non-final', onTime: true, effectiveSince: expect.any(String) }),
      enforcement: { court: '汝城縣人民法院', basis: 'award', appliedAt: day(90) },
      clocks: {},
    });
    expect(fileData().workers).toHaveLength(1);
  });
});
