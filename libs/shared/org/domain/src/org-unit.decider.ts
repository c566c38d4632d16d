import { assertNever, type Decider, type NewEvent } from '@gongzhi/kernel';
import type { CreateOrgUnit, MoveOrgUnit, OrgUnitCommand, RenameOrgUnit, RetireOrgUnit, UnitSnapshot } from './org-unit.commands';
import { ORG_UNIT_KINDS, type OrgUnitEvent, type OrgUnitKind } from './org-unit.events';
import {
  InvalidOrgId,
  InvalidOrgUnitCode,
  InvalidOrgUnitKind,
  InvalidOrgUnitName,
  OrgCycle,
  OrgTreeTooDeep,
  OrgUnitAlreadyExists,
  OrgUnitHasActiveChildren,
  OrgUnitNotFound,
  OrgUnitIsRetired,
  ParentNotFound,
  ParentRetired,
} from './org.errors';
import { childPath, depthOf, isValidOrgId, isValidPath, isWithin, MAX_DEPTH, pathIds } from './org-path';

export type OrgUnit =
  | { status: 'None' }
  | {
      status: 'Active' | 'Retired';
      orgUnitId: string;
      name: string;
      kind: OrgUnitKind;
      code: string | null;
      parentId: string | null;
    };

export const MAX_NAME_LENGTH = 100;
const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;

const normalizeName = (name: unknown): string => {
  const trimmed = typeof name === 'string' ? name.trim().replace(/\s+/g, ' ') : '';
  if (trimmed.length === 0 || trimmed.length > MAX_NAME_LENGTH) {
    throw new InvalidOrgUnitName(`An org unit name needs 1 to ${MAX_NAME_LENGTH} characters`);
  }
  return trimmed;
};

const checkId = (id: unknown, what = 'org unit id'): string => {
  if (!isValidOrgId(id)) {
    throw new InvalidOrgId(`Invalid ${what}: lowercase letters, digits, '-' or '_' (at most 64), not a reserved id`);
  }
  return id;
};

/** Parent checks shared by create and move; returns the parent's path (null at the top level). */
const checkParent = (parentId: string | null | undefined, parent: UnitSnapshot | null | undefined): string | null => {
  if (parentId === null || parentId === undefined) return null;
  checkId(parentId, 'parent id');
  if (!parent || parent.orgUnitId !== parentId || !isValidPath(parent.path)) throw new ParentNotFound(parentId);
  if (parent.retired) throw new ParentRetired(parentId);
  return parent.path;
};

const requireActive = (state: OrgUnit, orgUnitId: string) => {
  if (state.status === 'None') throw new OrgUnitNotFound(orgUnitId);
  if (state.status === 'Retired') throw new OrgUnitIsRetired(orgUnitId);
  return state;
};

const checkCurrentPath = (orgUnitId: string, path: string): string => {
  const ids = pathIds(path);
  if (!isValidPath(path) || ids[ids.length - 1] !== orgUnitId) throw new OrgUnitNotFound(orgUnitId);
  return path;
};

const create = ({ data }: CreateOrgUnit, state: OrgUnit): NewEvent<OrgUnitEvent>[] => {
  const orgUnitId = checkId(data.orgUnitId);
  if (state.status !== 'None') throw new OrgUnitAlreadyExists(orgUnitId);
  const name = normalizeName(data.name);
  if (!(ORG_UNIT_KINDS as readonly string[]).includes(data.kind)) {
    throw new InvalidOrgUnitKind(`Unknown org unit kind`, { kind: String(data.kind) });
  }
  const code = data.code === undefined || data.code === null || data.code === '' ? null : data.code;
  if (code !== null && !CODE.test(code)) throw new InvalidOrgUnitCode('An org unit code is 1 to 32 letters, digits, ".", "_" or "-"');
  const parentPath = checkParent(data.parentId, data.parent);
  const path = childPath(parentPath, orgUnitId);
  if (depthOf(path) > MAX_DEPTH) throw new OrgTreeTooDeep(`The tree may be at most ${MAX_DEPTH} levels deep`);
  return [
    {
      type: 'OrgUnitCreated',
      data: { orgUnitId, name, kind: data.kind, code, parentId: data.parentId ?? null, path },
    },
  ];
};

const rename = ({ data }: RenameOrgUnit, state: OrgUnit): NewEvent<OrgUnitEvent>[] => {
  const unit = requireActive(state, data.orgUnitId);
  const name = normalizeName(data.name);
  if (name === unit.name) return [];
  return [{ type: 'OrgUnitRenamed', data: { orgUnitId: unit.orgUnitId, name, previousName: unit.name } }];
};

const move = ({ data }: MoveOrgUnit, state: OrgUnit): NewEvent<OrgUnitEvent>[] => {
  const unit = requireActive(state, data.orgUnitId);
  const previousPath = checkCurrentPath(unit.orgUnitId, data.currentPath);
  const newParentId = data.newParentId ?? null;
  if (newParentId === unit.orgUnitId) throw new OrgCycle(unit.orgUnitId, newParentId);
  if (newParentId === unit.parentId) return [];
  const parentPath = checkParent(newParentId, data.newParent);
  // The new parent's path contains this unit's path exactly when it is a descendant.
  if (newParentId !== null && parentPath !== null && isWithin(parentPath, previousPath)) {
    throw new OrgCycle(unit.orgUnitId, newParentId);
  }
  const path = childPath(parentPath, unit.orgUnitId);
  if (depthOf(path) > MAX_DEPTH) throw new OrgTreeTooDeep(`The tree may be at most ${MAX_DEPTH} levels deep`);
  return [
    { type: 'OrgUnitMoved', data: { orgUnitId: unit.orgUnitId, fromParentId: unit.parentId, toParentId: newParentId, previousPath, path } },
  ];
};

const retire = ({ data }: RetireOrgUnit, state: OrgUnit): NewEvent<OrgUnitEvent>[] => {
  const unit = requireActive(state, data.orgUnitId);
  const path = checkCurrentPath(unit.orgUnitId, data.currentPath);
  // Retiring a parent would strand its active children outside any live unit.
  if (data.activeChildren > 0) throw new OrgUnitHasActiveChildren(unit.orgUnitId, data.activeChildren);
  const reason = typeof data.reason === 'string' && data.reason.trim() !== '' ? data.reason.trim().slice(0, 500) : null;
  return [{ type: 'OrgUnitRetired', data: { orgUnitId: unit.orgUnitId, path, reason } }];
};

export const decide = (command: OrgUnitCommand, state: OrgUnit): NewEvent<OrgUnitEvent>[] => {
  switch (command.type) {
    case 'CreateOrgUnit':
      return create(command, state);
    case 'RenameOrgUnit':
      return rename(command, state);
    case 'MoveOrgUnit':
      return move(command, state);
    case 'RetireOrgUnit':
      return retire(command, state);
    default:
      return assertNever(command);
  }
};

export const evolve = (state: OrgUnit, event: OrgUnitEvent): OrgUnit => {
  switch (event.type) {
    case 'OrgUnitCreated':
      return {
        status: 'Active',
        orgUnitId: event.data.orgUnitId,
        name: event.data.name,
        kind: event.data.kind,
        code: event.data.code,
        parentId: event.data.parentId,
      };
    case 'OrgUnitRenamed':
      return state.status === 'None' ? state : { ...state, name: event.data.name };
    case 'OrgUnitMoved':
      return state.status === 'None' ? state : { ...state, parentId: event.data.toParentId };
    case 'OrgUnitRetired':
      return state.status === 'None' ? state : { ...state, status: 'Retired' };
    default:
      return assertNever(event);
  }
};

export const initialOrgUnit: OrgUnit = { status: 'None' };

export const orgUnitDecider: Decider<OrgUnit, OrgUnitCommand, OrgUnitEvent> = {
  decide,
  evolve,
  initialState: initialOrgUnit,
};
