import { Role } from '@gongzhi/auth';
import { SCOPE_TREE_LEVELS, scopeTreeShape, type ScopeTreeLevel } from '@gongzhi/org/testing';
import { codesOf, E2eApp } from './testing/e2e-harness';

/**
 * The authorization matrix of issue 3 over HTTP: {province, city, county A, county B, community
 * under A} × {list, get by id, nested field, history}. Objects outside a caller's subtree are
 * absent from lists and answer NOT_FOUND by id, exactly like missing ones.
 */
const { ids } = scopeTreeShape();
const PARENT: Record<ScopeTreeLevel, ScopeTreeLevel | null> = {
  province: null,
  city: 'province',
  countyA: 'city',
  countyB: 'city',
  communityA: 'countyA',
};
const KIND: Record<ScopeTreeLevel, string> = {
  province: 'GOVERNMENT_ORGAN',
  city: 'GOVERNMENT_ORGAN',
  countyA: 'GOVERNMENT_ORGAN',
  countyB: 'GOVERNMENT_ORGAN',
  communityA: 'COMMUNITY',
};
const ancestorsOrSelf = (level: ScopeTreeLevel): ScopeTreeLevel[] => {
  const out: ScopeTreeLevel[] = [];
  for (let l: ScopeTreeLevel | null = level; l; l = PARENT[l]) out.push(l);
  return out;
};
/** `viewer` sees `target` iff the viewer is the target or one of its ancestors. */
const sees = (viewer: ScopeTreeLevel, target: ScopeTreeLevel): boolean => ancestorsOrSelf(target).includes(viewer);

describe('authorization matrix (e2e over HTTP, embedded stores)', () => {
  let e: E2eApp;
  const tokens = {} as Record<ScopeTreeLevel, string>;

  beforeAll(async () => {
    e = await E2eApp.start();
    const root = e.token('operator', [Role.Admin], 'root');
    for (const level of SCOPE_TREE_LEVELS) {
      const r = await e.gql(
        'mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { aggregateId revision } }',
        { input: { orgUnitId: ids[level], name: `${level} unit`, kind: KIND[level], parentId: PARENT[level] ? ids[PARENT[level] as ScopeTreeLevel] : null } },
        { Authorization: root },
      );
      expect(r.body.errors).toBeUndefined();
      tokens[level] = e.token(`analyst@${ids[level]}`, [Role.Analyst], ids[level]);
    }
    await e.settle();
  });
  afterAll(() => e?.close());

  describe.each(SCOPE_TREE_LEVELS)('a user at %s', (viewer) => {
    it('lists exactly the units of its subtree', async () => {
      const r = await e.gql('{ orgUnits(first: 100) { nodes { id } } }', {}, { Authorization: tokens[viewer] });
      expect(r.body.errors).toBeUndefined();
      const listed = r.body.data.orgUnits.nodes.map((n: { id: string }) => n.id).sort();
      expect(listed).toEqual(SCOPE_TREE_LEVELS.filter((t) => sees(viewer, t)).map((t) => ids[t]).sort());
    });

    it.each(SCOPE_TREE_LEVELS)('gets %s by id only inside its subtree (NOT_FOUND otherwise)', async (target) => {
      const r = await e.gql('query($id: ID!) { orgUnit(id: $id) { id } }', { id: ids[target] }, { Authorization: tokens[viewer] });
      if (sees(viewer, target)) expect(r.body.data.orgUnit.id).toBe(ids[target]);
      else {
        expect(codesOf(r)).toEqual(['NOT_FOUND']);
        const missing = await e.gql('query($id: ID!) { orgUnit(id: $id) { id } }', { id: 'no-such-unit' }, { Authorization: tokens[viewer] });
        expect(r.body.errors?.[0].message.replace(ids[target], 'X')).toBe(missing.body.errors?.[0].message.replace('no-such-unit', 'X'));
      }
    });

    it('sees nested parent and children only inside its subtree', async () => {
      const r = await e.gql(
        'query($id: ID!) { orgUnit(id: $id) { parent { id } children(first: 100) { nodes { id } } } }',
        { id: ids[viewer] },
        { Authorization: tokens[viewer] },
      );
      expect(r.body.errors).toBeUndefined();
      const parent = PARENT[viewer];
      // The parent lies above the caller's own unit: outside the subtree, so null.
      expect(r.body.data.orgUnit.parent).toBeNull();
      expect(parent === null || !sees(viewer, parent)).toBe(true);
      const children = SCOPE_TREE_LEVELS.filter((t) => PARENT[t] === viewer).map((t) => ids[t]).sort();
      expect(r.body.data.orgUnit.children.nodes.map((n: { id: string }) => n.id).sort()).toEqual(children);
    });

    it.each(SCOPE_TREE_LEVELS)('reads the history of %s only inside its subtree', async (target) => {
      const r = await e.gql(
        'query($s: String!) { history(streamId: $s) { streamId chainValid totalCount nodes { type revision position occurredAt actor { userId } chainValid } } }',
        { s: `org.org-unit-${ids[target]}` },
        { Authorization: tokens[viewer] },
      );
      if (sees(viewer, target)) {
        expect(r.body.errors).toBeUndefined();
        const h = r.body.data.history;
        expect(h.chainValid).toBe(true);
        expect(h.nodes[0]).toMatchObject({ type: 'OrgUnitCreated', revision: 0, actor: { userId: 'operator' }, chainValid: true });
        expect(BigInt(h.nodes[0].position)).toBeGreaterThan(0n);
      } else {
        expect(codesOf(r)).toEqual(['NOT_FOUND']);
        expect(r.body.data).toBeNull();
      }
    });
  });

  it('a city user sees both counties as children; a parent inside the scope is visible', async () => {
    const r = await e.gql(
      'query($id: ID!) { orgUnit(id: $id) { parent { id } } }',
      { id: ids.communityA },
      { Authorization: tokens.city },
    );
    expect(r.body.data.orgUnit.parent).toEqual({ id: ids.countyA });
  });

  it('refuses a request without a token as UNAUTHENTICATED', async () => {
    const r = await e.gql('{ orgUnits { nodes { id } } }');
    expect(codesOf(r)).toEqual(['UNAUTHENTICATED']);
  });
});
