import { Global, Module, type INestApplication, type INestApplicationContext, type ModuleMetadata, type Provider } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus, CqrsModule, QueryBus } from '@nestjs/cqrs';
import { mintDevelopmentToken, Role, systemPrincipal, type Principal } from '@gongzhi/auth';
import { DEADLINE_ENTITIES, DEADLINES_OPTIONS, DeadlineScheduler, OPEN_CLOCKS_PROJECTION, type DeadlinesOptions } from '@gongzhi/deadlines';
import { InMemoryEventStore } from '@gongzhi/event-store/testing';
import { EventSourcingModule, EVENT_TRANSFORMER, type Clock, type CommandResult } from '@gongzhi/eventsourcing';
import { AssignRoleCommand, CreateOrgUnitCommand, ORG_PROJECTION, ORG_READ_MODEL_ENTITIES, OrgModule, RegisterStaffCommand } from '@gongzhi/org';
import type { OrgUnitKind, StaffRole } from '@gongzhi/org-domain';
import { BlindIndex, ensurePrivacySchema, PersonalDataReader, Privacy, PRIVACY_ENTITIES, randomPrivacyKeys } from '@gongzhi/privacy';
import { ProjectionRunner, type Projection } from '@gongzhi/projections';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { CommunityModule } from './community.module';
import { COMMUNITY_READ_MODEL_ENTITIES } from './entities';
import { COMMUNITY_GRID_PROJECTION, COMMUNITY_INCIDENT_PROJECTION } from './tokens';

/** Every table a community test store needs: org, community, deadlines (and privacy when asked). */
export const communityTestEntities = (withPrivacy = false) => [
  ...ORG_READ_MODEL_ENTITIES,
  ...COMMUNITY_READ_MODEL_ENTITIES,
  ...DEADLINE_ENTITIES,
  ...(withPrivacy ? PRIVACY_ENTITIES : []),
];

export interface CommunityTestApp {
  app: INestApplication | INestApplicationContext;
  commandBus: CommandBus;
  queryBus: QueryBus;
  store: InMemoryEventStore;
  dataSource: DataSource;
  runners: ProjectionRunner[];
  scheduler: DeadlineScheduler;
  /** Set when created with `privacy: true`. */
  privacy?: Privacy;
  /** Resolves when every projection has applied every event appended so far. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The community context on an in-memory event store and an in-memory SQLite read store (or the
 * DataSource options given), with the org context, the deadline machinery (scheduler not
 * started: tests call `scheduler.tick()`), all their projections running, and optionally the
 * privacy layer (encryption in events, blind index, masking reader) on the same store.
 */
export const createCommunityTestApp = async (
  options: {
    imports?: ModuleMetadata['imports'];
    providers?: Provider[];
    http?: boolean;
    dataSourceOptions?: DataSourceOptions;
    clock?: Clock;
    privacy?: boolean;
    deadlines?: DeadlinesOptions;
  } = {},
): Promise<CommunityTestApp> => {
  const store = new InMemoryEventStore({ pollIntervalMs: 20 });
  const dataSource = new DataSource(
    options.dataSourceOptions ?? { type: 'better-sqlite3', database: ':memory:', entities: communityTestEntities(options.privacy) },
  );
  await dataSource.initialize();
  let privacy: Privacy | undefined;
  if (options.privacy) {
    await ensurePrivacySchema(dataSource);
    privacy = new Privacy({ dataSource, keys: randomPrivacyKeys(), ...(options.clock ? { clock: () => options.clock?.now() ?? new Date() } : {}) });
  }
  const privacyProviders: Provider[] = privacy
    ? [
        { provide: EVENT_TRANSFORMER, useValue: privacy.transformer },
        { provide: BlindIndex, useValue: privacy.blindIndex },
        { provide: PersonalDataReader, useValue: privacy.reader },
        { provide: Privacy, useValue: privacy },
      ]
    : [];

  @Global()
  @Module({
    providers: [
      { provide: DataSource, useValue: dataSource },
      { provide: DEADLINES_OPTIONS, useValue: { autostart: false, cacheTtlMs: 0, calendarId: 'cn-national', ...options.deadlines } },
      ...privacyProviders,
    ],
    exports: [DataSource, DEADLINES_OPTIONS, ...privacyProviders.map((p) => (p as { provide: unknown }).provide as never)],
  })
  class TestInfrastructureModule {}

  @Module({
    imports: [
      CqrsModule.forRoot(),
      TestInfrastructureModule,
      EventSourcingModule.forRoot({ store, ...(options.clock ? { clock: options.clock } : {}) }),
      OrgModule.forRoot({ directoryTtlMs: 60_000 }),
      CommunityModule.forRoot(),
      ...(options.imports ?? []),
    ],
    providers: options.providers ?? [],
  })
  class CommunityTestModule {}

  const app = options.http
    ? await NestFactory.create(CommunityTestModule, { logger: false })
    : await NestFactory.createApplicationContext(CommunityTestModule, { logger: false });
  await app.init();
  const projections = [ORG_PROJECTION, COMMUNITY_GRID_PROJECTION, COMMUNITY_INCIDENT_PROJECTION, OPEN_CLOCKS_PROJECTION].map((t) => app.get<Projection>(t));
  const runners = projections.map((projection) => new ProjectionRunner({ projection, store, dataSource, leaseMs: 3_000 }));
  for (const runner of runners) await runner.start();
  return {
    app,
    commandBus: app.get(CommandBus),
    queryBus: app.get(QueryBus),
    store,
    dataSource,
    runners,
    scheduler: app.get(DeadlineScheduler),
    privacy,
    settle: async () => {
      const head = await store.headPosition();
      await Promise.all(runners.map((r) => r.waitForPosition(head, { timeoutMs: 10_000, pollMs: 10 })));
    },
    close: async () => {
      for (const runner of runners) await runner.stop();
      await app.close();
      await store.close();
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
};

/**
 * The test tree, shaped like the demo: 吳江 ⊃ 松陵辦事處 ⊃ {三村社區, 二村社區, 城管中隊}, and a
 * sibling street office 盛澤鎮 ⊃ 西白漾社區. A grid worker and a community worker are registered in
 * 三村. `prefix` keeps several trees apart in one store.
 */
export const COMMUNITY_TEST_TREE = (prefix = '') => {
  const id = (s: string) => `${prefix}${s}`;
  const units: { id: string; name: string; kind: OrgUnitKind; parent: string | null }[] = [
    { id: id('wujiang'), name: '吳江市', kind: 'government-organ', parent: null },
    { id: id('songling'), name: '松陵辦事處', kind: 'street-office', parent: id('wujiang') },
    { id: id('sancun'), name: '三村社區', kind: 'community', parent: id('songling') },
    { id: id('ercun'), name: '二村社區', kind: 'community', parent: id('songling') },
    { id: id('chengguan'), name: '松陵城管中隊', kind: 'government-organ', parent: id('songling') },
    { id: id('shengze'), name: '盛澤鎮', kind: 'street-office', parent: id('wujiang') },
    { id: id('xibaiyang'), name: '西白漾社區', kind: 'community', parent: id('shengze') },
  ];
  const paths: Record<string, string> = {};
  for (const u of units) paths[u.id] = `${u.parent ? paths[u.parent] : '/'}${u.id}/`;
  const staff: { id: string; name: string; unit: string; role: StaffRole }[] = [
    { id: id('sancun-grid-worker'), name: '三村網格員', unit: id('sancun'), role: 'grid-worker' },
    { id: id('sancun-worker'), name: '三村社區工作者', unit: id('sancun'), role: 'community-worker' },
    { id: id('sancun-grid-worker-2'), name: '三村網格員乙', unit: id('sancun'), role: 'grid-worker' },
  ];
  return { id, units, paths, staff };
};

export const createCommunityTestTree = async (
  commandBus: CommandBus,
  options: { prefix?: string; principal?: Principal } = {},
): Promise<ReturnType<typeof COMMUNITY_TEST_TREE>> => {
  const tree = COMMUNITY_TEST_TREE(options.prefix);
  const principal = options.principal ?? systemPrincipal('test-seed');
  const meta = { correlationId: 'community-test-tree' };
  for (const u of tree.units) {
    await commandBus.execute<CreateOrgUnitCommand, CommandResult>(
      new CreateOrgUnitCommand({ orgUnitId: u.id, name: u.name, kind: u.kind, parentId: u.parent }, principal, meta),
    );
  }
  for (const s of tree.staff) {
    await commandBus.execute(new RegisterStaffCommand({ staffId: s.id, displayName: s.name, orgUnitId: s.unit }, principal, meta));
    await commandBus.execute(new AssignRoleCommand({ staffId: s.id, role: s.role, orgUnitId: s.unit, scope: 'subtree' }, principal, meta));
  }
  return tree;
};

/** An `Authorization` header for a user acting from `orgUnit` with `roles`. */
export const bearer = (secret: string, sub: string, roles: Role[], orgUnit: string): string =>
  `Bearer ${mintDevelopmentToken({ sub, roles, orgUnit }, secret, '1h')}`;

export { Role };
