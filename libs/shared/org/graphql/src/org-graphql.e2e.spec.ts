import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { APP_PIPE } from '@nestjs/core';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import request from 'supertest';
import { AuthModule, Role } from '@gongzhi/auth';
import { TEST_JWT_SECRET } from '@gongzhi/auth/testing';
import { formatGraphqlError } from '@gongzhi/graphql';
import { OrgReadModel } from '@gongzhi/org';
import { createOrgTestApp, createScopeTree, type OrgTestApp, scopeTreeTokens } from '@gongzhi/org/testing';
import { OrgGraphqlModule } from './org-graphql.module';

describe('org GraphQL API over HTTP', () => {
  let t: OrgTestApp;
  const admins = scopeTreeTokens(TEST_JWT_SECRET);
  const analysts = scopeTreeTokens(TEST_JWT_SECRET, { roles: [Role.Analyst] });

  const gql = (token: string | undefined, query: string, variables: Record<string, unknown> = {}) => {
    const req = request((t.app as INestApplication).getHttpServer()).post('/graphql').set('content-type', 'application/json');
    if (token) req.set('authorization', token);
    return req.send({ query, variables });
  };
  const codes = (body: { errors?: Array<{ extensions?: { code?: string; ruleCode?: string } }> }) =>
    (body.errors ?? []).map((e) => e.extensions?.ruleCode ?? e.extensions?.code);

  beforeAll(async () => {
    t = await createOrgTestApp({
      http: true,
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
        OrgGraphqlModule,
      ],
      providers: [{ provide: APP_PIPE, useValue: new ValidationPipe({ transform: true, forbidUnknownValues: false }) }],
    });
    await createScopeTree(t.commandBus);
    await t.settle();
  });
  afterAll(() => t?.close());

  const UNITS = `query($under: ID, $first: Int, $after: String) {
    orgUnits(under: $under, first: $first, after: $after) { nodes { id path } pageInfo { hasNextPage endCursor } }
  }`;

  it('answers UNAUTHENTICATED without a token or with a bad one', async () => {
    expect(codes((await gql(undefined, UNITS)).body)).toEqual(['UNAUTHENTICATED']);
    expect(codes((await gql('Bearer not.a.token', UNITS)).body)).toEqual(['UNAUTHENTICATED']);
  });

  it('tells the caller who they are', async () => {
    const res = await gql(admins.countyA, '{ viewer { userId roles orgUnitId orgUnitPath } }');
    expect(res.body.data.viewer).toEqual({ userId: 'admin@county-a', roles: ['ADMIN'], orgUnitId: 'county-a', orgUnitPath: '/province/city/county-a/' });
  });

  it('lists only the caller’s subtree', async () => {
    const ids = async (token: string) => (await gql(token, UNITS)).body.data.orgUnits.nodes.map((n: { id: string }) => n.id);
    expect(await ids(analysts.countyB)).toEqual(['county-b']);
    expect(await ids(analysts.countyA)).toEqual(['county-a', 'community-a']);
    expect(await ids(analysts.province)).toEqual(['province', 'city', 'county-a', 'community-a', 'county-b']);
  });

  it('pages with cursors and caps the page size', async () => {
    const first = (await gql(admins.province, UNITS, { first: 2 })).body.data.orgUnits;
    expect(first.nodes.map((n: { id: string }) => n.id)).toEqual(['province', 'city']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const next = (await gql(admins.province, UNITS, { first: 2, after: first.pageInfo.endCursor })).body.data.orgUnits;
    expect(next.nodes.map((n: { id: string }) => n.id)).toEqual(['county-a', 'community-a']);
    const big = (await gql(admins.province, UNITS, { first: 100000 })).body.data.orgUnits;
    expect(big.nodes).toHaveLength(5);
    expect(codes((await gql(admins.province, UNITS, { after: 'garbage!' })).body)).toEqual(['BAD_USER_INPUT']);
  });

  it('a unit outside the scope is NOT_FOUND, the same as a missing one', async () => {
    const q = 'query($id: ID!) { orgUnit(id: $id) { id name } }';
    const outside = (await gql(admins.countyB, q, { id: 'county-a' })).body;
    const missing = (await gql(admins.countyB, q, { id: 'nope' })).body;
    expect(codes(outside)).toEqual(['NOT_FOUND']);
    expect(codes(missing)).toEqual(['NOT_FOUND']);
    expect(outside.errors[0].message).toBe(missing.errors[0].message.replace('nope', 'county-a'));
    expect(codes((await gql(admins.countyB, UNITS, { under: 'city' })).body)).toEqual(['NOT_FOUND']);
  });

  it('nested parent and children stay inside the scope', async () => {
    const q = `{ orgUnit(id: "county-a") { parent { id } children { nodes { id parent { id } } } } }`;
    expect((await gql(admins.countyA, q)).body.data.orgUnit).toEqual({
      parent: null,
      children: { nodes: [{ id: 'community-a', parent: { id: 'county-a' } }] },
    });
    const city = (await gql(admins.city, `{ orgUnit(id: "city") { parent { id } children { nodes { id } } } }`)).body.data.orgUnit;
    // Children come by name: 乙縣 (county B) sorts before 甲縣 (county A).
    expect(city).toEqual({ parent: null, children: { nodes: [{ id: 'county-b' }, { id: 'county-a' }] } });
  });

  it('batches nested children through one loader call per level', async () => {
    const readModel = t.app.get(OrgReadModel);
    const spy = jest.spyOn(readModel, 'childrenOf');
    const res = await gql(admins.province, '{ orgUnit(id: "city") { children { nodes { id children { nodes { id } } } } } }');
    expect(res.body.data.orgUnit.children.nodes).toEqual([
      { id: 'county-b', children: { nodes: [] } },
      { id: 'county-a', children: { nodes: [{ id: 'community-a' }] } },
    ]);
    // One call for the city's children, one for both counties' children (not one per county).
    expect(spy).toHaveBeenCalledTimes(2);
    expect(spy.mock.calls[1][1]).toEqual(['county-b', 'county-a']);
    spy.mockRestore();
  });

  const CREATE = `mutation($input: CreateOrgUnitInput!) {
    createOrgUnit(input: $input) { aggregateId streamId revision events { type position } }
  }`;

  it('creates a unit and answers the MutationResult; a resend with the same commandId changes nothing', async () => {
    const input = { commandId: '0190f5a2-7b1c-7d2e-8f00-0000000000aa', orgUnitId: 'grid-9', name: '九號網格', kind: 'GRID', parentId: 'community-a' };
    const first = await gql(admins.countyA, CREATE, { input });
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data.createOrgUnit).toMatchObject({ aggregateId: 'grid-9', streamId: 'org.org-unit-grid-9', revision: 0, events: [{ type: 'OrgUnitCreated' }] });
    const head = await t.store.headPosition();
    const again = await gql(admins.countyA, CREATE, { input });
    expect(again.body.data.createOrgUnit).toEqual(first.body.data.createOrgUnit);
    expect(await t.store.headPosition()).toBe(head);
  });

  it('malformed input is BAD_USER_INPUT and appends nothing', async () => {
    const head = await t.store.headPosition();
    const empty = await gql(admins.countyA, CREATE, { input: { name: '', kind: 'GRID', parentId: 'community-a' } });
    expect(codes(empty.body)).toEqual(['BAD_USER_INPUT']);
    const badId = await gql(admins.countyA, CREATE, { input: { orgUnitId: 'Has Spaces', name: 'x', kind: 'GRID', parentId: 'community-a' } });
    expect(codes(badId.body)).toEqual(['BAD_USER_INPUT']);
    expect(await t.store.headPosition()).toBe(head);
  });

  it('mutations need the permission (FORBIDDEN) and a target in scope (rule code or NOT_FOUND)', async () => {
    const analystTry = await gql(analysts.countyA, CREATE, { input: { name: 'x', kind: 'GRID', parentId: 'community-a' } });
    expect(codes(analystTry.body)).toEqual(['FORBIDDEN']);
    const otherCounty = await gql(admins.countyB, CREATE, { input: { name: 'x', kind: 'GRID', parentId: 'community-a' } });
    expect(codes(otherCounty.body)).toEqual(['ORG.PARENT_NOT_FOUND']);
    const rename = await gql(admins.countyB, 'mutation { renameOrgUnit(input: { orgUnitId: "county-a", name: "x" }) { revision } }');
    expect(codes(rename.body)).toEqual(['NOT_FOUND']);
  });

  it('moves a subtree and reports cycles with the rule code', async () => {
    const cycle = await gql(admins.city, 'mutation { moveOrgUnit(input: { orgUnitId: "county-a", newParentId: "community-a" }) { revision } }');
    expect(codes(cycle.body)).toEqual(['ORG.CYCLE']);
    const moved = await gql(admins.city, 'mutation { moveOrgUnit(input: { orgUnitId: "community-a", newParentId: "county-b", expectedRevision: 0 }) { revision events { type } } }');
    expect(moved.body.data.moveOrgUnit).toEqual({ revision: 1, events: [{ type: 'OrgUnitMoved' }] });
    await t.settle();
    const res = await gql(admins.countyB, '{ orgUnit(id: "grid-9") { path parent { id parent { id } } } }');
    expect(res.body.data.orgUnit).toEqual({ path: '/province/city/county-b/community-a/grid-9/', parent: { id: 'community-a', parent: { id: 'county-b' } } });
    expect(codes((await gql(admins.countyA, '{ orgUnit(id: "grid-9") { id } }')).body)).toEqual(['NOT_FOUND']);
  });

  it('a stale expectedRevision is CONFLICT', async () => {
    const res = await gql(admins.city, 'mutation { renameOrgUnit(input: { orgUnitId: "county-b", name: "乙區", expectedRevision: 7 }) { revision } }');
    expect(codes(res.body)).toEqual(['CONFLICT']);
  });

  it('registers staff, assigns and revokes roles, and scopes staff queries', async () => {
    const reg = await gql(admins.countyB, 'mutation { registerStaff(input: { staffId: "li", displayName: "李社工", orgUnitId: "community-a" }) { aggregateId } }');
    expect(reg.body.data.registerStaff.aggregateId).toBe('li');
    const assign = await gql(
      admins.countyB,
      'mutation { assignRole(input: { staffId: "li", assignmentId: "li-cw", role: COMMUNITY_WORKER, orgUnitId: "community-a" }) { events { type } } }',
    );
    expect(assign.body.data.assignRole.events).toEqual([{ type: 'RoleAssigned' }]);
    await t.settle();
    const q = '{ staff { nodes { id displayName orgUnit { id } assignments { id role scope orgUnit { id } } } } }';
    expect((await gql(admins.countyB, q)).body.data.staff.nodes).toEqual([
      { id: 'li', displayName: '李社工', orgUnit: { id: 'community-a' }, assignments: [{ id: 'li-cw', role: 'COMMUNITY_WORKER', scope: 'SUBTREE', orgUnit: { id: 'community-a' } }] },
    ]);
    expect((await gql(admins.countyA, q)).body.data.staff.nodes).toEqual([]);
    expect(codes((await gql(admins.countyA, '{ staffMember(id: "li") { id } }')).body)).toEqual(['NOT_FOUND']);
    const revoke = await gql(admins.countyB, 'mutation { revokeRole(input: { staffId: "li", assignmentId: "li-cw" }) { events { type } } }');
    expect(revoke.body.data.revokeRole.events).toEqual([{ type: 'RoleRevoked' }]);
    await t.settle();
    expect((await gql(admins.countyB, '{ staffMember(id: "li") { assignments { id } } }')).body.data.staffMember.assignments).toEqual([]);
  });
});
