import { authorize, inScope, OutOfScopeError, type Permission, type Principal, toRequestContext } from '@gongzhi/auth';
import type { RequestContext } from '@gongzhi/eventsourcing';
import { InvalidOrgId, isValidOrgId, type UnitSnapshot } from '@gongzhi/org-domain';
import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';
import type { CommandMeta } from './commands';
import type { LoadedUnit, OrgTree } from './org-tree';

/** Fixed forever: ids derived from a commandId must come out the same on a resend. */
const ORG_ID_NAMESPACE = '2f0f6c2e-8d43-4d8e-9a55-5a1c7d0b7e31';

/**
 * A new aggregate id: derived from the commandId when there is one, so a resent create targets
 * the same stream and is recognised as a replay; a fresh UUID v7 otherwise.
 */
export const newIdFor = (meta: CommandMeta, purpose: string): string =>
  meta.commandId ? uuidv5(`${purpose}/${meta.commandId}`, ORG_ID_NAMESPACE) : uuidv7();

export const contextOf = (principal: Principal, meta: CommandMeta): RequestContext =>
  toRequestContext(principal, meta);

export const handleOptions = (meta: CommandMeta) =>
  meta.expectedRevision === undefined ? {} : { expectedRevision: meta.expectedRevision };

export const requireValidId = (id: unknown, what: string): string => {
  if (!isValidOrgId(id)) throw new InvalidOrgId(`Invalid ${what}: lowercase letters, digits, '-' or '_' (at most 64)`);
  return id;
};

/**
 * The target of a command: missing and out-of-scope answer the same NOT_FOUND; inside the scope
 * without the permission is FORBIDDEN.
 */
export const visibleUnit = async (
  tree: OrgTree,
  principal: Principal,
  orgUnitId: string,
  permission: Permission,
): Promise<LoadedUnit> => {
  requireValidId(orgUnitId, 'org unit id');
  const unit = await tree.unit(orgUnitId);
  if (!unit || !inScope(principal, unit.path)) throw new OutOfScopeError('OrgUnit', orgUnitId);
  authorize(principal, permission, { orgUnitPath: unit.path, what: 'OrgUnit', id: orgUnitId });
  return unit;
};

/**
 * A unit a command refers to (a parent, a home unit): one outside the scope is reported to the
 * decider as absent, so the caller gets the same domain error as for a unit that does not exist.
 */
export const referencedUnit = async (
  tree: OrgTree,
  principal: Principal,
  orgUnitId: string,
  permission: Permission,
): Promise<UnitSnapshot | null> => {
  const found = await tree.snapshot(orgUnitId);
  if (!found || !inScope(principal, found.path)) return null;
  authorize(principal, permission, { orgUnitPath: found.path, what: 'OrgUnit', id: orgUnitId });
  return found;
};
