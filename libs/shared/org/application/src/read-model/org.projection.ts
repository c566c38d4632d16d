import type { RecordedEvent } from '@gongzhi/event-store';
import {
  childPath,
  depthOf,
  ORG_UNIT_EVENT_TYPES,
  type OrgUnitEvent,
  STAFF_EVENT_TYPES,
  type StaffEvent,
} from '@gongzhi/org-domain';
import { defineProjection, type Projection, type ProjectionContext } from '@gongzhi/projections';
import type { EntityManager } from 'typeorm';
import { OrgUnitRow, RoleAssignmentRow, StaffRow } from './org.entities';

export const ORG_PROJECTION_NAME = 'org';

export interface OrgProjectionHooks {
  /**
   * Called after `apply` changed a path, a retirement or a role assignment, so caches of the
   * directory can be dropped. It runs before the batch commits: a cache must also expire.
   */
  onChange?(): void;
}

type OrgEvent = (OrgUnitEvent | StaffEvent) & { metadata: { occurredAt: string } };

const escapeLike = (value: string): string => value.replace(/[\\%_]/g, (c) => `\\${c}`);

const exec = (em: EntityManager, sql: string, params: Record<string, unknown>): Promise<unknown> => {
  const [text, values] = em.connection.driver.escapeQueryWithParameters(sql, params, {});
  return em.query(text, values);
};

/**
 * org_units, org_staff and org_role_assignments in one projection: a move rewrites the paths of
 * all three in the same transaction as the checkpoint.
 *
 * Paths come from this read model's own rows (the parent's current path), not from the path the
 * event carries: events are applied in global order, so the parent row already reflects every
 * move committed before the event, even one the command handler had not seen yet.
 */
export const createOrgProjection = (hooks: OrgProjectionHooks = {}): Projection =>
  defineProjection({
    name: ORG_PROJECTION_NAME,
    version: 1,
    handles: [...ORG_UNIT_EVENT_TYPES, ...STAFF_EVENT_TYPES],
    entities: [OrgUnitRow, StaffRow, RoleAssignmentRow],
    async apply(events: RecordedEvent[], em: EntityManager, ctx: ProjectionContext): Promise<void> {
      let changed = false;
      for (const recorded of events) {
        const event = { type: recorded.type, data: recorded.data, metadata: recorded.metadata } as unknown as OrgEvent;
        changed = (await applyOne(event, recorded.revision, em, ctx)) || changed;
      }
      if (changed) hooks.onChange?.();
    },
  });

/** Returns whether the directory's answers may have changed. */
const applyOne = async (event: OrgEvent, revision: number, em: EntityManager, ctx: ProjectionContext): Promise<boolean> => {
  const units = ctx.repository(OrgUnitRow);
  const at = event.metadata.occurredAt;
  switch (event.type) {
    case 'OrgUnitCreated': {
      const { orgUnitId, name, kind, code, parentId } = event.data;
      const parent = parentId ? await units.findOneBy({ id: parentId }) : null;
      const path = parent ? childPath(parent.path, orgUnitId) : event.data.path;
      await units.save({
        id: orgUnitId, name, kind, code, parentId, path, depth: depthOf(path), retired: false,
        owningOrgPath: path, createdAt: at, updatedAt: at, revision,
      });
      return false;
    }
    case 'OrgUnitRenamed':
      await units.update({ id: event.data.orgUnitId }, { name: event.data.name, updatedAt: at, revision });
      return false;
    case 'OrgUnitRetired':
      await units.update({ id: event.data.orgUnitId }, { retired: true, updatedAt: at, revision });
      return true;
    case 'OrgUnitMoved': {
      const unit = await units.findOneBy({ id: event.data.orgUnitId });
      if (!unit) return false;
      const parent = event.data.toParentId ? await units.findOneBy({ id: event.data.toParentId }) : null;
      const from = unit.path;
      const to = parent ? childPath(parent.path, unit.id) : event.data.path;
      await units.update({ id: unit.id }, { parentId: event.data.toParentId, updatedAt: at, revision });
      if (from !== to) await rebaseSubtree(em, ctx, from, to);
      return true;
    }
    case 'StaffRegistered': {
      const home = await units.findOneBy({ id: event.data.orgUnitId });
      await ctx.repository(StaffRow).save({
        id: event.data.staffId,
        displayName: event.data.displayName,
        orgUnitId: event.data.orgUnitId,
        owningOrgPath: home?.path ?? event.data.orgUnitPath,
        registeredAt: at,
        revision,
      });
      return true;
    }
    case 'RoleAssigned': {
      const unit = await units.findOneBy({ id: event.data.orgUnitId });
      await ctx.repository(RoleAssignmentRow).save({
        id: event.data.assignmentId,
        staffId: event.data.staffId,
        role: event.data.role,
        scope: event.data.scope,
        orgUnitId: event.data.orgUnitId,
        owningOrgPath: unit?.path ?? event.data.orgUnitPath,
        revoked: false,
        assignedAt: at,
        revokedAt: null,
      });
      await ctx.repository(StaffRow).update({ id: event.data.staffId }, { revision });
      return true;
    }
    case 'RoleRevoked':
      await ctx.repository(RoleAssignmentRow).update({ id: event.data.assignmentId }, { revoked: true, revokedAt: at });
      await ctx.repository(StaffRow).update({ id: event.data.staffId }, { revision });
      return true;
    default:
      return false;
  }
};

/**
 * Every row owned by the moved subtree gets the new prefix, in one statement per table. Ids end
 * with '/', so the LIKE prefix cannot catch a sibling whose id merely starts the same.
 */
const rebaseSubtree = async (em: EntityManager, ctx: ProjectionContext, from: string, to: string): Promise<void> => {
  const params = { to, cut: from.length + 1, like: `${escapeLike(from)}%`, delta: depthOf(to) - depthOf(from) };
  const rebased = (column: string) => `CAST(:to AS VARCHAR(1100)) || SUBSTR(${column}, CAST(:cut AS INTEGER))`;
  await exec(
    em,
    `UPDATE ${ctx.tableName(OrgUnitRow)} SET path = ${rebased('path')}, owning_org_path = ${rebased('owning_org_path')},
       depth = depth + CAST(:delta AS INTEGER) WHERE path LIKE :like ESCAPE '\\'`,
    params,
  );
  for (const entity of [StaffRow, RoleAssignmentRow]) {
    await exec(
      em,
      `UPDATE ${ctx.tableName(entity)} SET owning_org_path = ${rebased('owning_org_path')} WHERE owning_org_path LIKE :like ESCAPE '\\'`,
      params,
    );
  }
};
