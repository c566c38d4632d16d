import { Global, type INestApplication, type INestApplicationContext, Module, type ModuleMetadata, type Provider } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus, CqrsModule, QueryBus } from '@nestjs/cqrs';
import { InMemoryEventStore } from '@gongzhi/event-store/testing';
import { EventSourcingModule } from '@gongzhi/eventsourcing';
import { ProjectionRunner } from '@gongzhi/projections';
import { DataSource, type DataSourceOptions } from 'typeorm';
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
  runner: ProjectionRunner;
  /** Resolves when the org projection has applied every event appended so far. */
  settle(): Promise<void>;
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
  const runner = new ProjectionRunner({ projection: app.get(ORG_PROJECTION), store, dataSource, leaseMs: 3_000 });
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
