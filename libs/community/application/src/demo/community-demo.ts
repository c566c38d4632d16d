import { CommandBus } from '@nestjs/cqrs';
import { systemPrincipal } from '@gongzhi/auth';
import { HANDLING_CLOCK, incidentDecider, incidentStream } from '@gongzhi/community-domain';
import { schedulerCommandId } from '@gongzhi/deadlines';
import { addLocalDays, localDateOf, startOfLocalDate } from '@gongzhi/deadlines-domain';
import { AggregateReader, type CommandResult } from '@gongzhi/eventsourcing';
import { CreateOrgUnitCommand } from '@gongzhi/org';
import { v5 as uuidv5 } from 'uuid';
import {
  AcceptIncidentCommand,
  CloseIncidentCommand,
  DefineGridCommand,
  DispatchIncidentCommand,
  EvaluateIncidentCommand,
  FailVerificationCommand,
  FileIncidentCommand,
  GrantExtensionCommand,
  MarkIncidentOverdueCommand,
  ObjectToDispatchCommand,
  ParkIncidentCommand,
  PassVerificationCommand,
  ReceiveHotlineWorkOrderCommand,
  RecordCallbackCommand,
  ReplyToCallerCommand,
  ReportHandlingCommand,
  ReportIncidentCommand,
  RequestExtensionCommand,
  ReturnWorkOrderCommand,
  VoidIncidentCommand,
  type CommandMeta,
} from '../write/commands';

/** A community of the demo organisation and its staff (the shape of the CLI's demo units). */
export interface DemoCommunity {
  id: string;
  name: string;
  staff?: { id: string; role: string }[];
}

export interface CommunityDemoResult {
  grids: number;
  incidents: number;
  appended: number;
  replayed: number;
}

const DEMO_NAMESPACE = '0c7b6e2a-5d41-4f8e-8a3b-9e2d1c4f6a70';

/** The handling units the street office dispatches to (org units the demo adds under 松陵辦事處). */
export const COMMUNITY_DEMO_UNITS = [
  { id: 'songling-chengguan', name: '松陵城管中隊', kind: 'government-organ' as const, parent: 'songling' },
  { id: 'songling-shizheng', name: '松陵市政管理所', kind: 'government-organ' as const, parent: 'songling' },
];

const CATEGORIES = {
  garbage: ['event.city-appearance.exposed-garbage', '綠化帶內堆放生活垃圾，有異味'],
  manhole: ['component.public-facilities.manhole-cover', '人行道井蓋破損下陷，夜間有行人絆倒風險'],
  lamp: ['component.public-facilities.street-lamp', '小區主幹道三盞路燈不亮'],
  vendor: ['event.street-order.street-vendor', '學校門口早晚有游商占道經營'],
  parking: ['event.street-order.illegal-parking', '消防通道被私家車長期佔用'],
  flyer: ['event.advertising.illegal-flyer', '樓道及電線桿張貼大量小廣告'],
  noise: ['event.construction.construction-noise', '夜間十點後仍有裝修施工噪音'],
  tree: ['component.landscaping.street-tree', '颱風後行道樹枝幹折斷懸掛'],
  dispute: ['event.other.neighbour-dispute', '樓上漏水引發鄰里糾紛'],
} as const;
type CategoryKey = keyof typeof CATEGORIES;

/**
 * What happens to a demo incident, step by step (days ago, 10:00 China time). Every status of
 * both lifecycles appears somewhere; some limits have run out, some cases were reworked, some
 * came from 12345.
 */
type Scenario =
  | 'reported'
  | 'accepted'
  | 'voided'
  | 'filed'
  | 'dispatched'
  | 'overdue'
  | 'extended'
  | 'parked'
  | 'handled'
  | 'verified'
  | 'closed'
  | 'evaluated'
  | 'reworked'
  | 'resident-evaluated'
  | 'green-channel'
  | 'hotline-dispatched'
  | 'hotline-objected'
  | 'hotline-returned'
  | 'hotline-replied'
  | 'hotline-reworked'
  | 'hotline-overdue';

const SCENARIOS: readonly Scenario[] = [
  'reported',
  'accepted',
  'voided',
  'filed',
  'dispatched',
  'overdue',
  'extended',
  'parked',
  'handled',
  'verified',
  'closed',
  'evaluated',
  'reworked',
  'resident-evaluated',
  'green-channel',
  'hotline-dispatched',
  'hotline-objected',
  'hotline-returned',
  'hotline-replied',
  'hotline-reworked',
  'hotline-overdue',
];

/** Demo reporters: personal data, encrypted in the events like any resident's. */
const RESIDENTS = [
  { name: '王秀英', phone: '13962512301' },
  { name: '陳建華', phone: '13862512302' },
  { name: '張麗娟', phone: '15062512303' },
];

/**
 * The community demo, through the same command handlers as the API: grids in every community of
 * 松陵辦事處 (org units of kind grid plus their posted profile), two handling units, and three
 * incidents per community spread over every status, backdated from `now`. Command ids are fixed,
 * so a second run appends nothing. Overdue limits are reported as the scheduler would (same
 * command id), so the platform's scheduler later finds them already recorded.
 */
export const seedCommunityDemo = async (
  app: { get<T>(token: new (...args: any[]) => T): T },
  options: { now: Date; communities: readonly DemoCommunity[]; streetOfficeId?: string },
): Promise<CommunityDemoResult> => {
  const bus = app.get(CommandBus);
  const reader = app.get(AggregateReader);
  const principal = systemPrincipal('gongzhi-cli-seed');
  const today = localDateOf(options.now.toISOString());
  // Backdated to `hour` o'clock China time, never later than `now` (a seed run early in the morning).
  const ago = (days: number, hour = 10) =>
    new Date(Math.min(options.now.getTime(), Date.parse(startOfLocalDate(addLocalDays(today, -days))) + hour * 3_600_000)).toISOString();
  const result: CommunityDemoResult = { grids: 0, incidents: 0, appended: 0, replayed: 0 };
  const exec = async (command: object): Promise<CommandResult> => {
    const r = await bus.execute<never, CommandResult>(command as never);
    if (r.idempotentReplay) result.replayed++;
    else result.appended += r.events.length;
    return r;
  };
  const meta = (key: string, at: string): CommandMeta => ({ correlationId: 'seed-community-demo', commandId: uuidv5(`community-demo:${key}`, DEMO_NAMESPACE), now: at });
  const streetOffice = options.streetOfficeId ?? 'songling';

  for (const unit of COMMUNITY_DEMO_UNITS) {
    await exec(new CreateOrgUnitCommand({ orgUnitId: unit.id, name: unit.name, kind: unit.kind, parentId: streetOffice }, principal, meta(`unit:${unit.id}`, ago(60))));
  }

  let index = 0;
  for (const [c, community] of options.communities.entries()) {
    const worker = community.staff?.find((s) => s.role === 'grid-worker')?.id ?? community.staff?.[0]?.id;
    if (!worker) continue;
    const grids = c < 4 ? [1, 2] : [1];
    for (const g of grids) {
      await exec(
        new DefineGridCommand(
          {
            gridId: `${community.id}-g${g}`,
            communityId: community.id,
            name: `${community.name.replace(/社區$/, '')}第${g === 1 ? '一' : '二'}網格`,
            area: g === 1 ? `${community.name}東片：主幹道以東各幢及沿街商鋪` : `${community.name}西片：主幹道以西各幢及小區廣場`,
            workerStaffId: worker,
            supervisionPhone: `0512-6301${String(c).padStart(2, '0')}${g}0`,
          },
          principal,
          meta(`grid:${community.id}:${g}`, ago(59)),
        ),
      );
      result.grids++;
    }

    for (let k = 0; k < 3; k++, index++) {
      const scenario = SCENARIOS[index % SCENARIOS.length];
      const key = `${community.id}:${k}:${scenario}`;
      const gridId = `${community.id}-g${1 + (k % grids.length)}`;
      const category = (Object.keys(CATEGORIES) as CategoryKey[])[index % Object.keys(CATEGORIES).length];
      const [categoryCode, description] = CATEGORIES[category];
      const dept = index % 2 === 0 ? 'songling-chengguan' : 'songling-shizheng';
      // Overdue cases started long enough ago for any holiday calendar (so the counts are stable).
      const start = scenario === 'overdue' || scenario === 'hotline-overdue' ? 20 + (index % 5) : 2 + ((index * 3) % 25);
      const at = (daysAfterStart: number, hour = 10) => ago(Math.max(0, start - daysAfterStart), hour);
      const step = async (name: string, when: string, build: (m: CommandMeta) => object) => exec(build(meta(`${key}:${name}`, when)));
      const resident = RESIDENTS[index % RESIDENTS.length];

      let incidentId: string;
      if (scenario.startsWith('hotline')) {
        const r = await step('receive', at(0, 9), (m) =>
          new ReceiveHotlineWorkOrderCommand(
            {
              ticketNumber: `WJ12345-${today.replace(/-/g, '').slice(0, 6)}-${String(index + 1).padStart(4, '0')}`,
              category: categoryCode,
              matterType: 'complaint',
              description: `市民來電反映：${description}`,
              location: { address: `${community.name}${1 + (index % 20)}幢附近`, latitude: null, longitude: null },
              unitCode: gridId,
              callerRef: `caller-${1000 + index}`,
              caller: { ...resident, confidential: index % 3 === 0, wantsReply: true },
              timeLimitWorkingDays: null,
            },
            principal,
            m,
          ),
        );
        incidentId = r.aggregateId;
      } else {
        const channel = scenario === 'green-channel' ? 'green-channel' : scenario === 'resident-evaluated' ? 'resident' : k === 2 ? 'video' : 'grid-patrol';
        const r = await step('report', at(0, 9), (m) =>
          new ReportIncidentCommand(
            {
              channel,
              gridId,
              location: { address: `${community.name}${1 + (index % 20)}幢附近`, latitude: 31.16 + index / 1000, longitude: 120.64 + index / 1000 },
              description,
              photoRefs: [`demo/photos/${community.id}/${k}-before.jpg`],
              reporter: channel === 'resident' || channel === 'green-channel' ? { ...resident, wantsReply: true } : null,
            },
            principal,
            m,
          ),
        );
        incidentId = r.aggregateId;
      }
      result.incidents++;
      const id = { incidentId };

      const dispatchedCase = async () => {
        await step('accept', at(0, 11), (m) => new AcceptIncidentCommand(id, principal, m));
        await step('file', at(0, 14), (m) => new FileIncidentCommand({ ...id, categoryCode }, principal, m));
        await step('dispatch', at(0, 15), (m) => new DispatchIncidentCommand({ ...id, toOrgUnitId: dept }, principal, m));
      };
      const handled = (n: number, day: number) => step(`handle-${n}`, at(day), (m) => new ReportHandlingCommand({ ...id, notes: n === 1 ? '已到場處置' : '已按核查意見重新處置', photoRefs: [`demo/photos/${community.id}/${k}-after-${n}.jpg`] }, principal, m));
      const markOverdue = async () => {
        const { state } = await reader.load(incidentDecider, incidentStream(incidentId));
        const clock = state.status === 'None' ? undefined : state.clocks[HANDLING_CLOCK];
        if (!clock || Date.parse(clock.dueAt) > options.now.getTime()) return;
        const commandId = schedulerCommandId({ streamId: incidentStream(incidentId), clockId: HANDLING_CLOCK, dueAt: clock.dueAt });
        await exec(
          new MarkIncidentOverdueCommand({ incidentId, clockId: HANDLING_CLOCK, dueAt: clock.dueAt }, systemPrincipal('deadline-scheduler'), {
            correlationId: commandId,
            commandId,
            now: options.now.toISOString(),
          }),
        );
      };

      switch (scenario) {
        case 'reported':
          break;
        case 'accepted':
          await step('accept', at(0, 11), (m) => new AcceptIncidentCommand(id, principal, m));
          break;
        case 'voided': {
          await step('accept', at(0, 11), (m) => new AcceptIncidentCommand(id, principal, m));
          await step('void', at(0, 12), (m) => new VoidIncidentCommand({ ...id, reason: 'fails-filing-conditions', note: '位於私人庭院內，不屬公共區域' }, principal, m));
          break;
        }
        case 'filed':
          await step('accept', at(0, 11), (m) => new AcceptIncidentCommand(id, principal, m));
          await step('file', at(0, 14), (m) => new FileIncidentCommand({ ...id, categoryCode }, principal, m));
          break;
        case 'dispatched':
        case 'green-channel':
          await dispatchedCase();
          break;
        case 'overdue':
          await dispatchedCase();
          await markOverdue();
          break;
        case 'extended':
          await dispatchedCase();
          await step('request-extension', at(1), (m) => new RequestExtensionCommand({ ...id, length: 3, reason: '需等待配件到貨' }, principal, m));
          await step('grant-extension', at(1, 16), (m) => new GrantExtensionCommand(id, principal, m));
          break;
        case 'parked':
          await dispatchedCase();
          await step('park', at(2), (m) => new ParkIncidentCommand({ ...id, reason: '涉及產權爭議，需區級部門協調後處置' }, principal, m));
          break;
        case 'handled':
          await dispatchedCase();
          await handled(1, 1);
          break;
        case 'verified':
        case 'closed':
        case 'evaluated':
        case 'resident-evaluated':
        case 'reworked': {
          await dispatchedCase();
          await handled(1, 1);
          if (scenario === 'reworked') {
            await step('fail-verification', at(1, 16), (m) => new FailVerificationCommand({ ...id, note: '現場仍未清理到位' }, principal, m));
            await handled(2, 2);
          }
          await step('verify', at(2, 16), (m) => new PassVerificationCommand({ ...id, note: '現場核查通過', photoRefs: [`demo/photos/${community.id}/${k}-check.jpg`] }, principal, m));
          if (scenario === 'verified') break;
          await step('close', at(3), (m) => new CloseIncidentCommand(id, principal, m));
          if (scenario === 'evaluated' || scenario === 'resident-evaluated') {
            await step('evaluate', at(3, 15), (m) =>
              new EvaluateIncidentCommand({ ...id, grade: index % 4 === 0 ? 'excellent' : 'good', satisfaction: index % 5 === 0 ? 'basically-satisfied' : 'satisfied', comment: '處置及時' }, principal, m),
            );
          }
          break;
        }
        case 'hotline-dispatched':
          break;
        case 'hotline-objected':
          await step('object', at(0, 15), (m) => new ObjectToDispatchCommand({ ...id, reason: '事發地屬鄰近社區管轄' }, principal, m));
          break;
        case 'hotline-returned':
          await step('return', at(0, 16), (m) => new ReturnWorkOrderCommand({ ...id, reason: '屬物業服務合同糾紛，應由住建部門辦理' }, principal, m));
          break;
        case 'hotline-replied':
          await step('handle', at(1), (m) => new ReportHandlingCommand({ ...id, notes: '已協調物業處理' }, principal, m));
          await step('reply', at(1, 16), (m) => new ReplyToCallerCommand({ ...id, outcome: 'resolved', summary: '已協調物業處理，問題已解決' }, principal, m));
          break;
        case 'hotline-reworked':
          await step('reply-1', at(1), (m) => new ReplyToCallerCommand({ ...id, outcome: 'resolved', summary: '已安排清理' }, principal, m));
          await step('callback-1', at(2), (m) => new RecordCallbackCommand({ ...id, satisfaction: 'dissatisfied', resolved: false, note: '來電人反映問題仍在' }, principal, m));
          await step('handle-2', at(3), (m) => new ReportHandlingCommand({ ...id, notes: '重新處置並安排每日巡查' }, principal, m));
          await step('reply-2', at(3, 16), (m) => new ReplyToCallerCommand({ ...id, outcome: 'resolved', summary: '已徹底解決並建立巡查機制' }, principal, m));
          await step('callback-2', at(4), (m) => new RecordCallbackCommand({ ...id, satisfaction: 'satisfied', resolved: true }, principal, m));
          break;
        case 'hotline-overdue':
          await markOverdue();
          break;
      }
    }
  }
  return result;
};
