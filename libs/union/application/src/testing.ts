import { Global, Module, type INestApplication, type INestApplicationContext, type ModuleMetadata, type Provider } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus, CqrsModule } from '@nestjs/cqrs';
import { systemPrincipal, type Principal } from '@gongzhi/auth';
import {
  DEADLINE_ENTITIES,
  DEADLINES_OPTIONS,
  DeadlinePolicyStore,
  DeadlineScheduler,
  HolidayCalendarStore,
  OPEN_CLOCKS_PROJECTION,
} from '@gongzhi/deadlines';
import type { EventStore } from '@gongzhi/event-store';
import { InMemoryEventStore } from '@gongzhi/event-store/testing';
import { EventSourcingModule, type Clock, type CommandResult } from '@gongzhi/eventsourcing';
import { CreateOrgUnitCommand, ORG_PROJECTION, ORG_READ_MODEL_ENTITIES, OrgModule } from '@gongzhi/org';
import { ProjectionRunner, type Projection } from '@gongzhi/projections';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { LaborDisputeQueries } from './queries/labor-dispute.queries';
import { UNION_READ_MODEL_ENTITIES } from './read-model/labor-dispute.entities';
import { LABOR_DISPUTE_PROJECTION } from './tokens';
import { UnionModule } from './union.module';
import { LaborDisputeCommands } from './write/labor-dispute.handlers';

/** Every table a union test store needs: org, deadlines, union. */
export const UNION_TEST_ENTITIES = [...ORG_READ_MODEL_ENTITIES, ...DEADLINE_ENTITIES, ...UNION_READ_MODEL_ENTITIES];

export type UnionTreeLevel = 'province' | 'city' | 'rucheng' | 'tuqiao' | 'yizhang';

const TREE: Record<UnionTreeLevel, { id: string; name: string; parent: UnionTreeLevel | null }> = {
  province: { id: 'hunan-ftu', name: '湖南省總工會', parent: null },
  city: { id: 'chenzhou-ftu', name: '郴州市總工會', parent: 'province' },
  rucheng: { id: 'rucheng-ftu', name: '汝城縣總工會', parent: 'city' },
  tuqiao: { id: 'tuqiao-union', name: '土橋鎮工會', parent: 'rucheng' },
  yizhang: { id: 'yizhang-ftu', name: '宜章縣總工會', parent: 'city' },
};
export const UNION_TREE_LEVELS = Object.keys(TREE) as UnionTreeLevel[];

export interface UnionTree {
  ids: Record<UnionTreeLevel, string>;
  paths: Record<UnionTreeLevel, string>;
  names: Record<UnionTreeLevel, string>;
}

/** A union tree: province ⊃ city ⊃ {汝城 ⊃ 土橋鎮, 宜章 (a sibling county)}. `prefix` keeps trees apart. */
export const unionTreeShape = (prefix = ''): UnionTree => {
  const ids = {} as Record<UnionTreeLevel, string>;
  const paths = {} as Record<UnionTreeLevel, string>;
  const names = {} as Record<UnionTreeLevel, string>;
  for (const level of UNION_TREE_LEVELS) {
    const { id, name, parent } = TREE[level];
    ids[level] = `${prefix}${id}`;
    names[level] = name;
    paths[level] = `${parent ? paths[parent] : '/'}${ids[level]}/`;
  }
  return { ids, paths, names };
};

export const createUnionTree = async (commandBus: CommandBus, options: { prefix?: string; principal?: Principal } = {}): Promise<UnionTree> => {
  const shape = unionTreeShape(options.prefix);
  const principal = options.principal ?? systemPrincipal('test-seed');
  for (const level of UNION_TREE_LEVELS) {
    const { parent, name } = TREE[level];
    await commandBus.execute<CreateOrgUnitCommand, CommandResult>(
      new CreateOrgUnitCommand(
        { orgUnitId: shape.ids[level], name, kind: 'trade-union-federation', parentId: parent ? shape.ids[parent] : null },
        principal,
        { correlationId: 'union-tree' },
      ),
    );
  }
  return shape;
};

export interface UnionTestApp {
  app: INestApplication | INestApplicationContext;
  commandBus: CommandBus;
  store: EventStore;
  dataSource: DataSource;
  disputes: LaborDisputeCommands;
  queries: LaborDisputeQueries;
  scheduler: DeadlineScheduler;
  policies: DeadlinePolicyStore;
  calendars: HolidayCalendarStore;
  runners: ProjectionRunner[];
  /** Resolves when every projection has applied every event appended so far. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The union context on an in-memory event store and a read store (in-memory SQLite unless
 * `dataSourceOptions` says otherwise), with the org context, the three projections running and
 * the scheduler's ticker off (tests call `scheduler.tick()`). Pass a FakeClock as `clock`.
 */
export const createUnionTestApp = async (
  options: {
    clock?: Clock;
    http?: boolean;
    imports?: ModuleMetadata['imports'];
    providers?: Provider[];
    dataSourceOptions?: DataSourceOptions;
    store?: EventStore;
  } = {},
): Promise<UnionTestApp> => {
  const store = options.store ?? new InMemoryEventStore({ pollIntervalMs: 10 });
  const dataSource = new DataSource(options.dataSourceOptions ?? { type: 'better-sqlite3', database: ':memory:', entities: UNION_TEST_ENTITIES });
  await dataSource.initialize();

  @Global()
  @Module({
    providers: [
      { provide: DataSource, useValue: dataSource },
      { provide: DEADLINES_OPTIONS, useValue: { autostart: false, cacheTtlMs: 0 } },
    ],
    exports: [DataSource, DEADLINES_OPTIONS],
  })
  class UnionTestStoreModule {}

  const org = OrgModule.forRoot({ directoryTtlMs: 60_000 });

  @Global()
  @Module({ imports: [org], exports: [org] })
  class UnionTestOrgModule {}

  @Module({
    imports: [
      CqrsModule.forRoot(),
      EventSourcingModule.forRoot({ store, ...(options.clock ? { clock: options.clock } : {}) }),
      UnionTestStoreModule,
      UnionTestOrgModule,
      UnionModule.forRoot(),
      ...(options.imports ?? []),
    ],
    providers: options.providers ?? [],
  })
  class UnionTestModule {}

  const app = options.http
    ? await NestFactory.create(UnionTestModule, { logger: false, abortOnError: false })
    : await NestFactory.createApplicationContext(UnionTestModule, { logger: false, abortOnError: false });
  await app.init();
  const projections: Projection[] = [app.get(ORG_PROJECTION), app.get(OPEN_CLOCKS_PROJECTION), app.get(LABOR_DISPUTE_PROJECTION)];
  const runners = projections.map((projection) => new ProjectionRunner({ projection, store, dataSource, leaseMs: 3_000 }));
  for (const runner of runners) await runner.start();
  return {
    app,
    commandBus: app.get(CommandBus),
    store,
    dataSource,
    disputes: app.get(LaborDisputeCommands),
    queries: app.get(LaborDisputeQueries),
    scheduler: app.get(DeadlineScheduler),
    policies: app.get(DeadlinePolicyStore),
    calendars: app.get(HolidayCalendarStore),
    runners,
    settle: async () => {
      const head = await store.headPosition();
      await Promise.all(runners.map((r) => r.waitForPosition(head, { timeoutMs: 10_000, pollMs: 5 })));
    },
    close: async () => {
      for (const r of runners) await r.stop();
      await app.close();
      await store.close();
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
};
