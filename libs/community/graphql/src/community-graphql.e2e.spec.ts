import { writeFileSync } from 'node:fs';
import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import request from 'supertest';
import { AuthModule, Role } from '@gongzhi/auth';
import { TEST_JWT_SECRET } from '@gongzhi/auth/testing';
import { bearer, createCommunityTestApp, createCommunityTestTree, type CommunityTestApp } from '@gongzhi/community/testing';
import { formatGraphqlError } from '@gongzhi/graphql';
import { FakeClock } from '@gongzhi/testing';
import { CommunityGraphqlModule } from './community-graphql.module';

/** Monday 4 March 2024, 09:00 in China. */
const START = '2024-03-04T01:00:00.000Z';

describe('community GraphQL API over HTTP', () => {
  let t: CommunityTestApp;
  const clock = new FakeClock(START);
  const transcript: { step: string; query: string; variables: Record<string, unknown>; response: unknown }[] = [];

  const token = {
    gridWorker: bearer(TEST_JWT_SECRET, 'sancun-grid-worker', [Role.GridWorker], 'sancun'),
    communityOfficer: bearer(TEST_JWT_SECRET, 'sancun-worker', [Role.CommunityWorker], 'sancun'),
    streetOfficer: bearer(TEST_JWT_SECRET, 'songling-worker', [Role.CommunityWorker], 'songling'),
    department: bearer(TEST_JWT_SECRET, 'chengguan-worker', [Role.CommunityWorker], 'chengguan'),
    siblingOfficer: bearer(TEST_JWT_SECRET, 'shengze-worker', [Role.CommunityWorker], 'shengze'),
    analyst: bearer(TEST_JWT_SECRET, 'wujiang-analyst', [Role.Analyst], 'wujiang'),
  };

  const gql = async (auth: string, query: string, variables: Record<string, unknown> = {}, step?: string) => {
    const res = await request((t.app as INestApplication).getHttpServer())
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('authorization', auth)
      .send({ query, variables });
    if (step) transcript.push({ step, query, variables, response: res.body });
    return res.body as { data?: Record<string, any>; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
  };
  const codes = (body: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => (body.errors ?? []).map((e) => e.extensions?.ruleCode ?? e.extensions?.code);
  const mutate = (name: string, inputType: string) => `mutation($input: ${inputType}!) { ${name}(input: $input) { aggregateId revision events { type } } }`;
  const typesOf = (body: { data?: Record<string, any> }, name: string): string[] => body.data?.[name]?.events.map((e: { type: string }) => e.type);

  beforeAll(async () => {
    t = await createCommunityTestApp({
      http: true,
      clock,
      privacy: true,
      imports: [
        AuthModule.forRoot({ algorithm: 'HS256', secret: TEST_JWT_SECRET }),
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          autoSchemaFile: true,
          context: ({ req }: { req: unknown }) => ({ req }),
          formatError: formatGraphqlError,
          autoTransformHttpErrors: false,
          csrfPrevention: false,
        }),
        CommunityGraphqlModule,
      ],
      providers: [{ provide: APP_PIPE, useValue: new ValidationPipe({ transform: true, forbidUnknownValues: false }) }],
    });
    await createCommunityTestTree(t.commandBus);
    await t.settle();
  });
  afterAll(async () => {
    if (process.env.COMMUNITY_TRANSCRIPT) writeFileSync(process.env.COMMUNITY_TRANSCRIPT, JSON.stringify(transcript, null, 2));
    await t?.close();
  });

  let incidentId = '';

  it('takes a grid-patrol report from the report to the evaluation, each step by its own role', async () => {
    const defined = await gql(
      token.communityOfficer,
      mutate('defineGrid', 'DefineGridInput'),
      {
        input: {
          gridId: 'sancun-grid-01',
          communityId: 'sancun',
          name: '三村一號網格',
          area: '三村小區1–12幢及鱸鄉南路沿街商鋪',
          workerStaffId: 'sancun-grid-worker',
          supervisionPhone: '0512-63012345',
        },
      },
      '1. the community officer defines the grid',
    );
    expect(typesOf(defined, 'defineGrid')).toEqual(['GridDefined']);
    await t.settle();

    const reported = await gql(
      token.gridWorker,
      mutate('reportIncident', 'ReportIncidentInput'),
      {
        input: {
          commandId: '0190f5a2-7b1c-7d2e-8f00-00000000c001',
          channel: 'GRID_PATROL',
          gridId: 'sancun-grid-01',
          location: { address: '三村小區12幢東側綠化帶', latitude: 31.1602, longitude: 120.6381 },
          description: '綠化帶內堆放生活垃圾約兩立方，有異味',
          photoRefs: ['photos/2024/03/04/sancun-12-east.jpg'],
        },
      },
      '2. the grid worker reports from patrol',
    );
    expect(typesOf(reported, 'reportIncident')).toEqual(['IncidentReported']);
    incidentId = reported.data?.reportIncident.aggregateId;

    const notYet = await gql(token.gridWorker, mutate('acceptIncident', 'IncidentIdInput'), { input: { incidentId } }, '3a. the grid worker may not accept (FORBIDDEN)');
    expect(codes(notYet)).toEqual(['FORBIDDEN']);
    const accepted = await gql(token.communityOfficer, mutate('acceptIncident', 'IncidentIdInput'), { input: { incidentId } }, '3. the community officer accepts (受理)');
    expect(typesOf(accepted, 'acceptIncident')).toEqual(['IncidentAccepted']);

    const categories = await gql(token.communityOfficer, '{ incidentCategories { code kind majorName minorName deadlinePolicyId } }', {}, '4a. the category catalogue');
    expect(categories.data?.incidentCategories).toContainEqual({
      code: 'event.city-appearance.exposed-garbage',
      kind: 'EVENT',
      majorName: '市容環境',
      minorName: '暴露垃圾',
      deadlinePolicyId: 'community.incident.standard',
    });
    const filed = await gql(
      token.communityOfficer,
      mutate('fileIncident', 'FileIncidentInput'),
      { input: { incidentId, categoryCode: 'event.city-appearance.exposed-garbage' } },
      '4. the community officer files it (立案) with a catalogue category',
    );
    expect(typesOf(filed, 'fileIncident')).toEqual(['IncidentFiled']);

    const dispatched = await gql(
      token.streetOfficer,
      mutate('dispatchIncident', 'DispatchIncidentInput'),
      { input: { incidentId, toOrgUnitId: 'chengguan', note: '請城管中隊清運' } },
      '5. the street office dispatches it (派遣) to the city-management squad; the time limit starts',
    );
    expect(typesOf(dispatched, 'dispatchIncident')).toEqual(['IncidentDispatched', 'DeadlineStarted']);

    clock.advance({ days: 1 });
    const handled = await gql(
      token.department,
      mutate('reportIncidentHandling', 'ReportHandlingInput'),
      { input: { incidentId, notes: '已清運垃圾兩立方並消殺', photoRefs: ['photos/2024/03/05/sancun-12-east-after.jpg'] } },
      '6. the squad reports the handling (處置反饋)',
    );
    expect(typesOf(handled, 'reportIncidentHandling')).toEqual(['HandlingReported', 'DeadlineStopped']);

    const early = await gql(token.communityOfficer, mutate('closeIncident', 'IncidentIdInput'), { input: { incidentId } }, '7a. closing before verification is refused');
    expect(codes(early)).toEqual(['COMMUNITY.INVALID_STATE']);
    const verified = await gql(
      token.gridWorker,
      mutate('passIncidentVerification', 'IncidentVerificationInput'),
      { input: { incidentId, note: '現場已清理乾淨', photoRefs: ['photos/2024/03/05/sancun-12-east-check.jpg'] } },
      '7. the grid worker verifies on site (核查)',
    );
    expect(typesOf(verified, 'passIncidentVerification')).toEqual(['VerificationPassed']);
    const closed = await gql(token.communityOfficer, mutate('closeIncident', 'IncidentIdInput'), { input: { incidentId } }, '8. the community officer closes it (結案)');
    expect(typesOf(closed, 'closeIncident')).toEqual(['IncidentClosed']);
    const evaluated = await gql(
      token.communityOfficer,
      mutate('evaluateIncident', 'EvaluateIncidentInput'),
      { input: { incidentId, grade: 'GOOD', satisfaction: 'SATISFIED', comment: '處置及時，居民滿意' } },
      '9. the community officer evaluates it (綜合評價)',
    );
    expect(typesOf(evaluated, 'evaluateIncident')).toEqual(['IncidentEvaluated']);
    await t.settle();

    const detail = await gql(
      token.communityOfficer,
      `query($id: ID!) { incident(id: $id) { id status channel gridId responsibleOrgUnitId category { code minorName }
          timeLimit { policyId source length unit dueAt status overdue } handlings { byOrgUnitId notes }
          evaluation { grade satisfaction } timeline { revision type occurredAt actorUserId details } } }`,
      { id: incidentId },
      '10. the incident with its full timeline',
    );
    const incident = detail.data?.incident;
    expect(incident).toMatchObject({
      status: 'EVALUATED',
      channel: 'GRID_PATROL',
      gridId: 'sancun-grid-01',
      responsibleOrgUnitId: 'chengguan',
      category: { code: 'event.city-appearance.exposed-garbage', minorName: '暴露垃圾' },
      // Five working days from Monday 4 March: the end of Monday 11 March, China time.
      timeLimit: { policyId: 'community.incident.standard', length: 5, unit: 'WD', dueAt: '2024-03-11T16:00:00.000Z', status: 'STOPPED', overdue: false },
      evaluation: { grade: 'GOOD', satisfaction: 'SATISFIED' },
    });
    expect(incident.timeline.map((e: { type: string; actorUserId: string }) => [e.type, e.actorUserId])).toEqual([
      ['IncidentReported', 'sancun-grid-worker'],
      ['IncidentAccepted', 'sancun-worker'],
      ['IncidentFiled', 'sancun-worker'],
      ['IncidentDispatched', 'songling-worker'],
      ['DeadlineStarted', 'songling-worker'],
      ['HandlingReported', 'chengguan-worker'],
      ['DeadlineStopped', 'chengguan-worker'],
      ['VerificationPassed', 'sancun-grid-worker'],
      ['IncidentClosed', 'sancun-worker'],
      ['IncidentEvaluated', 'sancun-worker'],
    ]);

    const asOf = await gql(
      token.communityOfficer,
      'query($id: ID!, $asOf: String) { incident(id: $id, asOf: $asOf) { status responsibleOrgUnitId timeLimit { status overdue } } }',
      { id: incidentId, asOf: '2024-03-04T12:00:00.000Z' },
      '11. the same incident as of the evening of the dispatch day',
    );
    expect(asOf.data?.incident).toEqual({ status: 'DISPATCHED', responsibleOrgUnitId: 'chengguan', timeLimit: { status: 'RUNNING', overdue: false } });

    const board = await gql(
      token.gridWorker,
      'query($filter: IncidentFilterInput) { incidents(filter: $filter, first: 10) { nodes { id status reworkCount closedOnTime } pageInfo { hasNextPage } } }',
      { filter: { gridId: 'sancun-grid-01', statuses: ['EVALUATED'] } },
      '12. the grid board',
    );
    expect(board.data?.incidents.nodes).toEqual([{ id: incidentId, status: 'EVALUATED', reworkCount: 0, closedOnTime: true }]);
  });

  it('a sibling street office cannot see the incident, nor act on it', async () => {
    const q = 'query($id: ID!) { incident(id: $id) { id } }';
    expect(codes(await gql(token.siblingOfficer, q, { id: incidentId }))).toEqual(['NOT_FOUND']);
    expect(codes(await gql(token.siblingOfficer, mutate('raiseSupervision', 'RaiseSupervisionInput'), { input: { incidentId, reason: 'MANUAL', level: 'NOTICE', note: 'x' } }))).toEqual(['NOT_FOUND']);
    expect((await gql(token.siblingOfficer, '{ incidents { nodes { id } } }')).data?.incidents.nodes).toEqual([]);
  });

  let orderId = '';

  it('handles a 12345 work order with a dissatisfied callback, rework and a satisfied callback', async () => {
    const order = {
      ticketNumber: 'SZ12345-20240305-0042',
      category: 'event.city-appearance.exposed-garbage',
      matterType: 'COMPLAINT',
      description: '小區東側綠化帶長期堆放垃圾，氣味難聞',
      location: { address: '三村小區12幢東側' },
      unitCode: 'sancun-grid-01',
      callerRef: 'caller-7781',
      caller: { name: '李建國', phone: '13912345678', wantsReply: true },
    };
    const received = await gql(token.streetOfficer, mutate('receiveHotlineWorkOrder', 'ReceiveHotlineWorkOrderInput'), { input: order }, 'H1. the work order arrives');
    expect(typesOf(received, 'receiveHotlineWorkOrder')).toEqual(['HotlineWorkOrderReceived', 'DeadlineStarted']);
    orderId = received.data?.receiveHotlineWorkOrder.aggregateId;
    const again = await gql(token.streetOfficer, mutate('receiveHotlineWorkOrder', 'ReceiveHotlineWorkOrderInput'), { input: order });
    expect(again.data?.receiveHotlineWorkOrder).toMatchObject({ aggregateId: orderId, events: [] });

    const reply = (summary: string) =>
      gql(token.communityOfficer, mutate('replyToCaller', 'ReplyToCallerInput'), { input: { incidentId: orderId, outcome: 'RESOLVED', summary } });
    expect(typesOf(await reply('已協調物業清運'), 'replyToCaller')).toEqual(['CallerReplied', 'DeadlineStopped']);
    const dissatisfied = await gql(
      token.communityOfficer,
      mutate('recordCallback', 'RecordCallbackInput'),
      { input: { incidentId: orderId, satisfaction: 'DISSATISFIED', resolved: false, note: '垃圾仍未清理' } },
      'H2. a dissatisfied callback sends it back',
    );
    expect(typesOf(dissatisfied, 'recordCallback')).toEqual(['CallbackRecorded', 'IncidentReworkOrdered', 'DeadlineStarted']);
    const handled = await gql(token.communityOfficer, mutate('reportIncidentHandling', 'ReportHandlingInput'), { input: { incidentId: orderId, notes: '徹底清理並加裝監控' } });
    expect(typesOf(handled, 'reportIncidentHandling')).toEqual(['HandlingReported']);
    expect(typesOf(await reply('已徹底清理並加裝監控'), 'replyToCaller')).toEqual(['CallerReplied', 'DeadlineStopped']);
    const satisfied = await gql(token.communityOfficer, mutate('recordCallback', 'RecordCallbackInput'), { input: { incidentId: orderId, satisfaction: 'SATISFIED', resolved: true } });
    expect(typesOf(satisfied, 'recordCallback')).toEqual(['CallbackRecorded', 'IncidentClosed']);
    await t.settle();

    const board = await gql(token.streetOfficer, '{ incidents(filter: { channel: HOTLINE, reworked: true }) { nodes { id ticketNumber status reworkCount satisfaction } } }');
    expect(board.data?.incidents.nodes).toEqual([{ id: orderId, ticketNumber: 'SZ12345-20240305-0042', status: 'CLOSED', reworkCount: 1, satisfaction: 'SATISFIED' }]);
  });

  it('shows the caller in clear to the officers handling it, masked to an analyst', async () => {
    const q = 'query($id: ID!) { incident(id: $id) { reporter { name phone masked wantsReply } } }';
    expect((await gql(token.communityOfficer, q, { id: orderId })).data?.incident.reporter).toEqual({ name: '李建國', phone: '13912345678', masked: false, wantsReply: true });
    expect((await gql(token.analyst, q, { id: orderId })).data?.incident.reporter).toEqual({ name: '李*國', phone: '139****5678', masked: true, wantsReply: true });
  });

  it('gives the street-office officer the KPIs of its communities; a sibling street office gets NOT_FOUND', async () => {
    const q = `query($under: ID!) { incidentKpis(under: $under, fromMonth: "2024-03", toMonth: "2024-03") {
      lines { orgUnitId month reported filed closed }
      total { reported filed closed closureRate onTimeClosureRate reworkRate satisfactionRate responseRate } } }`;
    const kpis = await gql(token.streetOfficer, q, { under: 'songling' }, '13. the street office’s KPIs');
    expect(kpis.data?.incidentKpis).toEqual({
      lines: [{ orgUnitId: 'sancun', month: '2024-03', reported: 2, filed: 2, closed: 2 }],
      total: { reported: 2, filed: 2, closed: 2, closureRate: 1, onTimeClosureRate: 1, reworkRate: 0.5, satisfactionRate: 0.6667, responseRate: 1 },
    });
    expect(codes(await gql(token.siblingOfficer, q, { under: 'songling' }, '14. a sibling street office asks for them'))).toEqual(['NOT_FOUND']);
    expect(codes(await gql(token.gridWorker, q, { under: 'sancun' }))).toEqual(['FORBIDDEN']);
  });

  it('answers bad input with BAD_USER_INPUT and broken rules with their COMMUNITY code', async () => {
    const bad = await gql(token.gridWorker, mutate('reportIncident', 'ReportIncidentInput'), {
      input: { channel: 'GRID_PATROL', gridId: 'Not An Id', location: { address: 'x' }, description: 'y' },
    });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    const phoneInText = await gql(token.gridWorker, mutate('reportIncident', 'ReportIncidentInput'), {
      input: { channel: 'RESIDENT', gridId: 'sancun-grid-01', location: { address: '三村' }, description: '請回電 13812345678' },
    });
    expect(codes(phoneInText)).toEqual(['COMMUNITY.PERSONAL_DATA_IN_TEXT']);
    expect(phoneInText.errors?.[0].extensions?.code).toBe('DOMAIN_RULE');
  });
});
