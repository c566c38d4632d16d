import type { Principal } from '@gongzhi/auth';
import type { OrgReadModel, OrgUnitRow, RoleAssignmentRow } from '@gongzhi/org';
import DataLoader from 'dataloader';

export interface OrgLoaders {
  /** Visible unit by id; null when missing or outside the caller's scope. */
  unit: DataLoader<string, OrgUnitRow | null>;
  /** Visible children, by name; key `<parentId>|<includeRetired>`. */
  children: DataLoader<string, OrgUnitRow[]>;
  /** Visible, active role assignments of a staff member. */
  assignments: DataLoader<string, RoleAssignmentRow[]>;
}

const perRequest = new WeakMap<object, OrgLoaders>();

/**
 * One loader set per request (keyed by the request object), so nested fields of one query are
 * batched into one scoped SQL statement per level, and nothing is cached across requests or
 * across callers.
 */
export const orgLoaders = (req: object, principal: Principal, readModel: OrgReadModel): OrgLoaders => {
  let loaders = perRequest.get(req);
  if (!loaders) {
    loaders = {
      unit: new DataLoader(async (ids) => {
        const found = await readModel.orgUnitsByIds(principal, ids);
        return ids.map((id) => found.get(id) ?? null);
      }),
      children: new DataLoader(async (keys) => {
        const out = new Map<string, OrgUnitRow[]>();
        for (const includeRetired of [false, true]) {
          const parents = keys.filter((k) => k.endsWith(`|${includeRetired}`)).map((k) => k.slice(0, k.lastIndexOf('|')));
          if (parents.length === 0) continue;
          const children = await readModel.childrenOf(principal, parents, includeRetired);
          for (const parent of parents) {
            out.set(`${parent}|${includeRetired}`, children.get(parent) ?? []);
          }
        }
        return keys.map((k) => out.get(k) ?? []);
      }),
      assignments: new DataLoader(async (staffIds) => {
        const found = await readModel.assignmentsOf(principal, staffIds);
        return staffIds.map((id) => found.get(id) ?? []);
      }),
    };
    perRequest.set(req, loaders);
  }
  return loaders;
};
