import { systemPrincipal } from '@gongzhi/auth';
import { addLocalDays, localDateOf, startOfLocalDate } from '@gongzhi/deadlines-domain';
import type { CommandResult } from '@gongzhi/eventsourcing';
import { idNumberCheckChar } from '@gongzhi/privacy';
import { creditCodeCheckChar, type DisputeCategory } from '@gongzhi/union-domain';
import { v5 as uuidv5 } from 'uuid';
import type { FileLaborDisputeInput, LaborDisputeStepInput } from '../write/commands';
import { LaborDisputeCommands } from '../write/labor-dispute.handlers';

/**
 * The union units the demo adds to the organisation (same shape as the CLI's demo units):
 * 汝城縣總工會 with a township union below it, and 吳江市總工會 with 松陵街道總工會, so a county
 * officer can watch a township's disputes and KPIs from above.
 */
export const UNION_DEMO_UNITS = [
  {
    id: 'rucheng-tuqiao-union',
    name: '汝城縣土橋鎮工會',
    kind: 'trade-union-federation' as const,
    parent: 'rucheng-union',
    staff: [{ id: 'rucheng-tuqiao-officer', displayName: '土橋鎮工會主席', role: 'union-officer' as const, scope: 'subtree' as const }],
  },
  {
    id: 'wujiang-union',
    name: '吳江市總工會',
    kind: 'trade-union-federation' as const,
    parent: 'wujiang',
    staff: [{ id: 'wujiang-union-officer', displayName: '吳江市總工會法律工作部', role: 'union-officer' as const, scope: 'subtree' as const }],
  },
  {
    id: 'songling-union',
    name: '松陵街道總工會',
    kind: 'trade-union-federation' as const,
    parent: 'wujiang-union',
    staff: [{ id: 'songling-union-officer', displayName: '松陵街道總工會勞動爭議調解中心', role: 'union-officer' as const, scope: 'subtree' as const }],
  },
];

const DEMO_NAMESPACE = 'c4d1f0a8-3e6b-4a57-9b2e-7d5f1c8e2a90';

/** A step of a demo dispute: how many days ago (10:00 China time) and the command. */
type Step = [daysAgo: number, step: Omit<LaborDisputeStepInput, 'data'> & { data: Record<string, unknown> }];

interface DemoDispute {
  id: string;
  unit: string;
  filedDaysAgo: number;
  filing: Omit<Partial<FileLaborDisputeInput>, 'employer' | 'workers'> & { employer: string; workers: string[]; rightKnownInfringedDaysAgo?: number };
  steps: Step[];
  /** Responsibility moves to another union on that day. */
  transfer?: { daysAgo: number; to: string; reason: string };
}

const s = (type: LaborDisputeStepInput['type'], data: Record<string, unknown> = {}) => ({ type, data }) as Step[1];

const MEDIATION = { committee: { kind: 'township-street', name: '土橋鎮勞動爭議調解中心' }, form: 'written' };
const WJ_MEDIATION = { committee: { kind: 'enterprise', name: '吳江某紡織有限公司勞動爭議調解委員會' }, form: 'oral' };
const RC_COMMISSION = { commission: '汝城縣勞動人事爭議仲裁委員會' };
const WJ_COMMISSION = { commission: '蘇州市吳江區勞動人事爭議仲裁委員會' };
const EXECUTED = { partiesSigned: true, mediatorSigned: true, committeeSealed: true };

/** Every status of the lifecycle, a group dispute, an overdue award, a transfer and a reopening. */
const DISPUTES: DemoDispute[] = [
  { id: 'demo-rc-001', unit: 'rucheng-union', filedDaysAgo: 2, filing: { employer: '汝城縣宏達建築工程有限公司', workers: ['李四明'] }, steps: [[1, s('ApplyForLegalAid', { aidOffice: '汝城縣法律援助中心' })]] },
  {
    id: 'demo-rc-002',
    unit: 'rucheng-union',
    filedDaysAgo: 3,
    // Known two years ago: filed after the limitation period, flagged, still filed.
    filing: { employer: '汝城縣順發物流有限公司', workers: ['王建國'], category: 'dismissal-resignation', rightKnownInfringedDaysAgo: 730 },
    steps: [[2, s('ApplyForMediation', MEDIATION)]],
  },
  { id: 'demo-rc-003', unit: 'rucheng-tuqiao-union', filedDaysAgo: 6, filing: { employer: '汝城縣土橋鎮石材廠', workers: ['陳細妹'] }, steps: [[5, s('ApplyForMediation', MEDIATION)], [4, s('AcceptMediation')]] },
  {
    id: 'demo-rc-004',
    unit: 'rucheng-tuqiao-union',
    filedDaysAgo: 20,
    filing: { employer: '汝城縣土橋鎮石材廠', workers: ['黃春生'] },
    steps: [[19, s('ApplyForMediation', MEDIATION)], [18, s('AcceptMediation')], [10, s('SignMediationAgreement', { terms: '石材廠分兩期支付拖欠工資', performanceDueInDays: 20, ...EXECUTED })]],
  },
  {
    id: 'demo-rc-005',
    unit: 'rucheng-union',
    filedDaysAgo: 60,
    filing: { employer: '汝城縣宏達建築工程有限公司', workers: ['朱光榮'] },
    steps: [[59, s('ApplyForMediation', MEDIATION)], [58, s('AcceptMediation')], [50, s('SignMediationAgreement', { terms: '一次性支付經濟補償', performanceDueInDays: -30, ...EXECUTED })], [35, s('RecordAgreementPerformed')]],
  },
  {
    id: 'demo-rc-006',
    unit: 'rucheng-tuqiao-union',
    filedDaysAgo: 70,
    filing: { employer: '汝城縣土橋鎮竹木加工廠', workers: ['何大勇'] },
    steps: [[69, s('ApplyForMediation', MEDIATION)], [68, s('AcceptMediation')], [60, s('SignMediationAgreement', { terms: '補發加班費', performanceDueInDays: -40, ...EXECUTED })], [39, s('RecordAgreementNotPerformed')]],
  },
  {
    id: 'demo-wj-007',
    unit: 'songling-union',
    filedDaysAgo: 15,
    filing: { employer: '吳江某紡織有限公司', workers: ['沈月華'], category: 'working-conditions' },
    steps: [[14, s('ApplyForMediation', WJ_MEDIATION)], [13, s('AcceptMediation')], [5, s('RecordMediationFailure', { reason: '雙方對加班時長認定分歧過大' })]],
  },
  { id: 'demo-wj-008', unit: 'wujiang-union', filedDaysAgo: 10, filing: { employer: '吳江某電子科技有限公司', workers: ['吳曉東'], category: 'labor-contract' }, steps: [[2, s('ApplyForArbitration', WJ_COMMISSION)]] },
  {
    id: 'demo-wj-009',
    unit: 'wujiang-union',
    filedDaysAgo: 30,
    filing: { employer: '吳江某電子科技有限公司', workers: ['周明'], category: 'employment-relationship' },
    steps: [[20, s('ApplyForArbitration', WJ_COMMISSION)], [17, s('RejectArbitration', { reasons: '申請人未能提供存在勞動關係的初步證據' })]],
  },
  {
    // The overdue award: accepted 58 days ago, no extension.
    id: 'demo-rc-010',
    unit: 'rucheng-union',
    filedDaysAgo: 80,
    filing: { employer: '汝城縣順發物流有限公司', workers: ['劉志強'] },
    steps: [[60, s('ApplyForArbitration', RC_COMMISSION)], [58, s('AcceptArbitration', { caseNumber: '汝勞人仲案〔2026〕031號' })], [50, s('ApplyForLegalAid', { aidOffice: '汝城縣法律援助中心' })], [47, s('DecideLegalAid', { granted: false, reasons: '申請人經濟狀況不符合法律援助條件' })]],
  },
  {
    // The group dispute: 28 construction workers, one claim (Art 7).
    id: 'demo-rc-011',
    unit: 'rucheng-tuqiao-union',
    filedDaysAgo: 40,
    filing: { employer: '汝城縣宏達建築工程有限公司', workers: ['鄧永福', '曹金貴', '袁小紅'], workersInvolved: 28, commonClaim: true, claimAmount: 684_000 },
    steps: [
      [39, s('ApplyForMediation', MEDIATION)],
      [38, s('AcceptMediation')],
      [22, s('ExpireMediationWindow')],
      [20, s('ApplyForArbitration', RC_COMMISSION)],
      [18, s('AcceptArbitration', { caseNumber: '汝勞人仲案〔2026〕045號' })],
      [17, s('ApplyForLegalAid', { aidOffice: '汝城縣法律援助中心' })],
      [15, s('DecideLegalAid', { granted: true })],
      [14, s('AssignLegalAidLawyer', { lawyerName: '鄭律師', lawFirm: '湖南汝城某律師事務所' })],
    ],
  },
  {
    id: 'demo-wj-012',
    unit: 'songling-union',
    filedDaysAgo: 50,
    filing: { employer: '吳江某絲綢有限公司', workers: ['張麗娟'] },
    steps: [[45, s('ApplyForArbitration', WJ_COMMISSION)], [43, s('AcceptArbitration', { caseNumber: '吳勞人仲案〔2026〕118號' })], [30, s('WithdrawArbitration', { settlement: '公司補發工資，雙方和解' })]],
  },
  {
    id: 'demo-wj-013',
    unit: 'songling-union',
    filedDaysAgo: 60,
    filing: { employer: '吳江某絲綢有限公司', workers: ['錢雪芬'] },
    steps: [[55, s('ApplyForArbitration', WJ_COMMISSION)], [53, s('AcceptArbitration', { caseNumber: '吳勞人仲案〔2026〕097號' })], [30, s('IssueArbitralMediationStatement', { terms: '公司分三期支付', partiesSigned: true })]],
  },
  {
    id: 'demo-rc-014',
    unit: 'rucheng-union',
    filedDaysAgo: 90,
    filing: { employer: '汝城縣順發物流有限公司', workers: ['羅志勇'] },
    steps: [
      [57, s('ApplyForArbitration', RC_COMMISSION)],
      [55, s('AcceptArbitration', { caseNumber: '汝勞人仲案〔2026〕038號' })],
      [15, s('ExtendAwardDeadline', { days: 15, approvedBy: '汝城縣仲裁委主任', noticeServed: true })],
      [4, s('IssueAward', { kind: 'non-final', summary: '支付違法解除勞動合同賠償金', awardedAmount: 36_000 })],
    ],
  },
  {
    id: 'demo-wj-015',
    unit: 'wujiang-union',
    filedDaysAgo: 120,
    filing: { employer: '吳江某機械製造有限公司', workers: ['許建華'] },
    steps: [[100, s('ApplyForArbitration', WJ_COMMISSION)], [98, s('AcceptArbitration', { caseNumber: '吳勞人仲案〔2026〕052號' })], [60, s('IssueAward', { kind: 'non-final', summary: '支付拖欠工資', awardedAmount: 21_600 })], [44, s('LapseChallengeWindow', { window: 'suit' })]],
  },
  {
    id: 'demo-rc-016',
    unit: 'rucheng-union',
    filedDaysAgo: 60,
    filing: { employer: '汝城縣某礦業有限公司', workers: ['蔣德明'], category: 'working-conditions', claimAmount: 8_500 },
    steps: [
      [50, s('ApplyForArbitration', RC_COMMISSION)],
      [48, s('AcceptArbitration', { caseNumber: '汝勞人仲案〔2026〕040號' })],
      [20, s('IssueAward', { kind: 'final', summary: '為申請人補繳社會保險', awardedAmount: 8_500 })],
      [10, s('ApplyToSetAsideAward', { court: '郴州市中級人民法院' })],
      [4, s('LapseChallengeWindow', { window: 'suit' })],
    ],
  },
  {
    id: 'demo-wj-017',
    unit: 'songling-union',
    filedDaysAgo: 100,
    filing: { employer: '吳江某紡織有限公司', workers: ['顧海燕'], claimAmount: 28_000 },
    steps: [
      [90, s('ApplyForArbitration', WJ_COMMISSION)],
      [88, s('AcceptArbitration', { caseNumber: '吳勞人仲案〔2026〕031號' })],
      [60, s('IssueAward', { kind: 'final', summary: '支付加班工資', awardedAmount: 28_000, localMonthlyMinimumWage: 2_490 })],
      [50, s('ApplyToSetAsideAward', { court: '蘇州市中級人民法院' })],
      [44, s('LapseChallengeWindow', { window: 'suit' })],
      [8, s('RecordSetAsideRuling', { setAside: true })],
    ],
  },
  {
    id: 'demo-rc-018',
    unit: 'rucheng-union',
    filedDaysAgo: 80,
    filing: { employer: '汝城縣宏達建築工程有限公司', workers: ['謝文斌'], category: 'labor-contract' },
    steps: [[70, s('ApplyForArbitration', RC_COMMISSION)], [68, s('AcceptArbitration', { caseNumber: '汝勞人仲案〔2026〕022號' })], [40, s('IssueAward', { kind: 'non-final', summary: '確認勞動合同解除違法', awardedAmount: 0 })], [30, s('FileLawsuit', { party: 'employer', court: '汝城縣人民法院' })]],
  },
  {
    id: 'demo-wj-019',
    unit: 'wujiang-union',
    filedDaysAgo: 150,
    filing: { employer: '吳江某機械製造有限公司', workers: ['孫國強'] },
    steps: [
      [130, s('ApplyForArbitration', WJ_COMMISSION)],
      [128, s('AcceptArbitration', { caseNumber: '吳勞人仲案〔2026〕011號' })],
      [100, s('IssueAward', { kind: 'non-final', summary: '支付工傷醫療費', awardedAmount: 15_200 })],
      [84, s('LapseChallengeWindow', { window: 'suit' })],
      [60, s('ApplyForEnforcement', { court: '蘇州市吳江區人民法院' })],
    ],
  },
  {
    id: 'demo-rc-020',
    unit: 'rucheng-union',
    filedDaysAgo: 200,
    filing: { employer: '汝城縣某礦業有限公司', workers: ['鍾秀英'] },
    steps: [
      [199, s('ApplyForMediation', MEDIATION)],
      [198, s('AcceptMediation')],
      [190, s('SignMediationAgreement', { terms: '一次性支付工資差額', performanceDueInDays: -175, ...EXECUTED })],
      [172, s('RecordAgreementPerformed')],
      [170, s('CloseDispute', { outcome: 'mediation-agreement-performed', note: '協議已履行完畢' })],
    ],
  },
  {
    id: 'demo-wj-021',
    unit: 'songling-union',
    filedDaysAgo: 30,
    filing: { employer: '吳江某電子科技有限公司', workers: ['馬麗'] },
    steps: [[20, s('CloseDispute', { outcome: 'abandoned', note: '申請人表示不再主張' })], [10, s('ReopenDispute', { reason: '申請人重新提出主張' })]],
  },
  {
    id: 'demo-rc-022',
    unit: 'rucheng-tuqiao-union',
    filedDaysAgo: 12,
    filing: { employer: '汝城縣順發物流有限公司', workers: ['賴春華'] },
    transfer: { daysAgo: 8, to: 'rucheng-union', reason: '用人單位註冊地在縣城，由縣總工會直接辦理' },
    steps: [],
  },
];

/** Fictional people with well-formed (checksummed) ID numbers from the counties' region codes. */
const idNumberFor = (name: string, index: number, unit: string): string => {
  const region = unit.startsWith('wujiang') || unit.startsWith('songling') ? '320509' : '431026';
  const birth = `19${70 + ((name.charCodeAt(0) + index) % 30)}0${1 + (index % 9)}1${index % 10}`;
  const first17 = `${region}${birth}${String((name.charCodeAt(name.length - 1) % 900) + 100)}`;
  return first17 + idNumberCheckChar(first17);
};

const creditCodeFor = (employer: string): string => {
  let h = 0;
  for (const c of employer) h = (h * 31 + c.charCodeAt(0)) % 1_000_000;
  const first17 = `91${employer.startsWith('吳江') ? '320509' : '431026'}MA${String(h).padStart(7, '0')}`;
  return first17 + creditCodeCheckChar(first17);
};

export interface LaborDisputeDemoResult {
  disputes: number;
  appended: number;
  replayed: number;
}

/**
 * Files and advances the demo disputes through the command path, backdated relative to `now`
 * (so the open windows are really open and the overdue award really overdue when the demo is
 * shown). Every command carries a fixed commandId: a second run appends nothing. Needs the union
 * units (UNION_DEMO_UNITS and 汝城縣總工會) in the org read model.
 */
export const seedLaborDisputeDemo = async (
  app: { get<T>(token: new (...args: any[]) => T): T },
  options: { now: Date },
): Promise<LaborDisputeDemoResult> => {
  const commands = app.get(LaborDisputeCommands);
  const principal = systemPrincipal('gongzhi-cli-seed');
  const today = localDateOf(options.now.toISOString());
  const ago = (days: number) => new Date(Date.parse(startOfLocalDate(addLocalDays(today, -days))) + 10 * 3_600_000).toISOString();
  const dateIn = (days: number) => addLocalDays(today, days);
  const result: LaborDisputeDemoResult = { disputes: 0, appended: 0, replayed: 0 };
  const count = (r: CommandResult) => (r.idempotentReplay ? result.replayed++ : (result.appended += r.events.length));
  const meta = (id: string, step: string, at: string) => ({ correlationId: 'seed-demo', commandId: uuidv5(`union-demo:${id}:${step}`, DEMO_NAMESPACE), now: at });

  for (const d of DISPUTES) {
    const { employer, workers, rightKnownInfringedDaysAgo, ...filing } = d.filing;
    count(
      await commands.file(
        {
          disputeId: d.id,
          orgUnitId: d.unit,
          category: 'remuneration' as DisputeCategory,
          claimAmount: 23_800,
          description: `${employer}與職工之間的勞動爭議（演示數據）`,
          employer: { name: employer, creditCode: creditCodeFor(employer) },
          workers: workers.map((name, i) => ({ name, idNumber: idNumberFor(name, i, d.unit), phone: `138${10_000_000 + ((name.charCodeAt(0) * 7_919 + i) % 90_000_000)}` })),
          commonClaim: false,
          rightKnownInfringedOn: dateIn(-(rightKnownInfringedDaysAgo ?? d.filedDaysAgo + 30)),
          ...filing,
        },
        principal,
        meta(d.id, 'file', ago(d.filedDaysAgo)),
      ),
    );
    const steps: Array<[number, () => Promise<CommandResult>]> = d.steps.map(([daysAgo, step], i) => [
      daysAgo,
      () => {
        const data: Record<string, unknown> = { ...step.data, disputeId: d.id };
        if (typeof data.performanceDueInDays === 'number') {
          data.performanceDueDate = dateIn(data.performanceDueInDays);
          delete data.performanceDueInDays;
        }
        return commands.step({ type: step.type, data } as LaborDisputeStepInput, principal, meta(d.id, `${i}:${step.type}`, ago(daysAgo)));
      },
    ]);
    if (d.transfer) {
      const { daysAgo, to, reason } = d.transfer;
      steps.push([daysAgo, () => commands.transfer({ disputeId: d.id, toOrgUnitId: to, reason }, principal, meta(d.id, 'transfer', ago(daysAgo)))]);
    }
    steps.sort((a, b) => b[0] - a[0]);
    for (const [, run] of steps) count(await run());
    result.disputes++;
  }
  return result;
};

export const LABOR_DISPUTE_DEMO_IDS = DISPUTES.map((d) => d.id);
