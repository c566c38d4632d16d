import { Inject, Injectable } from '@nestjs/common';
import type { OrgDirectory, OrgScope, Role } from '@gongzhi/auth';
import { DataSource } from 'typeorm';
import { OrgUnitRow, RoleAssignmentRow } from '../read-model/org.entities';
import { ORG_READ_STORE } from '../read-store.token';

export const DEFAULT_DIRECTORY_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

interface Entry<T> {
  value: T;
  expiresAt: number;
}

/**
 * The OrgDirectory port over the org read model, asked once per authenticated request. A small
 * cache keeps that off the database; the org projection clears it when paths, retirements or
 * assignments change, and entries expire after `ttlMs` anyway, because the projection clears it
 * before its transaction commits and other processes' projections cannot reach this cache.
 */
@Injectable()
export class ReadModelOrgDirectory implements OrgDirectory {
  private readonly paths = new Map<string, Entry<string | undefined>>();
  private readonly grants = new Map<string, Entry<readonly OrgScope[]>>();
  ttlMs = DEFAULT_DIRECTORY_TTL_MS;

  constructor(@Inject(ORG_READ_STORE) private readonly dataSource: DataSource) {}

  invalidate(): void {
    this.paths.clear();
    this.grants.clear();
  }

  async resolvePath(orgUnitId: string): Promise<string | undefined> {
    return this.cached(this.paths, orgUnitId, async () => {
      const row = await this.dataSource.getRepository(OrgUnitRow).findOneBy({ id: orgUnitId });
      return row && !row.retired ? row.path : undefined;
    });
  }

  async grantsOf(userId: string): Promise<readonly OrgScope[]> {
    return this.cached(this.grants, userId, async () => {
      const rows = await this.dataSource
        .getRepository(RoleAssignmentRow)
        .createQueryBuilder('a')
        .innerJoin(OrgUnitRow, 'u', 'u.id = a.org_unit_id AND u.retired = :retired', { retired: false })
        .where('a.staff_id = :userId AND a.revoked = :revoked', { userId, revoked: false })
        .orderBy('a.id')
        .getMany();
      return rows.map((a) => ({ path: a.owningOrgPath, includeDescendants: a.scope === 'subtree', roles: [a.role as Role] }));
    });
  }

  private async cached<T>(map: Map<string, Entry<T>>, key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = map.get(key);
    if (hit && hit.expiresAt > now) return hit.value;
    const value = await load();
    if (map.size >= MAX_ENTRIES) map.clear();
    map.set(key, { value, expiresAt: now + this.ttlMs });
    return value;
  }
}
