import { Inject, Injectable } from '@nestjs/common';
import { andWhereInScope, escapeLike, OutOfScopeError, type Principal } from '@gongzhi/auth';
import { DataSource } from 'typeorm';
import { OrgUnitRow, RoleAssignmentRow, StaffRow } from '../read-model/org.entities';
import { ORG_READ_STORE } from '../read-store.token';

/** Upper bound on ids per batched lookup (DataLoader batches). */
const MAX_BATCH = 500;

/**
 * Every read of the org tables, each one filtered by the caller's scope in SQL: a row outside
 * it is never loaded, so a resolver cannot leak it by mistake. Single-object lookups answer
 * undefined for "missing" and "outside" alike.
 */
@Injectable()
export class OrgReadModel {
  constructor(@Inject(ORG_READ_STORE) private readonly dataSource: DataSource) {}

  private units(principal: Principal) {
    return andWhereInScope(this.dataSource.getRepository(OrgUnitRow).createQueryBuilder('u'), principal, 'u.owning_org_path', 'scope');
  }

  async orgUnit(principal: Principal, id: string): Promise<OrgUnitRow | undefined> {
    return (await this.units(principal).andWhere('u.id = :id', { id }).getOne()) ?? undefined;
  }

  /**
   * Units in scope, in tree order (by path). `underId`: only that unit's descendants (NOT_FOUND
   * when it is not visible). `afterPath`: keyset cursor.
   */
  async orgUnits(
    principal: Principal,
    options: { underId?: string | null; afterPath?: string | null; limit: number; includeRetired?: boolean },
  ): Promise<OrgUnitRow[]> {
    const qb = this.units(principal);
    if (options.underId) {
      const under = await this.orgUnit(principal, options.underId);
      if (!under) throw new OutOfScopeError('OrgUnit', options.underId);
      qb.andWhere("u.path LIKE :under ESCAPE '\\'", { under: `${escapeLike(under.path)}_%` });
    }
    if (!options.includeRetired) qb.andWhere('u.retired = :retired', { retired: false });
    if (options.afterPath) qb.andWhere('u.path > :afterPath', { afterPath: options.afterPath });
    return qb.orderBy('u.path', 'ASC').take(options.limit).getMany();
  }

  /** Visible units by id (for parent lookups); ids outside the scope are simply absent. */
  async orgUnitsByIds(principal: Principal, ids: readonly string[]): Promise<Map<string, OrgUnitRow>> {
    const out = new Map<string, OrgUnitRow>();
    for (const part of chunks(ids)) {
      const rows = await this.units(principal).andWhere('u.id IN (:...ids)', { ids: part }).getMany();
      for (const row of rows) out.set(row.id, row);
    }
    return out;
  }

  /** Visible children of each parent, by name. */
  async childrenOf(
    principal: Principal,
    parentIds: readonly string[],
    includeRetired = false,
  ): Promise<Map<string, OrgUnitRow[]>> {
    const out = new Map<string, OrgUnitRow[]>(parentIds.map((id) => [id, []]));
    for (const part of chunks(parentIds)) {
      const qb = this.units(principal).andWhere('u.parent_id IN (:...ids)', { ids: part });
      if (!includeRetired) qb.andWhere('u.retired = :retired', { retired: false });
      for (const row of await qb.orderBy('u.name', 'ASC').addOrderBy('u.id', 'ASC').getMany()) {
        if (row.parentId !== null) out.get(row.parentId)?.push(row);
      }
    }
    return out;
  }

  private staffQuery(principal: Principal) {
    return andWhereInScope(this.dataSource.getRepository(StaffRow).createQueryBuilder('s'), principal, 's.owning_org_path', 'scope');
  }

  async staffMember(principal: Principal, id: string): Promise<StaffRow | undefined> {
    return (await this.staffQuery(principal).andWhere('s.id = :id', { id }).getOne()) ?? undefined;
  }

  /** Staff in scope by id; `orgUnitId` narrows to a unit (and its subtree unless `directOnly`). */
  async staff(
    principal: Principal,
    options: { orgUnitId?: string | null; directOnly?: boolean; afterId?: string | null; limit: number },
  ): Promise<StaffRow[]> {
    const qb = this.staffQuery(principal);
    if (options.orgUnitId) {
      const unit = await this.orgUnit(principal, options.orgUnitId);
      if (!unit) throw new OutOfScopeError('OrgUnit', options.orgUnitId);
      if (options.directOnly) qb.andWhere('s.org_unit_id = :unitId', { unitId: unit.id });
      else qb.andWhere("s.owning_org_path LIKE :under ESCAPE '\\'", { under: `${escapeLike(unit.path)}%` });
    }
    if (options.afterId) qb.andWhere('s.id > :afterId', { afterId: options.afterId });
    return qb.orderBy('s.id', 'ASC').take(options.limit).getMany();
  }

  /** Visible role assignments of each staff member (held in units inside the scope). */
  async assignmentsOf(
    principal: Principal,
    staffIds: readonly string[],
    includeRevoked = false,
  ): Promise<Map<string, RoleAssignmentRow[]>> {
    const out = new Map<string, RoleAssignmentRow[]>(staffIds.map((id) => [id, []]));
    for (const part of chunks(staffIds)) {
      const qb = andWhereInScope(
        this.dataSource.getRepository(RoleAssignmentRow).createQueryBuilder('a'),
        principal,
        'a.owning_org_path',
        'scope',
      ).andWhere('a.staff_id IN (:...ids)', { ids: part });
      if (!includeRevoked) qb.andWhere('a.revoked = :revoked', { revoked: false });
      for (const row of await qb.orderBy('a.assigned_at', 'ASC').addOrderBy('a.id', 'ASC').getMany()) {
        out.get(row.staffId)?.push(row);
      }
    }
    return out;
  }
}

const chunks = (ids: readonly string[]): string[][] => {
  const unique = [...new Set(ids)];
  const out: string[][] = [];
  for (let i = 0; i < unique.length; i += MAX_BATCH) out.push(unique.slice(i, i + MAX_BATCH));
  return out;
};
