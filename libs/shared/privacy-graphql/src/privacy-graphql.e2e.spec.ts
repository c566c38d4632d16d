import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Global, Inject, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Args, Context, Field, ID, InputType, Mutation, ObjectType, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import Database from 'better-sqlite3';
import { LoggerModule } from 'nestjs-pino';
import request from 'supertest';
import { DataSource } from 'typeorm';
import {
  AuthModule,
  correlationIdOf,
  CurrentUser,
  inScope,
  mintDevelopmentToken,
  ORG_DIRECTORY,
  OutOfScopeError,
  Role,
  toRequestContext,
  type Principal,
} from '@gongzhi/auth';
import { StaticOrgDirectory, TEST_JWT_SECRET } from '@gongzhi/auth/testing';
import { EVENT_STORE, type EventStore } from '@gongzhi/event-store';
import { SqliteEventStore } from '@gongzhi/event-store-sqlite';
import { CommandProcessor, EventSourcingModule } from '@gongzhi/eventsourcing';
import { errorHandlingPlugin, formatGraphqlError } from '@gongzhi/graphql';
import {
  BlindIndex,
  findPersonalPatterns,
  PersonalDataColumns,
  PersonalDataReader,
  PersonalDataTransformer,
  PrivacyModule,
} from '@gongzhi/privacy';
import { declareWorkerCardColumns, projectWorkers, WorkerCardRow, workerDecider, workerStream } from '@gongzhi/privacy/testing';
import { revealPersonalField } from './personal-field';
import { PrivacyGraphqlModule } from './privacy-graphql.module';
import { PersonalTextType } from './privacy.types';
import { personalDataRedactionPlugin } from './redaction.plugin';
import { ChineseIdNumberScalar, MobileCNScalar } from './scalars';

/*
 * The privacy API end to end, over HTTP, as a context would use it: a worker registered through a
 * mutation (ID number and phone validated by the scalars), read back masked or clear depending on
 * the caller (P-4), erased with forgetSubject, read again; the audit log queried; and every
 * response and log line grepped for ID numbers and phones (P-3).
 */

@InputType()
class RegisterWorkerInput {
  @Field(() => ID) workerId!: string;
  @Field() name!: string;
  @Field(() => ChineseIdNumberScalar) idNumber!: string;
  @Field(() => MobileCNScalar) phone!: string;
}

@ObjectType('Worker')
class WorkerView {
  @Field(() => ID) workerId!: string;
  @Field(() => ID) subjectId!: string;
  @Field() orgUnitPath!: string;
}

@Resolver(() => WorkerView)
class WorkerResolver {
  constructor(
    private readonly commands: CommandProcessor,
    private readonly blindIndex: BlindIndex,
    private readonly reader: PersonalDataReader,
    private readonly transformer: PersonalDataTransformer,
    private readonly columns: PersonalDataColumns,
    private readonly read: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Mutation(() => WorkerView)
  async registerWorker(@CurrentUser() p: Principal, @Context('req') req: never, @Args('input') input: RegisterWorkerInput): Promise<WorkerView> {
    const { subjectId } = await this.blindIndex.subjectFor('id-number', input.idNumber);
    await this.commands.handle(
      workerDecider,
      workerStream(input.workerId),
      { type: 'RegisterWorker', data: { ...input, subjectId } },
      toRequestContext(p, { correlationId: correlationIdOf(req) }),
    );
    await projectWorkers(this.store, this.read, this.transformer, this.columns);
    return { workerId: input.workerId, subjectId, orgUnitPath: p.orgUnitPath };
  }

  @Query(() => WorkerView)
  async worker(@CurrentUser() p: Principal, @Args('workerId', { type: () => ID }) workerId: string): Promise<WorkerView> {
    const row = await this.read.manager.findOneBy(WorkerCardRow, { workerId });
    if (!row || !inScope(p, row.owningOrgPath)) throw new OutOfScopeError('Worker', workerId);
    return { workerId, subjectId: row.subjectId, orgUnitPath: row.owningOrgPath };
  }

  private async field(w: WorkerView, p: Principal, req: never, field: 'name' | 'idNumber' | 'phone') {
    const [event] = (await this.store.readStream(workerStream(w.workerId))).filter((e) => e.type === 'WorkerRegistered');
    return revealPersonalField(this.reader, p, req, {
      value: (event.data as Record<string, never>)[field],
      location: { eventId: event.id, streamId: event.streamId, field: [field] },
      kind: field,
      field,
      orgUnitPath: w.orgUnitPath,
      resourceType: 'worker',
      resourceId: w.workerId,
      purpose: 'dispute-mediation',
    });
  }

  @ResolveField(() => PersonalTextType)
  name(@Parent() w: WorkerView, @CurrentUser() p: Principal, @Context('req') req: never) {
    return this.field(w, p, req, 'name');
  }

  @ResolveField(() => String, { nullable: true })
  async idNumber(@Parent() w: WorkerView, @CurrentUser() p: Principal, @Context('req') req: never) {
    return (await this.field(w, p, req, 'idNumber')).value;
  }

  @ResolveField(() => String, { nullable: true })
  async phone(@Parent() w: WorkerView, @CurrentUser() p: Principal, @Context('req') req: never) {
    return (await this.field(w, p, req, 'phone')).value;
  }
}

const ORG = { root: '/', cn: '/cn/', 'county-a': '/cn/county-a/', 'county-b': '/cn/county-b/' };
const WORKER = { workerId: '0190b3f4-7c1e-7a2b-9f00-00000000a11c', name: '張三明', idNumber: '11010519491231002X', phone: '13812345678' };

describe('privacy GraphQL API (P-3, P-4, erasure, audit log)', () => {
  let dir: string;
  let app: INestApplication;
  let events: SqliteEventStore;
  let read: DataSource;
  const logs: string[] = [];
  const responses: string[] = [];

  const token = (sub: string, roles: Role[], orgUnit: keyof typeof ORG) => mintDevelopmentToken({ sub, roles, orgUnit }, TEST_JWT_SECRET, '1h');
  const admin = () => token('u-admin', [Role.Admin], 'root');
  const officer = () => token('u-officer', [Role.UnionOfficer], 'county-a');
  const officerB = () => token('u-officer-b', [Role.UnionOfficer], 'county-b');
  const analyst = () => token('u-analyst', [Role.Analyst], 'cn');

  const gql = async (bearer: string, query: string, variables: Record<string, unknown> = {}) => {
    const res = await request(app.getHttpServer())
      .post('/graphql')
      .set('authorization', `Bearer ${bearer}`)
      .set('content-type', 'application/json')
      .send({ query, variables });
    responses.push(res.text);
    // PRIVACY_TRANSCRIPT=<file>: keep the exchange for a human to read (the closing note).
    if (process.env.PRIVACY_TRANSCRIPT) {
      const who = (JSON.parse(Buffer.from(bearer.split('.')[1], 'base64url').toString()) as { sub: string }).sub;
      appendFileSync(process.env.PRIVACY_TRANSCRIPT, `### ${who}\n${query}\n${JSON.stringify(variables)}\n=> ${res.text}\n\n`);
    }
    return res.body as { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  };

  const WORKER_QUERY = `query ($id: ID!) { worker(workerId: $id) { workerId name { value masked erased } idNumber phone } }`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gongzhi-privacy-gql-'));
    events = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
    read = new DataSource({ type: 'better-sqlite3', database: join(dir, 'read.sqlite'), entities: [WorkerCardRow], synchronize: true });
    await read.initialize();
    const sink = new Writable({ write: (chunk, _e, done) => (logs.push(String(chunk)), done()) });

    @Global()
    @Module({
      providers: [
        { provide: DataSource, useValue: read },
        { provide: ORG_DIRECTORY, useValue: new StaticOrgDirectory({ ...ORG }) },
      ],
      exports: [DataSource, ORG_DIRECTORY],
    })
    class TestInfraModule {}

    @Module({ providers: [WorkerResolver] })
    class WorkerGraphqlModule {}

    @Module({
      imports: [
        LoggerModule.forRoot({ pinoHttp: [{ level: 'trace' }, sink] }),
        TestInfraModule,
        EventSourcingModule.forRoot({ store: events }),
        PrivacyModule.forRoot({ dataDir: dir, production: false, readStore: { kind: 'sqlite', file: join(dir, 'read.sqlite') }, env: {} }),
        AuthModule.forRoot({ algorithm: 'HS256', secret: TEST_JWT_SECRET }),
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          autoSchemaFile: true,
          playground: false,
          includeStacktraceInErrorResponses: false,
          autoTransformHttpErrors: false,
          formatError: formatGraphqlError,
          plugins: [
            errorHandlingPlugin({ logInternalError: (entry) => logs.push(JSON.stringify({ ...entry, error: String(entry.error) })) }),
            personalDataRedactionPlugin(),
          ],
          context: ({ req, res }: { req: unknown; res: unknown }) => ({ req, res }),
        }),
        PrivacyGraphqlModule,
        WorkerGraphqlModule,
      ],
    })
    class AppModule {}

    app = await NestFactory.create(AppModule, { logger: false, abortOnError: false });
    declareWorkerCardColumns(app.get(PersonalDataColumns));
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await events.close();
    await read.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('walks registration, masked and unmasked reads, erasure and the audit log', async () => {
    // Registration: the scalars validate without echoing the value.
    const bad = await gql(officer(), `mutation ($i: RegisterWorkerInput!) { registerWorker(input: $i) { workerId } }`, {
      i: { ...WORKER, idNumber: '440305199001011234' },
    });
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0].message).toContain('Not a valid resident ID number (checksum)');
    const badLiteral = await gql(officer(), `mutation { registerWorker(input: { workerId: "w", name: "x", idNumber: "440305199001011234", phone: "13812345678" }) { workerId } }`);
    expect(badLiteral.errors?.[0].message).toContain('Not a valid resident ID number');
    const badType = await gql(officer(), `query ($id: ID!) { worker(workerId: $id) { workerId } }`, { id: { phone: '13812345678' } });
    expect(badType.errors?.[0].message).toContain('got invalid value <redacted>');

    const registered = await gql(officer(), `mutation ($i: RegisterWorkerInput!) { registerWorker(input: $i) { workerId subjectId } }`, {
      i: { ...WORKER, idNumber: '110105 1949 1231 002x', phone: '+86 138 1234 5678' },
    });
    expect(registered.errors).toBeUndefined();
    const subjectId = registered.data.registerWorker.subjectId;

    // The event row as stored.
    const db = new Database(join(dir, 'events.sqlite'), { readonly: true });
    const row = db.prepare(`SELECT stream_id, type, data FROM events WHERE type = 'WorkerRegistered'`).get() as Record<string, string>;
    db.close();
    expect(row.data).not.toMatch(/張三明|11010519491231002X|13812345678/);
    expect(JSON.parse(row.data).idNumber).toMatchObject({ $pii: 'enc', subjectId, keyVersion: 1, alg: 'A256GCM' });
    if (process.env.PRIVACY_TRANSCRIPT) appendFileSync(process.env.PRIVACY_TRANSCRIPT, `### events row as stored\n${JSON.stringify(row, null, 1)}\n\n`);

    // P-4: masked for an analyst, clear for the officer of the county (audited), hidden elsewhere.
    const masked = await gql(analyst(), WORKER_QUERY, { id: WORKER.workerId });
    expect(masked.data.worker).toEqual({
      workerId: WORKER.workerId,
      name: { value: '張*明', masked: true, erased: false },
      idNumber: '1101**********002X',
      phone: '138****5678',
    });
    const clear = await gql(officer(), WORKER_QUERY, { id: WORKER.workerId });
    expect(clear.data.worker).toEqual({
      workerId: WORKER.workerId,
      name: { value: '張三明', masked: false, erased: false },
      idNumber: '11010519491231002X',
      phone: '13812345678',
    });
    const elsewhere = await gql(officerB(), WORKER_QUERY, { id: WORKER.workerId });
    expect(elsewhere.errors?.[0].extensions?.code).toBe('NOT_FOUND');

    const auditQuery = `query ($f: AuditLogFilter) { auditLog(first: 10, filter: $f) { nodes { seq action actorUserId subjectId field purpose result correlationId } pageInfo { hasNextPage } } }`;
    const unmasks = await gql(admin(), auditQuery, { f: { action: 'unmask' } });
    // One audit row per unmasked field, all under the request's correlation id (field resolvers run in any order).
    const rows = unmasks.data.auditLog.nodes as Array<Record<string, string>>;
    expect(rows.map((n) => [n.actorUserId, n.subjectId, n.field, n.purpose, n.result]).sort()).toEqual([
      ['u-officer', subjectId, 'idNumber', 'dispute-mediation', 'allowed'],
      ['u-officer', subjectId, 'name', 'dispute-mediation', 'allowed'],
      ['u-officer', subjectId, 'phone', 'dispute-mediation', 'allowed'],
    ]);
    expect(new Set(rows.map((n) => n.correlationId)).size).toBe(1);

    // Only admins of the whole tree read the audit log or erase; the refusals are audited.
    expect((await gql(officer(), auditQuery)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const forget = `mutation ($i: ForgetSubjectInput!) { forgetSubject(input: $i) { subjectId erasedNow keyVersionsDestroyed blindIndexRowsDeleted readModelRowsCleared auditSeq } }`;
    expect((await gql(officer(), forget, { i: { subjectId, basis: 'PIPL Art 47(1)' } })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const withPii = await gql(admin(), forget, { i: { subjectId, basis: 'request of 13812345678' } });
    expect(withPii.errors?.[0].extensions?.code).toBe('DOMAIN_RULE');

    const erased = await gql(admin(), forget, { i: { subjectId, basis: 'PIPL Art 47(1): request 2024-17' } });
    expect(erased.data.forgetSubject).toMatchObject({ subjectId, erasedNow: true, keyVersionsDestroyed: [1], blindIndexRowsDeleted: 1, readModelRowsCleared: 1 });

    const after = await gql(officer(), WORKER_QUERY, { id: WORKER.workerId });
    expect(after.data.worker).toEqual({
      workerId: WORKER.workerId,
      name: { value: '[已刪除]', masked: false, erased: true },
      idNumber: '[已刪除]',
      phone: '[已刪除]',
    });
    const card = await read.manager.findOneByOrFail(WorkerCardRow, { workerId: WORKER.workerId });
    expect(card).toMatchObject({ name: null, nameMasked: null, idNumberMasked: null, phoneMasked: null });

    const all = await gql(admin(), `{ auditLog(first: 50) { nodes { action result actorUserId } } auditChain { valid checked } }`);
    const actions = all.data.auditLog.nodes.map((n: any) => `${n.action}:${n.result}`);
    expect(actions).toEqual(expect.arrayContaining(['erasure:allowed', 'erasure:denied', 'audit-read:denied', 'audit-read:allowed', 'unmask:allowed', 'command:allowed']));
    expect(all.data.auditChain.valid).toBe(true);
  });

  it('P-3: no ID number or phone in any response error or log line of the whole run', () => {
    const errors = responses.flatMap((r) => (JSON.parse(r).errors ?? []).map((e: unknown) => JSON.stringify(e)));
    expect(errors.length).toBeGreaterThanOrEqual(6);
    const haystack = [...errors, ...logs].join('\n');
    expect(logs.length).toBeGreaterThan(5);
    expect(findPersonalPatterns(haystack)).toEqual([]);
    expect(haystack).not.toMatch(/張三明|11010519491231002X|13812345678|440305199001011234/);
  });
});
