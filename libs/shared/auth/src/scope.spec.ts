import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { ForbiddenError, OutOfScopeError } from './errors';
import { buildPrincipal, systemPrincipal } from './principal';
import { Permission, Role } from './roles';
import { andWhereInScope, authorize, can, inScope, scopePredicate } from './scope';
import { principalAt } from './testing';

@Entity({ name: 'scoped_rows' })
class ScopedRow {
  @PrimaryColumn('text') id!: string;
  @Column('text') owning_org_path!: string;
}

const PROVINCE = '/p/';
const CITY = '/p/c/';
const COUNTY_A = '/p/c/ca/';
const COUNTY_B = '/p/c/cb/';
const COMMUNITY_A = '/p/c/ca/cm/';

const rows: Array<[string, string]> = [
  ['province-row', PROVINCE],
  ['city-row', CITY],
  ['a-row', COUNTY_A],
  ['b-row', COUNTY_B],
  ['community-row', COMMUNITY_A],
  ['b1-row', '/a/b1/'],
  ['b10-row', '/a/b10/'],
  ['wild-row', '/a/b_/'],
];

describe('scope predicate on a real read model (SQLite)', () => {
  let ds: DataSource;
  beforeAll(async () => {
    ds = new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [ScopedRow], synchronize: true });
    await ds.initialize();
    await ds.getRepository(ScopedRow).save(rows.map(([id, owning_org_path]) => ({ id, owning_org_path })));
  });
  afterAll(() => ds.destroy());

  const visible = async (principal: ReturnType<typeof principalAt>) => {
    const qb = ds.getRepository(ScopedRow).createQueryBuilder('r').select('r.id', 'id');
    andWhereInScope(qb, principal, 'r.owning_org_path');
    return (await qb.orderBy('r.id').getRawMany<{ id: string }>()).map((r) => r.id);
  };

  it('a county B user sees nothing of county A', async () => {
    expect(await visible(principalAt(COUNTY_B))).toEqual(['b-row']);
  });

  it('a county A user sees county A and its community, not the city above', async () => {
    expect(await visible(principalAt(COUNTY_A))).toEqual(['a-row', 'community-row']);
  });

  it('the province sees both counties', async () => {
    expect(await visible(principalAt(PROVINCE))).toEqual(['a-row', 'b-row', 'city-row', 'community-row', 'province-row']);
  });

  it('does not confuse /a/b1/ with its prefix sibling /a/b10/', async () => {
    expect(await visible(principalAt('/a/b1/'))).toEqual(['b1-row']);
    expect(await visible(principalAt('/a/b10/'))).toEqual(['b10-row']);
  });

  it('treats LIKE wildcards in a path literally', async () => {
    expect(await visible(principalAt('/a/b_/'))).toEqual(['wild-row']);
  });

  it('a unit-only scope sees rows of that unit, not of its children', async () => {
    const p = buildPrincipal({
      userId: 'u', roles: [Role.Analyst], orgUnitId: 'cb', orgUnitPath: COUNTY_B,
      extraScopes: [{ path: COUNTY_A, includeDescendants: false, roles: [Role.Analyst] }],
    });
    expect(await visible(p)).toEqual(['a-row', 'b-row']);
  });

  it('the root principal sees every row', async () => {
    expect(await visible(systemPrincipal())).toHaveLength(rows.length);
  });

  it('a principal without any scope matches nothing', () => {
    const p = { ...principalAt(COUNTY_A), scopes: [] };
    expect(scopePredicate(p).sql).toBe('(1 = 0)');
  });

  it('refuses a column expression that could smuggle SQL', () => {
    expect(() => scopePredicate(principalAt(COUNTY_A), "x' OR 1=1 --")).toThrow(/Invalid column/);
  });
});

describe('inScope, can and authorize', () => {
  it('inScope follows the subtree and nothing else', () => {
    expect(inScope(principalAt(COUNTY_A), COMMUNITY_A)).toBe(true);
    expect(inScope(principalAt(COUNTY_A), COUNTY_B)).toBe(false);
    expect(inScope(principalAt(COUNTY_A), CITY)).toBe(false);
    expect(inScope(principalAt('/a/b1/'), '/a/b10/')).toBe(false);
    expect(inScope(principalAt(COUNTY_A), undefined)).toBe(false);
    expect(inScope(principalAt(COUNTY_A), '')).toBe(false);
  });

  it('roles count only in the scope that grants them', () => {
    const p = buildPrincipal({
      userId: 'u', roles: [Role.Analyst], orgUnitId: 'c', orgUnitPath: CITY,
      extraScopes: [{ path: COUNTY_A, includeDescendants: true, roles: [Role.Admin] }],
    });
    expect(p.roles).toEqual(['analyst', 'admin']);
    expect(can(p, Permission.OrgWrite, COMMUNITY_A)).toBe(true);
    expect(can(p, Permission.OrgWrite, COUNTY_B)).toBe(false);
    expect(can(p, Permission.Read, COUNTY_B)).toBe(true);
    expect(can(p, Permission.OrgWrite)).toBe(true);
  });

  it('analysts may not unmask personal data; officers may', () => {
    expect(can(principalAt(COUNTY_A, [Role.Analyst]), Permission.PersonalDataUnmask)).toBe(false);
    expect(can(principalAt(COUNTY_A, [Role.UnionOfficer]), Permission.PersonalDataUnmask)).toBe(true);
    expect(can(principalAt(COUNTY_A, [Role.UnionOfficer]), Permission.LeagueWrite)).toBe(false);
  });

  it('authorize answers NOT_FOUND outside the scope and FORBIDDEN inside it without the permission', () => {
    const target = { orgUnitPath: COUNTY_B, what: 'OrgUnit', id: 'cb' };
    expect(() => authorize(principalAt(COUNTY_A), Permission.OrgWrite, target)).toThrow(OutOfScopeError);
    expect(() => authorize(principalAt(COUNTY_A), Permission.OrgWrite, target)).toThrow('OrgUnit cb not found');
    expect(() => authorize(principalAt(COUNTY_B, [Role.Analyst]), Permission.OrgWrite, target)).toThrow(ForbiddenError);
    expect(() => authorize(principalAt(CITY), Permission.OrgWrite, target)).not.toThrow();
  });
});
