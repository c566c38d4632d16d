import type { Command } from '@gongzhi/kernel';
import type { OrgUnitKind } from './org-unit.events';

/**
 * What the handler found out about another unit (a parent, a move target) before deciding: the
 * decider cannot look it up itself and stays pure. `null` means the handler found no such unit.
 */
export interface UnitSnapshot {
  orgUnitId: string;
  /** Current materialized path. */
  path: string;
  retired: boolean;
}

export type CreateOrgUnit = Command<
  'CreateOrgUnit',
  {
    orgUnitId: string;
    name: string;
    kind: OrgUnitKind;
    code?: string | null;
    /** null or absent: a top-level unit. */
    parentId?: string | null;
    /** The parent as the handler found it; required when parentId is set. */
    parent?: UnitSnapshot | null;
  }
>;

export type RenameOrgUnit = Command<'RenameOrgUnit', { orgUnitId: string; name: string }>;

export type MoveOrgUnit = Command<
  'MoveOrgUnit',
  {
    orgUnitId: string;
    /** null: move to the top level. */
    newParentId: string | null;
    newParent?: UnitSnapshot | null;
    /** The unit's own current path (its ancestors may have moved since it was created). */
    currentPath: string;
  }
>;

export type RetireOrgUnit = Command<
  'RetireOrgUnit',
  {
    orgUnitId: string;
    reason?: string | null;
    currentPath: string;
    /** Children not yet retired, as the handler counted them. */
    activeChildren: number;
  }
>;

export type OrgUnitCommand = CreateOrgUnit | RenameOrgUnit | MoveOrgUnit | RetireOrgUnit;
