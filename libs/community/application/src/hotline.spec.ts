import { Role, systemPrincipal } from '@gongzhi/auth';
import { isPersonalData } from '@gongzhi/kernel';
import { scanForPlaintext } from '@gongzhi/privacy/testing';
import { FakeClock } from '@gongzhi/testing';
import { CommunityReadModel } from './queries/community-read-model';
import { actor, defineSancunGrid, LOCATION, meta, run, type Tree } from './test-support/scenario';
import { createCommunityTestApp, createCommunityTestTree, type CommunityTestApp } from './testing';
import {
  ReceiveHotlineWorkOrderCommand,
  RecordCallbackCommand,
  ReplyToCallerCommand,
  ReportHandlingCommand,
  ReturnWorkOrderCommand,
  type ReceiveHotlineWorkOrderInput,
} from './write/commands';
import { hotlineIncidentId } from './write/support';

const MONDAY = '2024-03-04T01:00:00.000Z';
const CALLER_PHONE = '13912345678';
const CALLER_NAME = '李建國';

/** An inbound 12345 message as the Kafka consumer hands it over (see @gongzhi/integration). */
const order = (ticketNumber: string, over: Partial<ReceiveHotlineWorkOrderInput> & { messageId?: string } = {}) => ({
  messageId: `msg-${ticketNumber}`,
  ticketNumber,
  category: 'event.city-appearance.exposed-garbage',
  matterType: 'complaint' as const,
  description: '小區東側綠化帶長期堆放垃圾',
  location: LOCATION,
  unitCode: 'sancun-grid-01',
  callerRef: 'caller-7781',
  caller: { name: CALLER_NAME, phone: CALLER_PHONE, confidential: false, wantsReply: true },
  timeLimitWorkingDays: null,
  dispatchedAt: null,
  ...over,
});

describe('12345 work orders through the command bus', () => {
  let t: CommunityTestApp;
  let tree: Tree;
  let reads: CommunityReadModel;
  const clock = new FakeClock(MONDAY);
  /** What the Kafka inbound consumer does with a message: the message id is the command id. */
  const deliver = async ({ messageId, ...input }: ReturnType<typeof order>) => {
    const r = await run(t.commandBus, new ReceiveHotlineWorkOrderCommand(input, systemPrincipal('hotline-12345'), { correlationId: messageId, commandId: messageId, causationId: messageId }));
    return { incidentId: r.aggregateId, idempotentReplay: r.idempotentReplay || r.events.length === 0 };
  };
  const officer = () => actor(tree, 'sancun', [Role.CommunityWorker], 'sancun-worker');
  const streetOfficer = () => actor(tree, 'songling', [Role.CommunityWorker], 'songling-worker');

  beforeAll(async () => {
    t = await createCommunityTestApp({ clock, privacy: true });
    tree = await createCommunityTestTree(t.commandBus);
    await defineSancunGrid(t.commandBus, tree);
    await t.settle();
    reads = t.app.get(CommunityReadModel);
  });
  afterAll(() => t?.close());

  it('turns an inbound message into one incident per ticket, whatever the redeliveries and resends', async () => {
    const first = await deliver(order('SZ-0001', { messageId: 'msg-1' }));
    expect(first).toEqual({ incidentId: hotlineIncidentId('SZ-0001'), idempotentReplay: false });
    expect(await deliver(order('SZ-0001', { messageId: 'msg-1' }))).toEqual({ incidentId: first.incidentId, idempotentReplay: true });
    expect(await deliver(order('SZ-0001', { description: '再次來電', messageId: 'msg-2' }))).toEqual({ incidentId: first.incidentId, idempotentReplay: true });
    const stored = await t.store.readStream(`community.incident-${first.incidentId}`);
    expect(stored.map((e) => e.type)).toEqual(['HotlineWorkOrderReceived', 'DeadlineStarted']);
    expect(stored[0].metadata).toMatchObject({ commandId: 'msg-1', causationId: 'msg-1', actor: { userId: 'hotline-12345' }, orgUnitPath: '/wujiang/songling/sancun/sancun-grid-01/' });
  });

  it('refuses an order for a unit that is not ours with a domain code (dead-lettered by the consumer)', async () => {
    await expect(deliver(order('SZ-0002', { unitCode: 'nowhere', messageId: 'msg-3' }))).rejects.toMatchObject({ code: 'COMMUNITY.INVALID_INPUT' });
  });

  it('keeps the caller’s name and phone encrypted in the events and out of every read model', async () => {
    await t.settle();
    const stored = await t.store.readStream(`community.incident-${hotlineIncidentId('SZ-0001')}`);
    const raw = JSON.stringify(stored.map((e) => e.data));
    expect(raw).not.toContain(CALLER_PHONE);
    expect(raw).not.toContain(CALLER_NAME);
    expect(raw).toContain('"$pii":"enc"');
    expect(await scanForPlaintext(t.dataSource, [CALLER_PHONE, CALLER_NAME])).toEqual([]);
    const view = await reads.incident(officer(), hotlineIncidentId('SZ-0001'));
    expect(isPersonalData(view.reporter?.name) && view.reporter?.name.value).toBe(CALLER_NAME);
    expect(JSON.stringify(view.timeline)).not.toContain(CALLER_PHONE);
  });

  it('goes back for rework on a dissatisfied callback and closes after a satisfied one', async () => {
    const id = hotlineIncidentId('SZ-0001');
    await run(t.commandBus, new ReportHandlingCommand({ incidentId: id, notes: '已協調物業清運' }, officer(), meta()));
    await run(t.commandBus, new ReplyToCallerCommand({ incidentId: id, outcome: 'resolved', summary: '垃圾已清運' }, officer(), meta()));
    const dissatisfied = await run(t.commandBus, new RecordCallbackCommand({ incidentId: id, satisfaction: 'dissatisfied', resolved: false, note: '仍有垃圾' }, officer(), meta()));
    expect(dissatisfied.events.map((e) => e.type)).toEqual(['CallbackRecorded', 'IncidentReworkOrdered', 'DeadlineStarted']);
    await run(t.commandBus, new ReplyToCallerCommand({ incidentId: id, outcome: 'resolved', summary: '已徹底清理並加裝監控' }, officer(), meta()));
    const satisfied = await run(t.commandBus, new RecordCallbackCommand({ incidentId: id, satisfaction: 'satisfied', resolved: true }, officer(), meta()));
    expect(satisfied.events.map((e) => e.type)).toEqual(['CallbackRecorded', 'IncidentClosed']);
    await t.settle();
    expect(await reads.incidentRow(officer(), id)).toMatchObject({ status: 'Closed', reworkCount: 1, satisfaction: 'satisfied', closedOnTime: true });
    const kpis = await reads.kpis(streetOfficer(), { underOrgUnitId: 'songling', fromMonth: '2024-03', toMonth: '2024-03' });
    expect(kpis.total).toMatchObject({ satisfactionAsked: 2, satisfactionYes: 1, satisfactionRate: 0.5, reworkRate: 1, closed: 1 });
  });

  it('puts the earlier order under supervision when the caller calls again about it (repeated complaint)', async () => {
    await deliver(order('SZ-0010', { messageId: 'msg-10' }));
    const repeat: ReceiveHotlineWorkOrderInput = {
      ticketNumber: 'SZ-0011',
      category: 'event.city-appearance.exposed-garbage',
      description: '同一問題再次投訴',
      location: LOCATION,
      unitCode: 'sancun',
      callerRef: 'caller-7781',
      repeatOfTicket: 'SZ-0010',
    };
    await run(t.commandBus, new ReceiveHotlineWorkOrderCommand(repeat, officer(), meta({ commandId: 'a1b2c3d4-0000-4000-8000-000000000011' })));
    const earlier = await reads.incident(officer(), hotlineIncidentId('SZ-0010'));
    expect(earlier.supervisions).toEqual([expect.objectContaining({ reason: 'repeated', relatedIncidentId: hotlineIncidentId('SZ-0011') })]);
  });

  it('raises supervision on concentrated complaints: three open orders of one category in one community', async () => {
    await t.settle();
    // SZ-0010 and SZ-0011 are open in 三村 with this category; the next one makes three.
    await deliver(order('SZ-0012', { messageId: 'msg-12' }));
    const view = await reads.incident(officer(), hotlineIncidentId('SZ-0012'));
    expect(view.supervisions).toEqual([expect.objectContaining({ reason: 'concentrated', level: 'listed' })]);
  });

  it('returns an order to the centre once; a re-dispatch designates the unit, which may not return it again', async () => {
    const id = hotlineIncidentId('SZ-0020');
    await deliver(order('SZ-0020', { category: '物業糾紛', messageId: 'msg-20' }));
    await run(t.commandBus, new ReturnWorkOrderCommand({ incidentId: id, reason: '屬物業服務合同糾紛，應由住建部門處理' }, officer(), meta()));
    clock.advance({ hours: 2 });
    const again = await deliver(order('SZ-0020', { category: '物業糾紛', dispatchedAt: clock.nowIso(), messageId: 'msg-21' }));
    expect(again.idempotentReplay).toBe(false);
    await expect(run(t.commandBus, new ReturnWorkOrderCommand({ incidentId: id, reason: '再次退回' }, officer(), meta()))).rejects.toMatchObject({
      code: 'COMMUNITY.RETURN_NOT_ALLOWED',
    });
  });
});
