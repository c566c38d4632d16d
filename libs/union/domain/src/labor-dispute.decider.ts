import {
  DeadlinePolicyNotFound,
  extendDeadline,
  extensionProblem,
  isOverdue,
  localDateOf,
  pauseDeadline,
  policyFor,
  restartDeadline,
  resumeDeadline,
  startDeadline,
  startDeadlineUntil,
  startOfLocalDate,
  stopDeadline,
  toIsoInstant,
  WEEKENDS_ONLY,
  type DeadlineClock,
  type DeadlineRules,
  type DeadlineStartedData,
  type DeadlineStopReason,
} from '@gongzhi/deadlines-domain';
import { assertNever, personalData, type Decider, type NewEvent } from '@gongzhi/kernel';
import type * as C from './labor-dispute.commands';
import type { LaborDisputeCommand } from './labor-dispute.commands';
import * as E from './labor-dispute.errors';
import type { LaborDisputeEvent } from './labor-dispute.events';
import { LaborClock, LaborPolicy, NATIONAL_LABOR_DISPUTE_POLICIES, type LaborClockId } from './labor-dispute.policies';
import { evolveLaborDispute, initialLaborDispute, type DisputeCase, type LaborDispute } from './labor-dispute.state';
import {
  DISPUTE_CATEGORIES,
  DISPUTE_OUTCOMES,
  LIMITATION_INTERRUPTIONS,
  LIMITATION_SUSPENSIONS,
  MEDIATION_COMMITTEE_KINDS,
  type ChallengeWindow,
  type DisputeOutcome,
  type DisputeStatus,
  type LimitationBasis,
  type Worker,
} from './labor-dispute.types';
import { amount, creditCode, identifier, localDate, oneOf, reasons, text, wholeNumber } from './validation';

type NE = NewEvent<LaborDisputeEvent>;
type Decided = NE[];

const ev = <T extends NE['type']>(type: T, data: Extract<NE, { type: T }>['data']): NE => ({ type, data }) as NE;

/** Art 7: ten or more workers with a common claim. Fixed by the law itself, so not a policy. */
export const GROUP_DISPUTE_MIN_WORKERS = 10;
/** Art 47 (1): a pay or compensation award is final up to twelve months of the local minimum wage. */
export const FINAL_AWARD_MINIMUM_WAGE_MONTHS = 12;
export const MAX_WORKERS_LISTED = 200;

interface Ctx {
  rules: DeadlineRules;
  /** The command's `now`, normalized to `…Z`. */
  now: string;
}

const started = (data: DeadlineStartedData): NE => ev('DeadlineStarted', data);
const stopped = (clockId: string, at: string, reason: DeadlineStopReason): NE => ev('DeadlineStopped', stopDeadline(clockId, at, reason));
const stopIfRunning = (s: DisputeCase, clockId: LaborClockId, at: string, reason: DeadlineStopReason): Decided =>
  s.clocks[clockId] ? [stopped(clockId, at, reason)] : [];

/** A clock under the policy in effect at its start, or today's when the start predates every version. */
const startClock = (ctx: Ctx, policyId: string, clockId: LaborClockId, startedAt: string): DeadlineStartedData => {
  try {
    return startDeadline(ctx.rules, policyId, clockId, startedAt);
  } catch (e) {
    if (!(e instanceof DeadlinePolicyNotFound)) throw e;
    return startDeadline(ctx.rules, policyId, clockId, startedAt, ctx.now);
  }
};

/** The date given is not after today (China time). */
const notFuture = (ctx: Ctx, on: string, field: string): string => {
  if (on > localDateOf(ctx.now)) throw new E.DateInFuture(`${field} lies in the future`, { field });
  return on;
};

const requireCase = (state: LaborDispute, disputeId: string): DisputeCase => {
  if (state.status === 'None') throw new E.DisputeNotFound(disputeId);
  return state;
};

const requireOpen = (state: LaborDispute, disputeId: string): DisputeCase => {
  const s = requireCase(state, disputeId);
  if (s.status === 'Closed') throw new E.DisputeAlreadyClosed('The dispute is closed; reopen it first', { disputeId });
  return s;
};

const wrongStatus = (Err: new (message?: string, details?: Record<string, unknown>) => Error, s: DisputeCase, what: string): never => {
  throw new Err(`${what} (the dispute is ${s.status})`, { disputeId: s.disputeId, status: s.status });
};

// Filing and responsibility ----------------------------------------------------------------------

const fileDispute = (ctx: Ctx, { data }: C.FileDispute, state: LaborDispute): Decided => {
  if (state.status !== 'None') throw new E.DisputeAlreadyFiled(data.disputeId);
  const orgUnitId = text(data.orgUnitId, 'orgUnitId', 64);
  const category = oneOf(data.category, DISPUTE_CATEGORIES, 'category');
  const claimAmount = amount(data.claimAmount, 'claimAmount');
  const description = text(data.description, 'description', 2000);
  const employer = { name: text(data.employer?.name, 'employer.name', 200), creditCode: creditCode(data.employer?.creditCode) };
  if (!Array.isArray(data.workers) || data.workers.length === 0) throw new E.InvalidDisputeInput('At least one worker is required', { field: 'workers' });
  if (data.workers.length > MAX_WORKERS_LISTED) throw new E.InvalidDisputeInput(`At most ${MAX_WORKERS_LISTED} workers can be listed`, { field: 'workers' });
  const seen = new Set<string>();
  const workers: Worker[] = data.workers.map((w, i) => {
    const subjectId = identifier(w?.subjectId, `workers[${i}].subjectId`);
    if (seen.has(subjectId)) throw new E.InvalidDisputeInput('A worker is listed twice', { field: `workers[${i}].subjectId` });
    seen.add(subjectId);
    const idNumber = text(w.idNumber, `workers[${i}].idNumber`, 32, { optional: true });
    const phone = text(w.phone, `workers[${i}].phone`, 32, { optional: true });
    return {
      subjectId,
      name: personalData(subjectId, text(w.name, `workers[${i}].name`, 100)),
      idNumber: idNumber ? personalData(subjectId, idNumber) : null,
      phone: phone ? personalData(subjectId, phone) : null,
    };
  });
  const workersInvolved = wholeNumber(data.workersInvolved ?? workers.length, 'workersInvolved', workers.length, 1_000_000);
  const commonClaim = data.commonClaim === true;
  const group = commonClaim && workersInvolved >= GROUP_DISPUTE_MIN_WORKERS; // Art 7

  // Art 27 ¶1 and ¶4: where the one-year period starts, if it runs at all.
  let basis: LimitationBasis;
  let startsOn: string | null;
  if (data.wageArrearsDuringEmployment) {
    startsOn = data.employmentEndedOn ? notFuture(ctx, localDate(data.employmentEndedOn, 'employmentEndedOn'), 'employmentEndedOn') : null;
    basis = startsOn ? 'employment-ended' : 'wage-arrears-during-employment';
  } else {
    if (!data.rightKnownInfringedOn) {
      throw new E.InvalidDisputeInput('rightKnownInfringedOn is required unless pay is owed during the employment', { field: 'rightKnownInfringedOn' });
    }
    startsOn = notFuture(ctx, localDate(data.rightKnownInfringedOn, 'rightKnownInfringedOn'), 'rightKnownInfringedOn');
    basis = 'right-known-infringed';
  }
  const limitationClock = startsOn ? startClock(ctx, LaborPolicy.limitation, LaborClock.limitation, startOfLocalDate(startsOn)) : null;
  const expiredAtFiling = limitationClock ? Date.parse(ctx.now) >= Date.parse(limitationClock.dueAt) : false;

  return [
    ev('DisputeFiled', {
      disputeId: data.disputeId,
      orgUnitId,
      category,
      claimAmount,
      description,
      employer,
      workers,
      workersInvolved,
      commonClaim,
      group,
      filedAt: ctx.now,
      limitation: { basis, startsAt: limitationClock?.startedAt ?? null, expiredAtFiling },
    }),
    ...(limitationClock ? [started(limitationClock)] : []),
    ...(group ? [ev('StabilityWatchRaised', { disputeId: data.disputeId, workersInvolved, raisedAt: ctx.now })] : []),
  ];
};

const transferDispute = (ctx: Ctx, { data }: C.TransferDispute, state: LaborDispute): Decided => {
  const s = requireOpen(state, data.disputeId);
  const toOrgUnitId = text(data.toOrgUnitId, 'toOrgUnitId', 64);
  if (toOrgUnitId === s.orgUnitId) throw new E.AlreadyResponsible('That union already handles the dispute', { disputeId: s.disputeId });
  return [
    ev('DisputeTransferred', {
      disputeId: s.disputeId,
      fromOrgUnitId: s.orgUnitId,
      toOrgUnitId,
      reason: text(data.reason, 'reason', 500),
      transferredAt: ctx.now,
    }),
  ];
};

// Limitation (Art 27) -------------------------------------------------------------------------------

const limitationClock = (s: DisputeCase): DeadlineClock => {
  const clock = s.clocks[LaborClock.limitation];
  if (!clock) throw new E.LimitationNotRunning('The limitation period does not run for this dispute', { disputeId: s.disputeId });
  return clock;
};

const limitationDate = (ctx: Ctx, s: DisputeCase, clock: DeadlineClock, on: string): string => {
  const at = startOfLocalDate(notFuture(ctx, localDate(on, 'on'), 'on'));
  if (Date.parse(at) < Date.parse(clock.startedAt)) {
    throw new E.DateBeforeLimitationStart('The date lies before the limitation period started', { disputeId: s.disputeId });
  }
  return at;
};

const interruptLimitation = (ctx: Ctx, { data }: C.RecordLimitationInterruption, state: LaborDispute): Decided => {
  const s = requireOpen(state, data.disputeId);
  const reason = oneOf(data.reason, LIMITATION_INTERRUPTIONS, 'reason');
  const clock = limitationClock(s);
  const at = limitationDate(ctx, s, clock, data.on);
  // An expired period cannot be interrupted: interruption needs a running period (Art 27 ¶2).
  if (isOverdue(clock, at)) throw new E.LimitationExpired('The limitation period had already run out on that date', { disputeId: s.disputeId });
  return [
    ev('LimitationInterrupted', { disputeId: s.disputeId, reason, at }),
    ev('DeadlineRestarted', restartDeadline(ctx.rules.calendar, clock, at, reason)),
  ];
};

const suspendLimitation = (ctx: Ctx, { data }: C.RecordLimitationSuspension, state: LaborDispute): Decided => {
  const s = requireOpen(state, data.disputeId);
  const reason = oneOf(data.reason, LIMITATION_SUSPENSIONS, 'reason');
  const clock = limitationClock(s);
  if (clock.status !== 'running') throw new E.LimitationNotRunning('The limitation period is already suspended', { disputeId: s.disputeId });
  const at = limitationDate(ctx, s, clock, data.on);
  if (isOverdue(clock, at)) throw new E.LimitationExpired('The limitation period had already run out on that date', { disputeId: s.disputeId });
  return [ev('LimitationSuspended', { disputeId: s.disputeId, reason, at }), ev('DeadlinePaused', pauseDeadline(clock, at, reason))];
};

const resumeLimitation = (ctx: Ctx, { data }: C.RecordLimitationResumption, state: LaborDispute): Decided => {
  const s = requireOpen(state, data.disputeId);
  const clock = s.clocks[LaborClock.limitation];
  if (!clock || clock.status !== 'paused') throw new E.LimitationNotSuspended('The limitation period is not suspended', { disputeId: s.disputeId });
  const at = limitationDate(ctx, s, clock, data.on);
  const pausedAt = clock.pauses[clock.pauses.length - 1]?.from;
  if (pausedAt && Date.parse(at) < Date.parse(pausedAt)) {
    throw new E.InvalidDisputeInput('The period cannot resume before it was suspended', { field: 'on' });
  }
  // Art 27 ¶3: the remaining period continues from the day the cause of suspension ends.
  return [ev('LimitationResumed', { disputeId: s.disputeId, at }), ev('DeadlineResumed', resumeDeadline(ctx.rules.calendar, clock, at))];
};

// Mediation (Arts 10–16) ------------------------------------------------------------------------------

const applyForMediation = (ctx: Ctx, { data }: C.ApplyForMediation, state: LaborDispute): Decided => {
  const s = requireOpen(state, data.disputeId);
  if (s.status !== 'Filed') wrongStatus(E.MediationNotAvailable, s, 'Mediation can be applied for once, before arbitration');
  const committee = { kind: oneOf(data.committee?.kind, MEDIATION_COMMITTEE_KINDS, 'committee.kind'), name: text(data.committee?.name, 'committee.name', 200) };
  const form = oneOf(data.form, ['written', 'oral'] as const, 'form');
  const clock = s.clocks[LaborClock.limitation];
  // Asking a mediation organization for relief interrupts the limitation period (Art 27 ¶2).
  const interrupts = clock && clock.status === 'running' && !isOverdue(clock, ctx.now);
  return [
    ev('MediationApplied', { disputeId: s.disputeId, committee, form, appliedAt: ctx.now }),
    ...(interrupts
      ? [
          ev('LimitationInterrupted', { disputeId: s.disputeId, reason: 'request-to-authority', at: ctx.now }),
          ev('DeadlineRestarted', restartDeadline(ctx.rules.calendar, clock, ctx.now, 'request-to-authority')),
        ]
      : []),
  ];
};

const acceptMediation = (ctx: Ctx, { data }: C.AcceptMediation, state: LaborDispute): Decided => {
  const s = requireOpen(state, data.disputeId);
  if (s.status !== 'MediationApplied') wrongStatus(E.MediationNotApplied, s, 'There is no mediation application to accept');
  const window = startClock(ctx, LaborPolicy.mediationWindow, LaborClock.mediationWindow, ctx.now);
  return [ev('MediationAccepted', { disputeId: s.disputeId, acceptedAt: ctx.now, windowEndsAt: window.dueAt }), started(window)];
};

const declineMediation = (ctx: Ctx, { data }: C.DeclineMediation, state: LaborDispute): Decided => {
  const s = requireOpen(state, data.disputeId);
  if (s.status !== 'MediationApplied') wrongStatus(E.MediationNotApplied, s, 'There is no mediation application to decline');
  return [ev('MediationDeclined', { disputeId: s.disputeId, reason: reasons(data.reason, 'reason'), declinedAt: ctx.now })];
};

const mediationWindowEnd = (s: DisputeCase): string => s.clocks[LaborClock.mediationWindow]?.dueAt ?? s.mediation?.windowEndsAt ?? s.filedAt;

const signMediationAgreement = (ctx: Ctx, { data }: C.SignMediationAgreement, state: LaborDispute): Decided => {
  const s = requireOpen(state, data.disputeId);
  if (s.status !== 'Mediating') wrongStatus(E.NotMediating, s, 'No mediation is under way');
  // Art 14 ¶3: after 15 days without an agreement the mediation has ended.
  if (Date.parse(ctx.now) >= Date.parse(mediationWindowEnd(s))) {
    throw new E.MediationWindowClosed('The 15-day mediation window has closed', { disputeId: s.disputeId, windowEndsAt: mediationWindowEnd(s) });
  }
  // Art 14 ¶2: effective only once signed by the parties and the mediator and sealed by the committee.
  if (!(data.partiesSigned && data.mediatorSigned && data.committeeSealed)) {
    throw new E.AgreementNotExecuted('The agreement needs both parties’ signatures, the mediator’s signature and the committee’s seal', {
      disputeId: s.disputeId,
    });
  }
  const terms = text(data.terms, 'terms', 4000);
  const dueDate = localDate(data.performanceDueDate, 'performanceDueDate');
  if (dueDate < localDateOf(ctx.now)) throw new E.InvalidPerformanceDeadline('The performance deadline lies in the past', { disputeId: s.disputeId });
  return [
    ev('MediationAgreementSigned', { disputeId: s.disputeId, terms, performanceDueDate: dueDate, signedAt: ctx.now }),
    stopped(LaborClock.mediationWindow, ctx.now, 'met'),
    started(startDeadlineUntil(ctx.rules, LaborPolicy.agreementPerformance, LaborClock.agreementPerformance, ctx.now, dueDate)),
  ];
};

const recordMediationFailure = (ctx: Ctx, { data }: C.RecordMediationFailure, state: LaborDispute): Decided => {
  const s = requireOpen(state, data.disputeId);
  if (s.status !== 'Mediating') wrongStatus(E.NotMediating, s, 'No mediation is under way');
  return [
    ev('MediationFailed', { disputeId: s.disputeId, reason: reasons(data.reason, 'reason'), failedAt: ctx.now }),
    ...stopIfRunning(s, LaborClock.mediationWindow, ctx.now, 'cancelled'),
  ];
};

/** From the scheduler: a no-op when the mediation already ended, so a late or repeated tick is harmless. */
const expireMediationWindow = (ctx: Ctx, { data }: C.ExpireMediationWindow, state: LaborDispute): Decided => {
  const s = requireCase(state, data.disputeId);
  if (s.status !== 'Mediating') return [];
  const windowEndedAt = mediationWindowEnd(s);
  if (Date.parse(ctx.now) < Date.parse(windowEndedAt)) {
    throw new E.MediationWindowOpen('The mediation window is still open', { disputeId: s.disputeId, windowEndsAt: windowEndedAt });
  }
  return [
    ev('MediationWindowExpired', { disputeId: s.disputeId, windowEndedAt, expiredAt: ctx.now }),
    ...stopIfRunning(s, LaborClock.mediationWindow, ctx.now, 'expired'),
  ];
};

const recordAgreementPerformed = (ctx: Ctx, { data }: C.RecordAgreementPerformed, state: LaborDispute): Decided => {
  const s = requireOpen(state, data.disputeId);
  if (s.status !== 'MediationAgreed') wrongStatus(E.NoMediationAgreement, s, 'There is no mediation agreement awaiting performance');
  return [ev('AgreementPerformed', { disputeId: s.disputeId, performedAt: ctx.now }), ...stopIfRunning(s, LaborClock.agreementPerformance, ctx.now, 'met')];
};

const recordAgreementNotPerformed = (ctx: Ctx, { data }: C.RecordAgreementNotPerformed, state: LaborDispute): Decided => {
  const s = requireOpen(state, data.disputeId);
  if (s.status !== 'MediationAgreed') wrongStatus(E.NoMediationAgreement, s, 'There is no mediation agreement awaiting performance');
  const clock = s.clocks[LaborClock.agreementPerformance];
  // Art 15: non-performance counts only once the agreed term has run out.
  if (clock && !isOverdue(clock, ctx.now)) {
    throw new E.PerformanceDeadlineNotReached('The agreed performance term has not run out yet', { disputeId: s.disputeId, dueAt: clock.dueAt });
  }
  return [ev('AgreementNotPerformed', { disputeId: s.disputeId, recordedAt: ctx.now }), ...stopIfRunning(s, LaborClock.agreementPerformance, ctx.now, 'expired')];
};

// Arbitration ------------------------------------------------------------------------------------------

const ARBITRATION_OPEN_FROM: readonly DisputeStatus[] = ['Filed', 'MediationFailed', 'AgreementBreached'];

const applyForArbitration = (ctx: Ctx, { data }: C.ApplyForArbitration, state: LaborDispute): Decided => {
  const s = requireOpen(state, data.disputeId);
  if (s.status === 'MediationApplied' || s.status === 'Mediating') {
    wrongStatus(E.MediationInProgress, s, 'Mediation is under way; arbitration opens when it fails or its window closes (Art 14)');
  }
  if (!ARBITRATION_OPEN_FROM.includes(s.status)) wrongStatus(E.ArbitrationNotAvailable, s, 'Arbitration cannot be applied for now');
  const commission = text(data.commission, 'commission', 200);
  const limitation = s.clocks[LaborClock.limitation];
  const limitationExpired = limitation ? isOverdue(limitation, ctx.now) : false;
  const acceptance = startClock(ctx, LaborPolicy.arbitrationAcceptance, LaborClock.arbitrationAcceptance, ctx.now);
  return [
    ev('ArbitrationApplied', { disputeId: s.disputeId, commission, appliedAt: ctx.now, acceptanceDueAt: acceptance.dueAt, limitationExpired }),
    started(acceptance),
    // The application is what the limitation period is measured against: the period's work is done.
    ...stopIfRunning(s, LaborClock.limitation, ctx.now, limitationExpired ? 'expired' : 'met'),
  ];
};

const requireStatus = (s: DisputeCase, allowed: readonly DisputeStatus[], Err: new (m?: string, d?: Record<string, unknown>) => Error, what: string) => {
  if (!allowed.includes(s.status)) wrongStatus(Err, s, what);
};

const acceptArbitration = (ctx: Ctx, { data }: C.AcceptArbitration, state: LaborDispute): Decided => {
  const s = requireOpen(state, data.disputeId);
  requireStatus(s, ['ArbitrationApplied'], E.ArbitrationNotApplied, 'There is no arbitration application awaiting a decision');
  const acceptance = s.clocks[LaborClock.arbitrationAcceptance];
  const award = startClock(ctx, LaborPolicy.award, LaborClock.award, ctx.now);
  return [
    ev('ArbitrationAccepted', {
      disputeId: s.disputeId,
      caseNumber: text(data.caseNumber, 'caseNumber', 100),
      acceptedAt: ctx.now,
      decidedLate: acceptance ? isOverdue(acceptance, ctx.now) : false,
      awardDueAt: award.dueAt,
    }),
    ...stopIfRunning(s, LaborClock.arbitrationAcceptance, ctx.now, 'met'),
    started(award),
  ];
};

const rejectArbitration = (ctx: Ctx, { data }: C.RejectArbitration, state: LaborDispute): Decided => {
  const s = requireOpen(state, data.disputeId);
  requireStatus(s, ['ArbitrationApplied'], E.ArbitrationNotApplied, 'There is no arbitration application awaiting a decision');
  const acceptance = s.clocks[LaborClock.arbitrationAcceptance];
  return [
    // Art 29: non-acceptance is notified in writing with reasons.
    ev('ArbitrationNotAccepted', {
      disputeId: s.disputeId,
      reasons: reasons(data.reasons, 'reasons'),
      decidedAt: ctx.now,
      decidedLate: acceptance ? isOverdue(acceptance, ctx.now) : false,
    }),
    ...stopIfRunning(s, LaborClock.arbitrationAcceptance, ctx.now, 'met'),
  ];
};

const extendAwardDeadline = (ctx: Ctx, { data }: C.ExtendAwardDeadline, state: LaborDispute): Decided => {
  const s = requireOpen(state, data.disputeId);
  requireStatus(s, ['Arbitrating'], E.NotArbitrating, 'No arbitration is under way');
  const clock = s.clocks[LaborClock.award];
  if (!clock) wrongStatus(E.NotArbitrating, s, 'The award deadline is not running');
  const award = clock as DeadlineClock;
  // The extension rule is the one the clock started under, not a later version.
  const policy =
    ctx.rules.policies.find((p) => p.policyId === award.policyId && p.version === award.version) ?? policyFor(ctx.rules, award.policyId, ctx.now);
  const days = wholeNumber(data.days, 'days', 1, 366);
  const approvedBy = typeof data.approvedBy === 'string' ? data.approvedBy.trim() : '';
  const by = { at: ctx.now, length: days, unit: 'd' as const, approvedBy: approvedBy || null };
  const details = { disputeId: s.disputeId, awardDueAt: award.dueAt };
  // Art 43 ¶1: once, by at most 15 days, approved by the commission's chair, notified in writing.
  const problem = extensionProblem(policy, award, by);
  switch (problem) {
    case undefined:
      break;
    case 'not-extendable':
      throw new E.AwardNotExtendable('The award deadline cannot be extended under its policy', details);
    case 'not-running':
      throw new E.NotArbitrating('The award deadline is not running', details);
    case 'already-due':
      throw new E.AwardDeadlinePassed('The award deadline has already passed; it can only be extended before it ends', details);
    case 'exhausted':
      throw new E.AwardExtensionUsed('The award deadline was already extended once', details);
    case 'too-long':
      throw new E.AwardExtensionTooLong(`An extension may last at most ${policy.extension?.maxLength} days`, details);
    case 'approval-required':
      throw new E.AwardExtensionNotApproved('An extension needs the approval of the commission’s chair', details);
    default:
      return assertNever(problem);
  }
  if (!data.noticeServed) throw new E.AwardExtensionNoticeRequired('The parties must be notified of the extension in writing', details);
  const extended = extendDeadline(ctx.rules.calendar, award, { ...by, reason: 'Art 43: complex case, extension approved' });
  return [
    ev('AwardDeadlineExtended', { disputeId: s.disputeId, days, approvedBy, extendedAt: ctx.now, awardDueAt: extended.dueAt }),
    ev('DeadlineExtended', extended),
  ];
};

const issueArbitralMediationStatement = (ctx: Ctx, { data }: C.IssueArbitralMediationStatement, state: LaborDispute): Decided => {
  const s = requireOpen(state, data.disputeId);
  requireStatus(s, ['Arbitrating'], E.NotArbitrating, 'No arbitration is under way');
  // Art 42 ¶3: the statement takes effect when both parties have signed for it.
  if (!data.partiesSigned) throw new E.StatementNotSigned('The mediation statement takes effect only once both parties signed for it', { disputeId: s.disputeId });
  return [
    ev('ArbitralMediationStatementIssued', { disputeId: s.disputeId, terms: text(data.terms, 'terms', 4000), issuedAt: ctx.now }),
    ...stopIfRunning(s, LaborClock.award, ctx.now, 'met'),
  ];
};

const withdrawArbitration = (ctx: Ctx, { data }: C.WithdrawArbitration, state: LaborDispute): Decided => {
  const s = requireOpen(state, data.disputeId);
  requireStatus(s, ['ArbitrationApplied', 'Arbitrating'], E.NotArbitrating, 'No arbitration is pending');
  return [
    ev('ArbitrationWithdrawn', { disputeId: s.disputeId, settlement: text(data.settlement, 'settlement', 4000), withdrawnAt: ctx.now }),
    ...stopIfRunning(s, LaborClock.arbitrationAcceptance, ctx.now, 'cancelled'),
    ...stopIfRunning(s, LaborClock.award, ctx.now, 'cancelled'),
  ];
};

const issueAward = (ctx: Ctx, { data }: C.IssueAward, state: LaborDispute): Decided => {
  const s = requireOpen(state, data.disputeId);
  requireStatus(s, ['Arbitrating'], E.NotArbitrating, 'No arbitration is under way');
  const kind = oneOf(data.kind, ['final', 'non-final'] as const, 'kind');
  if (kind === 'final') {
    // Art 47: (1) pay, injury costs, compensation up to 12 months of the local minimum wage;
    // (2) disputes over national labor standards (hours, rest, social insurance).
    const wage = data.localMonthlyMinimumWage;
    const smallClaim =
      s.category === 'remuneration' &&
      typeof wage === 'number' &&
      wage > 0 &&
      s.claimAmount <= wage * FINAL_AWARD_MINIMUM_WAGE_MONTHS;
    if (!smallClaim && s.category !== 'working-conditions') {
      throw new E.FinalAwardNotApplicable(
        'A final award covers pay or compensation claims up to 12 months of the local minimum wage, or labor-standard disputes (Art 47)',
        { disputeId: s.disputeId, category: s.category },
      );
    }
  }
  const servedAt = data.servedAt ? toIsoInstant(data.servedAt) : ctx.now;
  if (Date.parse(servedAt) > Date.parse(ctx.now)) throw new E.DateInFuture('servedAt lies in the future', { field: 'servedAt' });
  const award = s.clocks[LaborClock.award];
  const suit = startClock(ctx, LaborPolicy.suitWindow, LaborClock.suitWindow, servedAt);
  const setAside = kind === 'final' ? startClock(ctx, LaborPolicy.setAsideWindow, LaborClock.setAsideWindow, servedAt) : null;
  return [
    ev('AwardIssued', {
      disputeId: s.disputeId,
      kind,
      summary: text(data.summary, 'summary', 4000),
      awardedAmount: amount(data.awardedAmount, 'awardedAmount'),
      issuedAt: ctx.now,
      servedAt,
      onTime: award ? !isOverdue(award, ctx.now) : true,
      suitWindowEndsAt: suit.dueAt,
      setAsideWindowEndsAt: setAside?.dueAt ?? null,
    }),
    ...stopIfRunning(s, LaborClock.award, ctx.now, 'met'),
    started(suit),
    ...(setAside ? [started(setAside)] : []),
    // Art 47: a final award is legally effective from the day it is made.
    ...(kind === 'final' ? [ev('AwardBecameEffective', { disputeId: s.disputeId, effectiveSince: ctx.now, basis: 'final-award' })] : []),
  ];
};

const WINDOW_CLOCKS: Record<ChallengeWindow, LaborClockId> = {
  suit: LaborClock.suitWindow,
  'set-aside': LaborClock.setAsideWindow,
  'post-set-aside-suit': LaborClock.postSetAsideSuitWindow,
};

/** From the scheduler: a window that is no longer open (used, or already lapsed) is a no-op. */
const lapseChallengeWindow = (ctx: Ctx, { data }: C.LapseChallengeWindow, state: LaborDispute): Decided => {
  const s = requireCase(state, data.disputeId);
  const window = oneOf(data.window, ['suit', 'set-aside', 'post-set-aside-suit'] as const, 'window');
  const clock = s.clocks[WINDOW_CLOCKS[window]];
  if (!clock || s.status === 'Closed') return [];
  if (!isOverdue(clock, ctx.now)) throw new E.ChallengeWindowOpen('The window is still open', { disputeId: s.disputeId, window, endsAt: clock.dueAt });
  // Art 50: a non-final award nobody sued over within the window takes effect.
  const becomesEffective = window === 'suit' && s.status === 'Awarded' && s.award?.kind === 'non-final';
  return [
    ev('ChallengeWindowLapsed', { disputeId: s.disputeId, window, lapsedAt: ctx.now }),
    stopped(clock.clockId, ctx.now, 'expired'),
    ...(becomesEffective ? [ev('AwardBecameEffective', { disputeId: s.disputeId, effectiveSince: clock.dueAt, basis: 'no-suit-within-window' })] : []),
  ];
};

const windowOpen = (s: DisputeCase, clockId: LaborClockId, now: string): boolean => {
  const clock = s.clocks[clockId];
  return !!clock && !isOverdue(clock, now);
};

const LITIGATION_ENDS_CLOCKS: readonly LaborClockId[] = [
  LaborClock.arbitrationAcceptance,
  LaborClock.award,
  LaborClock.suitWindow,
  LaborClock.setAsideWindow,
  LaborClock.postSetAsideSuitWindow,
];

const fileLawsuit = (ctx: Ctx, { data }: C.FileLawsuit, state: LaborDispute): Decided => {
  const s = requireOpen(state, data.disputeId);
  const party = oneOf(data.party, ['worker', 'employer'] as const, 'party');
  const court = text(data.court, 'court', 200);
  const closedWindow = () => {
    throw new E.SuitWindowClosed('The 15-day window to sue has closed', { disputeId: s.disputeId });
  };
  let basis: E_Basis;
  let used: LaborClockId | null = null;
  switch (s.status) {
    case 'ArbitrationNotAccepted': // Art 29
      basis = 'not-accepted';
      break;
    case 'ArbitrationApplied': // Art 29: no decision within 5 days
      if (windowOpen(s, LaborClock.arbitrationAcceptance, ctx.now)) throw new E.ArbitrationPending('The commission still has time to decide on acceptance', { disputeId: s.disputeId });
      basis = 'acceptance-overdue';
      break;
    case 'Arbitrating': // Art 43 ¶1: no award within the time limit
      if (windowOpen(s, LaborClock.award, ctx.now)) throw new E.ArbitrationPending('The tribunal still has time to make its award', { disputeId: s.disputeId });
      basis = 'award-overdue';
      break;
    case 'Awarded': // Art 50: either party, within 15 days of receiving a non-final award
      if (!windowOpen(s, LaborClock.suitWindow, ctx.now)) closedWindow();
      basis = 'award-challenged';
      used = LaborClock.suitWindow;
      break;
    case 'AwardEffective':
    case 'SetAsideRequested':
      if (s.award?.kind !== 'final') closedWindow();
      // Art 48: only the worker may sue over a final award; the employer may only apply to set it aside (Art 49).
      if (party === 'employer') throw new E.EmployerCannotSueFinalAward('The employer cannot sue over a final award; it may apply to set it aside', { disputeId: s.disputeId });
      if (!windowOpen(s, LaborClock.suitWindow, ctx.now)) closedWindow();
      basis = 'award-challenged';
      used = LaborClock.suitWindow;
      break;
    case 'AwardSetAside': // Art 49 ¶2
      if (!windowOpen(s, LaborClock.postSetAsideSuitWindow, ctx.now)) closedWindow();
      basis = 'award-set-aside';
      used = LaborClock.postSetAsideSuitWindow;
      break;
    case 'Filed':
    case 'MediationApplied':
    case 'Mediating':
    case 'MediationAgreed':
    case 'AgreementPerformed':
    case 'AgreementBreached':
    case 'MediationFailed':
    case 'ArbitrationWithdrawn':
    case 'MediationStatementEffective':
    case 'InLitigation':
    case 'EnforcementApplied':
    case 'Closed':
      // Arbitration comes before the courts (Art 5): a lawsuit is open only at the points above.
      return wrongStatus(E.LawsuitNotAvailable, s, 'A lawsuit is not open at this stage');
    default:
      return assertNever(s.status);
  }
  return [
    ev('LawsuitFiled', { disputeId: s.disputeId, party, court, basis, filedAt: ctx.now }),
    ...LITIGATION_ENDS_CLOCKS.flatMap((id) => stopIfRunning(s, id, ctx.now, id === used ? 'met' : 'cancelled')),
  ];
};
type E_Basis = Extract<NE, { type: 'LawsuitFiled' }>['data']['basis'];

const applyToSetAsideAward = (ctx: Ctx, { data }: C.ApplyToSetAsideAward, state: LaborDispute): Decided => {
  const s = requireOpen(state, data.disputeId);
  // Art 49: only a final award, only by the employer, within 30 days of receiving it.
  if (s.status !== 'AwardEffective' || s.award?.kind !== 'final') {
    wrongStatus(E.SetAsideOnlyFinalAward, s, 'Only an effective final award can be set aside');
  }
  if (!windowOpen(s, LaborClock.setAsideWindow, ctx.now)) {
    throw new E.SetAsideWindowClosed('The 30-day window to apply for setting aside has closed', { disputeId: s.disputeId });
  }
  return [
    ev('SetAsideApplied', { disputeId: s.disputeId, court: text(data.court, 'court', 200), appliedAt: ctx.now }),
    stopped(LaborClock.setAsideWindow, ctx.now, 'met'),
  ];
};

const recordSetAsideRuling = (ctx: Ctx, { data }: C.RecordSetAsideRuling, state: LaborDispute): Decided => {
  const s = requireOpen(state, data.disputeId);
  requireStatus(s, ['SetAsideRequested'], E.NoSetAsideRequested, 'No application to set the award aside is pending');
  if (typeof data.setAside !== 'boolean') throw new E.InvalidDisputeInput('setAside must be true or false', { field: 'setAside' });
  if (!data.setAside) return [ev('SetAsideRuled', { disputeId: s.disputeId, setAside: false, ruledAt: ctx.now })];
  return [
    ev('SetAsideRuled', { disputeId: s.disputeId, setAside: true, ruledAt: ctx.now }),
    ...stopIfRunning(s, LaborClock.suitWindow, ctx.now, 'cancelled'),
    // Art 49 ¶2: after the award is set aside, a party may sue within 15 days of the ruling.
    started(startClock(ctx, LaborPolicy.postSetAsideSuitWindow, LaborClock.postSetAsideSuitWindow, ctx.now)),
  ];
};

const applyForEnforcement = (ctx: Ctx, { data }: C.ApplyForEnforcement, state: LaborDispute): Decided => {
  const s = requireOpen(state, data.disputeId);
  // Art 51: an effective award or mediation statement that is not performed can be enforced by a court.
  let basis: 'award' | 'mediation-statement';
  if (s.status === 'AwardEffective') basis = 'award';
  else if (s.status === 'MediationStatementEffective') basis = 'mediation-statement';
  else return wrongStatus(E.EnforcementNotAvailable, s, 'Only an effective award or mediation statement can be enforced');
  return [ev('EnforcementApplied', { disputeId: s.disputeId, court: text(data.court, 'court', 200), basis, appliedAt: ctx.now })];
};

// Legal aid (法律援助法 Art 43) ------------------------------------------------------------------------

const applyForLegalAid = (ctx: Ctx, { data }: C.ApplyForLegalAid, state: LaborDispute): Decided => {
  const s = requireOpen(state, data.disputeId);
  if (s.legalAid && s.legalAid.status !== 'refused') {
    throw new E.LegalAidAlreadyApplied('Legal aid was already applied for', { disputeId: s.disputeId, legalAid: s.legalAid.status });
  }
  return [
    ev('LegalAidApplied', { disputeId: s.disputeId, aidOffice: text(data.aidOffice, 'aidOffice', 200), appliedAt: ctx.now }),
    started(startClock(ctx, LaborPolicy.legalAidDecision, LaborClock.legalAidDecision, ctx.now)),
  ];
};

const decideLegalAid = (ctx: Ctx, { data }: C.DecideLegalAid, state: LaborDispute): Decided => {
  const s = requireOpen(state, data.disputeId);
  if (s.legalAid?.status !== 'applied') throw new E.LegalAidNotApplied('No legal aid application awaits a decision', { disputeId: s.disputeId });
  if (typeof data.granted !== 'boolean') throw new E.InvalidDisputeInput('granted must be true or false', { field: 'granted' });
  // A refusal is in writing with reasons (Art 43).
  const why = data.granted ? text(data.reasons, 'reasons', 2000, { optional: true }) : reasons(data.reasons, 'reasons');
  const clock = s.clocks[LaborClock.legalAidDecision];
  return [
    ev('LegalAidDecided', { disputeId: s.disputeId, granted: data.granted, reasons: why, decidedAt: ctx.now, decidedLate: clock ? isOverdue(clock, ctx.now) : false }),
    ...stopIfRunning(s, LaborClock.legalAidDecision, ctx.now, 'met'),
    ...(data.granted ? [started(startClock(ctx, LaborPolicy.legalAidAssignment, LaborClock.legalAidAssignment, ctx.now))] : []),
  ];
};

const assignLegalAidLawyer = (ctx: Ctx, { data }: C.AssignLegalAidLawyer, state: LaborDispute): Decided => {
  const s = requireOpen(state, data.disputeId);
  const aid = s.legalAid;
  if (!aid) throw new E.LegalAidNotApplied('No legal aid was applied for', { disputeId: s.disputeId });
  if (aid.status === 'assigned') throw new E.LegalAidLawyerAlreadyAssigned('A lawyer is already assigned', { disputeId: s.disputeId });
  if (aid.status !== 'granted') throw new E.LegalAidNotGranted('Legal aid has not been granted', { disputeId: s.disputeId, legalAid: aid.status });
  const clock = s.clocks[LaborClock.legalAidAssignment];
  return [
    ev('LegalAidLawyerAssigned', {
      disputeId: s.disputeId,
      lawyerName: text(data.lawyerName, 'lawyerName', 100),
      lawFirm: text(data.lawFirm, 'lawFirm', 200),
      assignedAt: ctx.now,
      assignedLate: clock ? isOverdue(clock, ctx.now) : false,
    }),
    ...stopIfRunning(s, LaborClock.legalAidAssignment, ctx.now, 'met'),
  ];
};

// Closing ------------------------------------------------------------------------------------------------

/** Which stages an outcome can be recorded from; the two unconditioned ones fit any open stage. */
export const OUTCOME_REQUIRES: Readonly<Record<DisputeOutcome, readonly DisputeStatus[] | 'any'>> = {
  'settled-by-negotiation': 'any',
  abandoned: 'any',
  'mediation-agreement-performed': ['AgreementPerformed'],
  'arbitral-mediation': ['MediationStatementEffective', 'EnforcementApplied'],
  'award-effective': ['AwardEffective', 'EnforcementApplied'],
  'arbitration-withdrawn': ['ArbitrationWithdrawn'],
  'referred-to-court': ['InLitigation'],
  'award-set-aside': ['AwardSetAside'],
};

const closeDispute = (ctx: Ctx, { data }: C.CloseDispute, state: LaborDispute): Decided => {
  const s = requireOpen(state, data.disputeId);
  const outcome = oneOf(data.outcome, DISPUTE_OUTCOMES, 'outcome');
  const allowed = OUTCOME_REQUIRES[outcome];
  const enforcementMatches =
    s.status !== 'EnforcementApplied' ||
    outcome !== 'arbitral-mediation' && outcome !== 'award-effective' ||
    (outcome === 'arbitral-mediation') === (s.enforcement?.basis === 'mediation-statement');
  if ((allowed !== 'any' && !allowed.includes(s.status)) || !enforcementMatches) {
    throw new E.OutcomeNotReached(`The dispute has not reached the outcome ${outcome}`, { disputeId: s.disputeId, status: s.status, outcome });
  }
  // DisputeClosed comes first: it keeps the running clocks for a reopen, then they stop.
  return [
    ev('DisputeClosed', { disputeId: s.disputeId, outcome, note: text(data.note, 'note', 2000, { optional: true }), closedAt: ctx.now }),
    ...Object.keys(s.clocks).map((id) => stopped(id, ctx.now, 'cancelled')),
  ];
};

const reopenDispute = (ctx: Ctx, { data }: C.ReopenDispute, state: LaborDispute): Decided => {
  const s = requireCase(state, data.disputeId);
  if (s.status !== 'Closed' || !s.closing) throw new E.DisputeNotClosed('Only a closed dispute can be reopened', { disputeId: s.disputeId, status: s.status });
  const reason = text(data.reason, 'reason', 2000);
  // The clocks the closing stopped run on where they were (the scheduler fires at once for any
  // that fell due meanwhile); they are re-announced so the open-clocks projection sees them.
  const resumed = Object.values(s.closing.clocks).flatMap((c): Decided => {
    const { status: _s, pauses, extensions: _x, restarts: _r, ...base } = c;
    const lastPause = pauses[pauses.length - 1];
    return [
      started(base),
      ...(c.status === 'paused' && lastPause ? [ev('DeadlinePaused', { clockId: c.clockId, at: lastPause.from, reason: lastPause.reason })] : []),
    ];
  });
  return [...resumed, ev('DisputeReopened', { disputeId: s.disputeId, reason, reopenedAt: ctx.now })];
};

// The decider -------------------------------------------------------------------------------------------

const decide = (rules: DeadlineRules, command: LaborDisputeCommand, state: LaborDispute): Decided => {
  const ctx: Ctx = { rules, now: toIsoInstant(command.metadata.now) };
  switch (command.type) {
    case 'FileDispute':
      return fileDispute(ctx, command, state);
    case 'TransferDispute':
      return transferDispute(ctx, command, state);
    case 'RecordLimitationInterruption':
      return interruptLimitation(ctx, command, state);
    case 'RecordLimitationSuspension':
      return suspendLimitation(ctx, command, state);
    case 'RecordLimitationResumption':
      return resumeLimitation(ctx, command, state);
    case 'ApplyForMediation':
      return applyForMediation(ctx, command, state);
    case 'AcceptMediation':
      return acceptMediation(ctx, command, state);
    case 'DeclineMediation':
      return declineMediation(ctx, command, state);
    case 'SignMediationAgreement':
      return signMediationAgreement(ctx, command, state);
    case 'RecordMediationFailure':
      return recordMediationFailure(ctx, command, state);
    case 'ExpireMediationWindow':
      return expireMediationWindow(ctx, command, state);
    case 'RecordAgreementPerformed':
      return recordAgreementPerformed(ctx, command, state);
    case 'RecordAgreementNotPerformed':
      return recordAgreementNotPerformed(ctx, command, state);
    case 'ApplyForArbitration':
      return applyForArbitration(ctx, command, state);
    case 'AcceptArbitration':
      return acceptArbitration(ctx, command, state);
    case 'RejectArbitration':
      return rejectArbitration(ctx, command, state);
    case 'ExtendAwardDeadline':
      return extendAwardDeadline(ctx, command, state);
    case 'IssueArbitralMediationStatement':
      return issueArbitralMediationStatement(ctx, command, state);
    case 'WithdrawArbitration':
      return withdrawArbitration(ctx, command, state);
    case 'IssueAward':
      return issueAward(ctx, command, state);
    case 'LapseChallengeWindow':
      return lapseChallengeWindow(ctx, command, state);
    case 'FileLawsuit':
      return fileLawsuit(ctx, command, state);
    case 'ApplyToSetAsideAward':
      return applyToSetAsideAward(ctx, command, state);
    case 'RecordSetAsideRuling':
      return recordSetAsideRuling(ctx, command, state);
    case 'ApplyForEnforcement':
      return applyForEnforcement(ctx, command, state);
    case 'ApplyForLegalAid':
      return applyForLegalAid(ctx, command, state);
    case 'DecideLegalAid':
      return decideLegalAid(ctx, command, state);
    case 'AssignLegalAidLawyer':
      return assignLegalAidLawyer(ctx, command, state);
    case 'CloseDispute':
      return closeDispute(ctx, command, state);
    case 'ReopenDispute':
      return reopenDispute(ctx, command, state);
    default:
      return assertNever(command);
  }
};

export type LaborDisputeDecider = Decider<LaborDispute, LaborDisputeCommand, LaborDisputeEvent>;

/**
 * The decider under a set of deadline rules (the policy versions and the working calendar, both
 * loaded from tables by the application layer). `evolve` does not depend on them: clocks are
 * folded from the events, which carry every due date.
 */
export const createLaborDisputeDecider = (rules: DeadlineRules): LaborDisputeDecider => ({
  initialState: initialLaborDispute,
  evolve: evolveLaborDispute,
  decide: (command, state) => decide(rules, command, state),
});

/** The national rules on a weekends-only calendar: for folding, tests, and the seed's defaults. */
export const NATIONAL_RULES: DeadlineRules = { policies: NATIONAL_LABOR_DISPUTE_POLICIES, calendar: WEEKENDS_ONLY };

export const laborDisputeDecider: LaborDisputeDecider = createLaborDisputeDecider(NATIONAL_RULES);
