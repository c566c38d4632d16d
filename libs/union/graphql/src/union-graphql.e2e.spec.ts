import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import { Registry } from 'prom-client';
import request from 'supertest';
import { AuthModule, mintDevelopmentToken, Role } from '@gongzhi/auth';
import { TEST_JWT_SECRET } from '@gongzhi/auth/testing';
import { formatGraphqlError } from '@gongzhi/graphql';
import { AuditLog, PrivacyModule } from '@gongzhi/privacy';
import { FakeClock } from '@gongzhi/testing';
import { createUnionTestApp, createUnionTree, type UnionTestApp, type UnionTree } from '@gongzhi/union/testing';
import { UnionGraphqlModule } from './union-graphql.module';

/**
 * The whole chain over HTTP, as a union officer would drive it from GraphiQL: filing, mediation
 * that runs out (the scheduler expires it at day 15), arbitration with an extended award
 * deadline, a non-final award that takes effect when nobody sues, enforcement, closing. Set
 * UNION_TRANSCRIPT=<file> to write every request and response of the chain to a file.
 */
describe('union GraphQL API over HTTP', () => {
  let t: UnionTestApp;
  let tree: UnionTree;
  let dir: string;
  const clock = new FakeClock('2024-03-01T02:00:00.000Z');
  const transcript = process.env.UNION_TRANSCRIPT;

  const token = (orgUnit: string, roles: Role[] = [Role.UnionOfficer]) =>
    `Bearer ${mintDevelopmentToken({ sub: `${roles[0]}@${orgUnit}`, roles, orgUnit }, TEST_JWT_SECRET, '1h')}`;
  const officer = (level: keyof UnionTree['ids']) => token(tree.ids[level]);

  const gql = async (auth: string | undefined, query: string, variables: Record<string, unknown> = {}, label?: string) => {
    const req = request((t.app as INestApplication).getHttpServer()).post('/graphql').set('content-type', 'application/json');
    if (auth) req.set('authorization', auth);
    const res = await req.send({ query, variables });
    if (transcript && label) {
      appendFileSync(
        transcript,
        `### ${label}\n\n\`\`\`graphql\n${query.trim()}\n\`\`\`\n\nvariables: \`${JSON.stringify(variables)}\`\n\n\`\`\`json\n${JSON.stringify(res.body, null, 2)}\n\`\`\`\n\n`,
      );
    }
    return res.body as { data?: any; errors?: Array<{ message: string; extensions?: { code?: string; ruleCode?: string } }> };
  };
  const codes = (body: { errors?: Array<{ extensions?: { code?: string; ruleCode?: string } }> }) =>
    (body.errors ?? []).map((e) => e.extensions?.ruleCode ?? e.extensions?.code);
  const ok = (body: { data?: any; errors?: unknown[] }) => {
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gongzhi-union-e2e-'));
    if (transcript) writeFileSync(transcript, `# Labor dispute: filing to effective award over GraphQL (test clock starts ${clock.nowIso()})\n\n`);
    t = await createUnionTestApp({
      clock,
      http: true,
      imports: [
        AuthModule.forRoot({ algorithm: 'HS256', secret: TEST_JWT_SECRET }),
        PrivacyModule.forRoot({
          dataDir: dir,
          production: false,
          readStore: { kind: 'sqlite', file: join(dir, 'read.sqlite') },
          env: {},
          recordCommands: false,
          metrics: { registry: () => new Registry() },
        }),
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          autoSchemaFile: true,
          context: ({ req }: { req: unknown }) => ({ req }),
          formatError: formatGraphqlError,
          autoTransformHttpErrors: false,
          csrfPrevention: false,
        }),
        UnionGraphqlModule,
      ],
      providers: [{ provide: APP_PIPE, useValue: new ValidationPipe({ transform: true, forbidUnknownValues: false }) }],
    });
    tree = await createUnionTree(t.commandBus);
    await t.settle();
  });

  it('runs one union module although the test app and the GraphQL module both import it', () => {
    expect(t.scheduler.registered()).toEqual(['union.expire-mediation-window', 'union.lapse-challenge-window']);
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const RESULT = '{ aggregateId revision events { type revision } }';
  const mutate = (name: string, auth: string, input: Record<string, unknown>, label = name) =>
    gql(auth, `mutation($input: ${name[0].toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) ${RESULT} }`, { input }, label);
  const step = (name: string, inputType: string, auth: string, input: Record<string, unknown>, label = name) =>
    gql(auth, `mutation($input: ${inputType}!) { ${name}(input: $input) ${RESULT} }`, { input }, label);
  const DETAIL = `query($id: ID!, $asOf: DateTime) {
    laborDispute(id: $id, asOf: $asOf) {
      id status revision at asOf group stabilityWatch
      responsibleOrgUnit { id name path }
      workers { subjectId name idNumber phone unmasked }
      limitation { basis dueAt expired }
      mediation { committeeName acceptedAt windowEndsAt outcome }
      arbitration { caseNumber acceptedAt awardDueAt extended }
      award { kind onTime suitWindowEndsAt effectiveSince }
      enforcement { court basis }
      closing { outcome closedAt }
      openClocks { clockId policyId version source dueAt overdue extensions { length approvedBy } }
    }
  }`;
  const filingInput = (orgUnitId: string, extra: Record<string, unknown> = {}) => ({
    orgUnitId,
    category: 'REMUNERATION',
    claimAmount: 23800,
    description: '拖欠三個月工資',
    employer: { name: '汝城縣某建築工程有限公司', creditCode: '91350100M000100Y43' },
    workers: [{ name: '李四明', idNumber: '11010519491231002X', phone: '13812345678' }],
    commonClaim: false,
    rightKnownInfringedOn: '2024-01-10',
    ...extra,
  });

  it('takes a dispute from filing to an effective award and a closing', async () => {
    const rc = officer('rucheng');
    const filed = ok(await mutate('fileLaborDispute', rc, filingInput(tree.ids.rucheng, { commandId: '0190f5a2-7b1c-7d2e-8f00-00000000d001' }), '1. file the dispute'));
    const id = filed.fileLaborDispute.aggregateId;
    expect(filed.fileLaborDispute.events.map((e: { type: string }) => e.type)).toEqual(['DisputeFiled', 'DeadlineStarted']);
    // A resend with the same commandId returns the same result and appends nothing.
    expect(ok(await mutate('fileLaborDispute', rc, filingInput(tree.ids.rucheng, { commandId: '0190f5a2-7b1c-7d2e-8f00-00000000d001' }))).fileLaborDispute).toEqual(filed.fileLaborDispute);

    ok(await step('applyForMediation', 'ApplyForMediationInput', rc, { disputeId: id, committeeKind: 'TOWNSHIP_STREET', committeeName: '土橋鎮勞動爭議調解中心', form: 'WRITTEN' }, '2. apply for mediation'));
    ok(await step('acceptMediation', 'DisputeStepInput', rc, { disputeId: id }, '3. the committee accepts: 15-day window'));
    await t.settle();
    clock.set('2024-03-16T16:00:00.000Z'); // day 15 is over (midnight in China)
    const late = await step('signMediationAgreement', 'SignMediationAgreementInput', rc, {
      disputeId: id, terms: '三月底前付清', performanceDueDate: '2024-03-31', partiesSigned: true, mediatorSigned: true, committeeSealed: true,
    }, '4. an agreement after the window is refused');
    expect(codes(late)).toEqual(['UNION.MEDIATION_WINDOW_CLOSED']);
    expect((await t.scheduler.tick()).fired).toHaveLength(1);
    await t.settle();
    expect(ok(await gql(rc, DETAIL, { id }, '5. the scheduler expired the window')).laborDispute).toMatchObject({
      status: 'MEDIATION_FAILED',
      mediation: { outcome: 'expired', windowEndsAt: '2024-03-16T16:00:00.000Z' },
    });

    clock.set('2024-03-18T02:00:00.000Z');
    ok(await step('applyForArbitration', 'ApplyForArbitrationInput', rc, { disputeId: id, commission: '汝城縣勞動人事爭議仲裁委員會' }, '6. apply for arbitration'));
    clock.set('2024-03-20T02:00:00.000Z');
    ok(await step('acceptArbitration', 'AcceptArbitrationInput', rc, { disputeId: id, caseNumber: '汝勞人仲案〔2024〕12號' }, '7. accepted: award due in 45 days'));
    clock.set('2024-04-25T02:00:00.000Z');
    const tooLong = await step('extendAwardDeadline', 'ExtendAwardDeadlineInput', rc, { disputeId: id, days: 16, approvedBy: '仲裁委主任', noticeServed: true }, '8. a 16-day extension is refused');
    expect(codes(tooLong)).toEqual(['UNION.AWARD_EXTENSION_TOO_LONG']);
    ok(await step('extendAwardDeadline', 'ExtendAwardDeadlineInput', rc, { disputeId: id, days: 15, approvedBy: '仲裁委主任', noticeServed: true }, '9. extended by 15 days: 45 → 60'));
    clock.set('2024-05-10T02:00:00.000Z'); // day 51: beyond 45, within 60
    ok(await step('issueAward', 'IssueAwardInput', rc, { disputeId: id, kind: 'NON_FINAL', summary: '用人單位支付拖欠工資23,800元', awardedAmount: 23800 }, '10. a non-final award, on time'));
    await t.settle();
    clock.set('2024-05-25T16:00:00.000Z'); // the 15 days to sue are over, nobody sued
    expect((await t.scheduler.tick()).fired).toEqual([expect.objectContaining({ clockId: 'suit-window' })]);
    await t.settle();
    const effective = ok(await gql(rc, DETAIL, { id }, '11. the award took effect (Art 50)')).laborDispute;
    expect(effective).toMatchObject({
      status: 'AWARD_EFFECTIVE',
      arbitration: { extended: true, awardDueAt: '2024-05-19T16:00:00.000Z' },
      award: { kind: 'NON_FINAL', onTime: true, effectiveSince: '2024-05-25T16:00:00.000Z' },
      responsibleOrgUnit: { id: tree.ids.rucheng, name: '汝城縣總工會' },
      workers: [{ name: '李四明', idNumber: '11010519491231002X', phone: '13812345678', unmasked: true }],
      openClocks: [],
    });

    clock.set('2024-06-03T02:00:00.000Z');
    ok(await step('applyForEnforcement', 'CourtInput', rc, { disputeId: id, court: '汝城縣人民法院' }, '12. apply for enforcement (Art 51)'));
    ok(await step('closeLaborDispute', 'CloseLaborDisputeInput', rc, { disputeId: id, outcome: 'AWARD_EFFECTIVE', note: '已申請強制執行' }, '13. close'));
    await t.settle();
    expect(ok(await gql(rc, DETAIL, { id })).laborDispute).toMatchObject({ status: 'CLOSED', closing: { outcome: 'AWARD_EFFECTIVE' }, enforcement: { basis: 'award' } });

    // The county officer above sees it in the KPIs; a sibling county cannot ask for them.
    const KPIS = 'query($o: ID!) { laborDisputeKpis(orgUnit: $o, fromMonth: "2024-03", toMonth: "2024-06") { month filed mediatedSuccessfully mediationsConcluded mediationSuccessRate awardsIssued onTimeAwardRate closed averageDaysToClose } }';
    const kpis = ok(await gql(officer('city'), KPIS, { o: tree.ids.city }, '14. KPIs of 郴州市 (the city above 汝城)')).laborDisputeKpis;
    expect(kpis[0]).toMatchObject({ month: '2024-03', filed: 1, mediationsConcluded: 1, mediatedSuccessfully: 0, mediationSuccessRate: 0 });
    expect(kpis[2]).toMatchObject({ month: '2024-05', awardsIssued: 1, onTimeAwardRate: 1 });
    expect(kpis[3]).toMatchObject({ month: '2024-06', closed: 1, averageDaysToClose: 94 });
    expect(codes(await gql(officer('yizhang'), KPIS, { o: tree.ids.rucheng }, '15. 宜章 (a sibling county) asks for 汝城'))).toEqual(['NOT_FOUND']);
    expect(ok(await gql(officer('yizhang'), KPIS, { o: tree.ids.yizhang })).laborDisputeKpis.every((m: { filed: number }) => m.filed === 0)).toBe(true);
    expect(codes(await gql(officer('yizhang'), DETAIL, { id }))).toEqual(['NOT_FOUND']);
  });

  it('answers as of dates before and after a transfer between unions', async () => {
    clock.set('2024-07-01T02:00:00.000Z');
    const id = ok(await mutate('fileLaborDispute', officer('tuqiao'), filingInput(tree.ids.tuqiao))).fileLaborDispute.aggregateId;
    clock.set('2024-07-05T02:00:00.000Z');
    ok(await mutate('transferLaborDispute', officer('city'), { disputeId: id, toOrgUnitId: tree.ids.yizhang, reason: '用人單位在宜章' }));
    await t.settle();
    const at = async (auth: string, asOf?: string) => await gql(auth, DETAIL, { id, asOf });
    expect(ok(await at(officer('city'), '2024-07-03T00:00:00Z')).laborDispute.responsibleOrgUnit).toEqual({ id: tree.ids.tuqiao, name: '土橋鎮工會', path: tree.paths.tuqiao });
    expect(ok(await at(officer('city'), '2024-07-06T00:00:00Z')).laborDispute.responsibleOrgUnit).toEqual({ id: tree.ids.yizhang, name: '宜章縣總工會', path: tree.paths.yizhang });
    expect(ok(await at(officer('tuqiao'), '2024-07-03T00:00:00Z')).laborDispute.asOf).toBe('2024-07-03T00:00:00.000Z');
    expect(codes(await at(officer('tuqiao')))).toEqual(['NOT_FOUND']);
    expect(ok(await at(officer('yizhang'))).laborDispute.status).toBe('FILED');
    const list = async (auth: string) => ok(await gql(auth, '{ laborDisputes(filter: { status: [FILED] }) { nodes { id orgUnitId } } }')).laborDisputes.nodes;
    expect(await list(officer('yizhang'))).toEqual([{ id, orgUnitId: tree.ids.yizhang }]);
    expect(await list(officer('rucheng'))).toEqual([]);
  });

  it('masks personal data for an analyst and audits each unmasked read', async () => {
    clock.set('2024-08-01T02:00:00.000Z');
    const id = ok(await mutate('fileLaborDispute', officer('rucheng'), filingInput(tree.ids.rucheng))).fileLaborDispute.aggregateId;
    const raw = JSON.stringify((await t.store.readStream(`union.labor-dispute-${id}`)).map((e) => e.data));
    expect(raw).not.toContain('11010519491231002X');
    expect(raw).not.toContain('李四明');
    const analyst = token(tree.ids.rucheng, [Role.Analyst]);
    const W = 'query($id: ID!) { laborDispute(id: $id) { workers { name idNumber phone unmasked } } }';
    expect(ok(await gql(analyst, W, { id })).laborDispute.workers).toEqual([{ name: '李*明', idNumber: '1101**********002X', phone: '138****5678', unmasked: false }]);
    const audit = t.app.get(AuditLog);
    const before = (await audit.list({ filter: { action: 'unmask' } })).records.length;
    ok(await gql(officer('rucheng'), W, { id }));
    expect((await audit.list({ filter: { action: 'unmask' } })).records.length).toBe(before + 3);
  });

  it('answers the platform’s error codes', async () => {
    expect(codes(await gql(undefined, '{ laborDisputePolicies { policyId } }'))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await mutate('fileLaborDispute', officer('rucheng'), filingInput(tree.ids.rucheng, { employer: { name: 'x', creditCode: '123' } })))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await mutate('fileLaborDispute', officer('rucheng'), filingInput(tree.ids.rucheng, { employer: { name: 'x', creditCode: '91350100M000100Y44' } })))).toEqual(['UNION.INVALID_CREDIT_CODE']);
    expect(codes(await mutate('fileLaborDispute', officer('yizhang'), filingInput(tree.ids.rucheng)))).toEqual(['NOT_FOUND']);
    expect(codes(await mutate('fileLaborDispute', token(tree.ids.rucheng, [Role.Analyst]), filingInput(tree.ids.rucheng)))).toEqual(['FORBIDDEN']);
    expect(codes(await step('acceptMediation', 'DisputeStepInput', officer('rucheng'), { disputeId: 'no-such-dispute' }))).toEqual(['NOT_FOUND']);
    const id = ok(await mutate('fileLaborDispute', officer('rucheng'), filingInput(tree.ids.rucheng))).fileLaborDispute.aggregateId;
    expect(codes(await step('acceptMediation', 'DisputeStepInput', officer('rucheng'), { disputeId: id }))).toEqual(['UNION.MEDIATION_NOT_APPLIED']);
    expect(codes(await step('acceptMediation', 'DisputeStepInput', officer('rucheng'), { disputeId: id, expectedRevision: 0 }))).toEqual(['CONFLICT']);
  });

  it('lists the policies with their sources and lets only a tree administrator publish a version', async () => {
    const policies = ok(await gql(officer('rucheng'), '{ laborDisputePolicies { policyId version length unit source } }')).laborDisputePolicies;
    expect(policies).toContainEqual({ policyId: 'union.labor-dispute.award', version: 1, length: 45, unit: 'D', source: '勞動爭議調解仲裁法 (2007) Art 43' });
    const PUBLISH = 'mutation($input: PublishLaborDisputePolicyInput!) { publishLaborDisputePolicy(input: $input) { policyId version length unit source } }';
    const input = { policyId: 'union.labor-dispute.legal-aid-decision', length: 5, unit: 'WD', source: '某省法律援助條例 (example)' };
    expect(codes(await gql(officer('province'), PUBLISH, { input }))).toEqual(['FORBIDDEN']);
    expect(ok(await gql(token('root', [Role.Admin]), PUBLISH, { input })).publishLaborDisputePolicy).toEqual({ ...input, version: 2 });
  });
});
