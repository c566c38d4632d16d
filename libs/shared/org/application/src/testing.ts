import { Global, type INestApplication, type INestApplicationContext, Module, type ModuleMetadata, type Provider } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus, CqrsModule, QueryBus } from '@nestjs/cqrs';
import { InMemoryEventStore } from '@gongzhi/event-store/testing';
import { EventSourcingModule } from '@gongzhi/eventsourcing';
import { type Projection, type ProjectionContext, ProjectionRunner } from '@gongzhi/projections';
import { DataSource, type DataSourceOptions, type EntityManager } from 'typeorm';
import { mintDevelopmentToken, type Principal, Role, systemPrincipal } from '@gongzhi/auth';
import type { CommandResult } from '@gongzhi/eventsourcing';
import type { OrgUnitKind } from '@gongzhi/org-domain';
import { ORG_PROJECTION, OrgModule } from './org.module';
import { ORG_READ_MODEL_ENTITIES } from './read-model/org.entities';
import { CreateOrgUnitCommand } from './write/commands';

/**
 * The tree of the authorization matrix (issue 3): province ⊃ city ⊃ {county A ⊃ community, county B}.
 * `prefix` keeps several trees apart in one store.
 */
export type ScopeTreeLevel = 'province' | 'city' | 'countyA' | 'countyB' | 'communityA';

export const SCOPE_TREE_LEVELS: readonly ScopeTreeLevel[] = ['province', 'city', 'countyA', 'countyB', 'communityA'];

const SHAPE: Record<ScopeTreeLevel, { id: string; name: string; kind: OrgUnitKind; parent: ScopeTreeLevel | null }> = {
  province: { id: 'province', name: '貴州省', kind: 'government-organ', parent: null },
  city: { id: 'city', name: '貴陽市', kind: 'government-organ', parent: 'province' },
  countyA: { id: 'county-a', name: '甲縣', kind: 'government-organ', parent: 'city' },
  countyB: { id: 'county-b', name: '乙縣', kind: 'government-organ', parent: 'city' },
  communityA: { id: 'community-a', name: '甲縣北門社區', kind: 'community', parent: 'countyA' },
};

export interface ScopeTree {
  ids: Record<ScopeTreeLevel, string>;
  paths: Record<ScopeTreeLevel, string>;
  names: Record<ScopeTreeLevel, string>;
  results: Record<ScopeTreeLevel, CommandResult>;
}

/** Ids and paths of the scope tree without creating anything (for expectations). */
export const scopeTreeShape = (prefix = ''): Omit<ScopeTree, 'results'> => {
  const ids = {} as Record<ScopeTreeLevel, string>;
  const paths = {} as Record<ScopeTreeLevel, string>;
  const names = {} as Record<ScopeTreeLevel, string>;
  for (const level of SCOPE_TREE_LEVELS) {
    const { id, parent, name } = SHAPE[level];
    ids[level] = `${prefix}${id}`;
    names[level] = name;
    paths[level] = `${parent ? paths[parent] : '/'}${ids[level]}/`;
  }
  return { ids, paths, names };
};

/**
 * Creates the scope tree through the CommandBus (as the platform would), acting as `principal`
 * (default: a system admin over the whole tree). Wait for the org projection before querying.
 */
export const createScopeTree = async (
  commandBus: CommandBus,
  options: { prefix?: string; principal?: Principal; correlationId?: string } = {},
): Promise<ScopeTree> => {
  const shape = scopeTreeShape(options.prefix);
  const principal = options.principal ?? systemPrincipal('test-seed');
  const results = {} as Record<ScopeTreeLevel, CommandResult>;
  for (const level of SCOPE_TREE_LEVELS) {
    const { kind, parent, name } = SHAPE[level];
    results[level] = await commandBus.execute(
      new CreateOrgUnitCommand(
        { orgUnitId: shape.ids[level], name, kind, parentId: parent ? shape.ids[parent] : null },
        principal,
        { correlationId: options.correlationId ?? 'scope-tree' },
      ),
    );
  }
  return { ...shape, results };
};

/**
 * `Authorization` header values for a user at every level of the scope tree (subject
 * `<role>@<unit id>`), plus `root` for an operator over the whole tree.
 */
export const scopeTreeTokens = (
  secret: string,
  options: { prefix?: string; roles?: Role[]; ttl?: number | string } = {},
): Record<ScopeTreeLevel | 'root', string> => {
  const { ids } = scopeTreeShape(options.prefix);
  const roles = options.roles ?? [Role.Admin];
  const bearer = (orgUnit: string) =>
    `Bearer ${mintDevelopmentToken({ sub: `${roles[0]}@${orgUnit}`, roles, orgUnit }, secret, options.ttl ?? '1h')}`;
  const out = { root: bearer('root') } as Record<ScopeTreeLevel | 'root', string>;
  for (const level of SCOPE_TREE_LEVELS) out[level] = bearer(ids[level]);
  return out;
};

/**
 * A whole org context on an in-memory event store and an in-memory SQLite read store, for tests:
 * CommandBus/QueryBus, the org projection running, and `settle()` to wait until it caught up.
 * `imports` adds modules (AuthModule, GraphQL…); `http` makes it an HTTP application.
 */
export interface OrgTestApp {
  app: INestApplication | INestApplicationContext;
  commandBus: CommandBus;
  queryBus: QueryBus;
  store: InMemoryEventStore;
  dataSource: DataSource;
  /** Undefined with `inlineProjection`. */
  runner?: ProjectionRunner;
  /** Resolves when the org projection has applied every event appended so far. */
  settle(): Promise<void>;
  /** With `inlineProjection`: empty the tables and apply the whole log again (SP-4 oracle). */
  replay?(): Promise<void>;
  close(): Promise<void>;
}

export const createOrgTestApp = async (
  options: {
    imports?: ModuleMetadata['imports'];
    providers?: Provider[];
    http?: boolean;
    dataSourceOptions?: DataSourceOptions;
    /** Long by default, so tests see that the projection (not expiry) refreshes the directory. */
    directoryTtlMs?: number;
    /**
     * Apply the projection directly in `settle()` (one transaction over the new events, tables
     * made by `synchronize`) instead of running a ProjectionRunner: tests the projection's SQL
     * without the runner's lease and checkpoint machinery.
     */
    inlineProjection?: boolean;
    /** Receives the projection runner's retries and failures (default: silent). */
    logger?: ConstructorParameters<typeof ProjectionRunner>[0]['logger'];
  } = {},
): Promise<OrgTestApp> => {
  const store = new InMemoryEventStore({ pollIntervalMs: 20 });
  const dataSource = new DataSource(
    options.dataSourceOptions ?? { type: 'better-sqlite3', database: ':memory:', entities: ORG_READ_MODEL_ENTITIES },
  );
  await dataSource.initialize();

  @Global()
  @Module({ providers: [{ provide: DataSource, useValue: dataSource }], exports: [DataSource] })
  class TestReadStoreModule {}

  @Module({
    imports: [
      CqrsModule.forRoot(),
      EventSourcingModule.forRoot({ store }),
      TestReadStoreModule,
      OrgModule.forRoot({ directoryTtlMs: options.directoryTtlMs ?? 60_000 }),
      ...(options.imports ?? []),
    ],
    providers: options.providers ?? [],
  })
  class OrgTestModule {}

  const app = options.http
    ? await NestFactory.create(OrgTestModule, { logger: false })
    : await NestFactory.createApplicationContext(OrgTestModule, { logger: false });
  await app.init();
  const projection = app.get<Projection>(ORG_PROJECTION);
  if (options.inlineProjection) {
    await dataSource.synchronize();
    const inline = inlineProjector(projection, store, dataSource);
    return {
      app,
      commandBus: app.get(CommandBus),
      queryBus: app.get(QueryBus),
      store,
      dataSource,
      settle: inline.settle,
      replay: inline.replay,
      close: async () => {
        await app.close();
        await store.close();
        if (dataSource.isInitialized) await dataSource.destroy();
      },
    };
  }
  const runner = new ProjectionRunner({
    projection,
    store,
    dataSource,
    leaseMs: 3_000,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  await runner.start();
  return {
    app,
    commandBus: app.get(CommandBus),
    queryBus: app.get(QueryBus),
    store,
    dataSource,
    runner,
    settle: async () => runner.waitForPosition(await store.headPosition(), { timeoutMs: 10_000, pollMs: 10 }),
    close: async () => {
      await runner.stop();
      await app.close();
      await store.close();
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
};

/** Applies a projection over the live tables, batch by batch, as the runner would (without checkpoints). */
export const inlineProjector = (projection: Projection, store: InMemoryEventStore, dataSource: DataSource) => {
  let position = 0n;
  const handles = new Set(projection.handles);
  const context = (em: EntityManager): ProjectionContext => ({
    projection: projection.name,
    generation: 0,
    rebuilding: false,
    target: (entity) => entity,
    repository: (entity) => em.getRepository(entity),
    tableName: (entity) => {
      const md = dataSource.getMetadata(entity);
      const q = (n: string) => dataSource.driver.escape(n);
      return md.schema ? `${q(md.schema)}.${q(md.tableName)}` : q(md.tableName);
    },
  });
  const settle = async (): Promise<void> => {
    for (;;) {
      const events = await store.readAll({ fromPosition: position, maxCount: 200 });
      if (events.length === 0) return;
      const handled = events.filter((e) => handles.has(e.type));
      if (handled.length > 0) await dataSource.transaction((em) => projection.apply(handled, em, context(em)));
      position = events[events.length - 1].position;
    }
  };
  /** Empties the tables and applies everything again from the start of the log. */
  const replay = async (): Promise<void> => {
    for (const entity of projection.entities) await dataSource.getRepository(entity).clear();
    position = 0n;
    await settle();
  };
  return { settle, replay };
};
