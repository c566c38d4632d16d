import { toIsoInstant, type DeadlineRules, type DeadlineStartedData } from '@gongzhi/deadlines-domain';
import { fold, type EventMetadata } from '@gongzhi/kernel';
import { aCommandMetadata, anEventMetadata, TEST_NOW, TEST_ORG_UNIT_PATH, type GivenEvent, type WhenCommand } from '@gongzhi/testing';
import type { FileDispute, LaborDisputeCommand } from '../labor-dispute.commands';
import { createLaborDisputeDecider, NATIONAL_RULES } from '../labor-dispute.decider';
import type { LaborDisputeEvent } from '../labor-dispute.events';
import { NATIONAL_LABOR_DISPUTE_POLICIES } from '../labor-dispute.policies';
import type { DisputeCase, LaborDispute } from '../labor-dispute.state';

export const DISPUTE_ID = 'd-1';
/** 91350100M000100Y43: the example code of GB 32100-2015 (valid check character). */
export const CREDIT_CODE = '91350100M000100Y43';

/** TEST_NOW plus `days` (fractional allowed): 2024-03-01T08:00Z is 16:00 on 1 March in China. */
export const day = (days: number): string => new Date(Date.parse(TEST_NOW) + days * 86_400_000).toISOString();

type Data<T extends LaborDisputeCommand['type']> = Omit<Extract<LaborDisputeCommand, { type: T }>['data'], 'disputeId'>;

/** A command on the test dispute, at TEST_NOW + `at` days unless `now` says otherwise. */
export const cmd = <T extends LaborDisputeCommand['type']>(
  type: T,
  data: Data<T>,
  now: string = TEST_NOW,
): WhenCommand<LaborDisputeCommand> =>
  ({ type, data: { disputeId: DISPUTE_ID, ...data }, metadata: aCommandMetadata({ now }) }) as WhenCommand<LaborDisputeCommand>;

export const fileData = (overrides: Partial<FileDispute['data']> = {}): Data<'FileDispute'> => ({
  orgUnitId: 'rucheng-federation',
  category: 'remuneration',
  claimAmount: 23_800,
  description: '拖欠三個月工資',
  employer: { name: '汝城縣某建築工程有限公司', creditCode: CREDIT_CODE },
  workers: [{ subjectId: 'w-1', name: '李四', idNumber: '431026199001011230', phone: '13800001111' }],
  commonClaim: false,
  rightKnownInfringedOn: '2024-01-10',
  ...overrides,
});

export const file = (overrides: Partial<FileDispute['data']> = {}, now: string = TEST_NOW) => cmd('FileDispute', fileData(overrides), now);

/**
 * A history built by running commands through the decider, each at its own `now`: what the
 * command processor would have stored. Each step is itself covered by its own test.
 */
export const history = (
  steps: WhenCommand<LaborDisputeCommand>[],
  rules: DeadlineRules = NATIONAL_RULES,
  from: GivenEvent<LaborDisputeEvent>[] = [],
): GivenEvent<LaborDisputeEvent>[] => {
  const decider = createLaborDisputeDecider(rules);
  const events: GivenEvent<LaborDisputeEvent>[] = [...from];
  for (const step of steps) {
    const metadata = aCommandMetadata(step.metadata);
    const state = stateOf(events);
    const decided = decider.decide({ ...step, metadata } as LaborDisputeCommand, state);
    for (const e of decided) {
      events.push({ ...e, metadata: { occurredAt: metadata.now, orgUnitPath: metadata.orgUnitPath ?? TEST_ORG_UNIT_PATH } } as GivenEvent<LaborDisputeEvent>);
    }
  }
  return events;
};

export const stateOf = (events: GivenEvent<LaborDisputeEvent>[]): LaborDispute =>
  fold(
    createLaborDisputeDecider(NATIONAL_RULES),
    events.map((e) => ({ ...e, metadata: anEventMetadata(e.metadata as Partial<EventMetadata>) }) as LaborDisputeEvent),
  );

export const caseOf = (events: GivenEvent<LaborDisputeEvent>[]): DisputeCase => {
  const s = stateOf(events);
  if (s.status === 'None') throw new Error('no dispute');
  return s;
};

export const nationalPolicy = (policyId: string) => {
  const p = NATIONAL_LABOR_DISPUTE_POLICIES.find((x) => x.policyId === policyId);
  if (!p) throw new Error(`no policy ${policyId}`);
  return p;
};

/** What a DeadlineStarted carries for a national policy, with the due date spelled out by the test. */
export const clockStarted = (policyId: string, clockId: string, startedAt: string, dueAt: string): DeadlineStartedData => {
  const p = nationalPolicy(policyId);
  return {
    clockId,
    policyId,
    version: p.version,
    source: p.source,
    length: p.length,
    unit: p.unit,
    expiry: p.expiry,
    rollForward: p.rollForward,
    calendarId: 'weekends-only',
    startedAt: toIsoInstant(startedAt),
    dueAt,
  };
};

// Histories at each stage, all starting at TEST_NOW (1 March 2024, China time).
export const FILED = () => history([file()]);
export const MEDIATING = () => history([file(), cmd('ApplyForMediation', { committee: { kind: 'township-street', name: '土橋鎮勞動爭議調解中心' }, form: 'written' }), cmd('AcceptMediation', {})]);
export const AGREED = () =>
  history(
    [cmd('SignMediationAgreement', { terms: '公司於三月底前付清工資', performanceDueDate: '2024-03-31', partiesSigned: true, mediatorSigned: true, committeeSealed: true }, day(5))],
    NATIONAL_RULES,
    MEDIATING(),
  );
export const ARBITRATION_APPLIED = () => history([file(), cmd('ApplyForArbitration', { commission: '汝城縣勞動人事爭議仲裁委員會' })]);
export const ARBITRATING = () => history([cmd('AcceptArbitration', { caseNumber: '汝勞人仲案〔2024〕12號' })], NATIONAL_RULES, ARBITRATION_APPLIED());
export const AWARDED = (kind: 'final' | 'non-final' = 'non-final', category: FileDispute['data']['category'] = 'remuneration') =>
  history([
    file({ category }),
    cmd('ApplyForArbitration', { commission: '汝城縣勞動人事爭議仲裁委員會' }),
    cmd('AcceptArbitration', { caseNumber: '汝勞人仲案〔2024〕12號' }),
    cmd('IssueAward', { kind, summary: '支付拖欠工資', awardedAmount: 23_800, localMonthlyMinimumWage: 2_000 }, day(30)),
  ]);

/** The events decide returns for `command` after `events` (for checks on parts of them). */
export const outcome = (
  events: GivenEvent<LaborDisputeEvent>[],
  command: WhenCommand<LaborDisputeCommand>,
  rules: DeadlineRules = NATIONAL_RULES,
) =>
  createLaborDisputeDecider(rules).decide(
    { ...command, metadata: aCommandMetadata(command.metadata) } as LaborDisputeCommand,
    stateOf(events),
  );

/** The types of the events decide returns. */
export const typesOf = (events: GivenEvent<LaborDisputeEvent>[], command: WhenCommand<LaborDisputeCommand>, rules?: DeadlineRules): string[] =>
  outcome(events, command, rules).map((e) => e.type);
