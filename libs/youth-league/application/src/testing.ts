import { Global, Module, type INestApplication, type INestApplicationContext, type ModuleMetadata, type Provider } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus, CqrsModule, QueryBus } from '@nestjs/cqrs';
import type { Principal } from '@gongzhi/auth';
import { DEADLINE_ENTITIES, DeadlineScheduler, DeadlinesModule, DEADLINES_OPTIONS, OPEN_CLOCKS_PROJECTION } from '@gongzhi/deadlines';
import type { EventStore } from '@gongzhi/event-store';
import { InMemoryEventStore } from '@gongzhi/event-store/testing';
import { EventSourcingModule, type Clock, type CommandResult } from '@gongzhi/eventsourcing';
import { ORG_PROJECTION, ORG_READ_MODEL_ENTITIES, OrgModule } from '@gongzhi/org';
import { ProjectionRunner, type EntityClass, type Projection } from '@gongzhi/projections';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { CommandMeta } from './write/commands';
import { LEAGUE_PROJECTION_TOKENS, LEAGUE_READ_MODEL_ENTITIES, YouthLeagueModule } from './youth-league.module';

/**
 * The Youth League context on an in-memory event store and a read store (in-memory SQLite by
 * default, or any DataSourceOptions, e.g. a PostgreSQL schema), with the org context and the
 * deadline scheduler, every projection running. For tests and for other libraries' tests.
 * `extraEntities`/`extraProjections` let a caller add its own read models (the mobilization view).
 */
export interface LeagueTestApp {
  app: INestApplication | INestApplicationContext;
  commandBus: CommandBus;
  queryBus: QueryBus;
  store: EventStore;
  dataSource: DataSource;
  runners: ProjectionRunner[];
  scheduler: DeadlineScheduler;
  /** Runs a command through the bus as `principal`; the meta's correlation id defaults to 'test'. */
  run(command: new (input: any, principal: Principal, meta: CommandMeta) => object, input: object, principal: Principal, meta?: Partial<CommandMeta>): Promise<CommandResult>;
  /** Resolves when every projection has applied every event appended so far. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export const createLeagueTestApp = async (
  options: {
    imports?: ModuleMetadata['imports'];
    providers?: Provider[];
    http?: boolean;
    dataSourceOptions?: Omit<DataSourceOptions, 'entities'>;
    clock?: Clock;
    extraEntities?: EntityClass[];
    /** Tokens of further projections provided by `imports`/`providers`. */
    extraProjections?: symbol[];
    store?: EventStore;
  } = {},
): Promise<LeagueTestApp> => {
  const store = options.store ?? new InMemoryEventStore({ pollIntervalMs: 10 });
  const entities = [...ORG_READ_MODEL_ENTITIES, ...LEAGUE_READ_MODEL_ENTITIES, ...DEADLINE_ENTITIES, ...(options.extraEntities ?? [])];
  const dataSource = new DataSource({
    ...((options.dataSourceOptions ?? { type: 'better-sqlite3', database: ':memory:' }) as DataSourceOptions),
    entities,
  } as DataSourceOptions);
  await dataSource.initialize();

  @Global()
  @Module({
    providers: [
      { provide: DataSource, useValue: dataSource },
      { provide: DEADLINES_OPTIONS, useValue: { autostart: false } },
    ],
    exports: [DataSource, DEADLINES_OPTIONS],
  })
  class TestInfrastructure {}

  @Module({
    imports: [
      CqrsModule.forRoot(),
      EventSourcingModule.forRoot({ store, ...(options.clock ? { clock: options.clock } : {}) }),
      TestInfrastructure,
      OrgModule.forRoot({ directoryTtlMs: 0 }),
      DeadlinesModule,
      YouthLeagueModule.forRoot(),
      ...(options.imports ?? []),
    ],
    providers: options.providers ?? [],
  })
  class LeagueTestModule {}

  const app = options.http
    ? await NestFactory.create(LeagueTestModule, { logger: false })
    : await NestFactory.createApplicationContext(LeagueTestModule, { logger: false });
  await app.init();
  const tokens = [ORG_PROJECTION, OPEN_CLOCKS_PROJECTION, ...LEAGUE_PROJECTION_TOKENS, ...(options.extraProjections ?? [])];
  const runners = tokens.map(
    (token) => new ProjectionRunner({ projection: app.get<Projection>(token), store, dataSource, leaseMs: 3_000, batchSize: 200, retry: { baseDelayMs: 10 } }),
  );
  for (const runner of runners) await runner.start();
  const commandBus = app.get(CommandBus);
  const settle = async () => {
    // The reactor appends while it applies: settle until the head stops moving.
    for (let round = 0; round < 5; round++) {
      const head = await store.headPosition();
      for (const runner of runners) await runner.waitForPosition(head, { timeoutMs: 15_000, pollMs: 5 });
      if ((await store.headPosition()) === head) return;
    }
  };
  return {
    app,
    commandBus,
    queryBus: app.get(QueryBus),
    store,
    dataSource,
    runners,
    scheduler: app.get(DeadlineScheduler),
    run: (command, input, principal, meta = {}) => commandBus.execute(new command(input, principal, { correlationId: 'test', ...meta }) as never),
    settle,
    close: async () => {
      for (const runner of runners) await runner.stop();
      await app.close();
      await store.close();
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
};
