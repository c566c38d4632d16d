import { authorize, can, ForbiddenError, inScope, OutOfScopeError, Permission, type Principal, toRequestContext } from '@gongzhi/auth';
import type { HandleOptions, RequestContext } from '@gongzhi/eventsourcing';
import { isValidAggregateId } from '@gongzhi/kernel';
import type { CommandMeta, OrgTree } from '@gongzhi/org';
import { InvalidLeagueInput, type OrgUnitRef } from '@gongzhi/youth-league-domain';
import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';

/** Fixed forever: ids derived from a commandId must come out the same on a resend. */
const LEAGUE_ID_NAMESPACE = '6b1f3c52-0a8e-4f47-9d0e-4c6a2b7e9f13';

/**
 * A new id: derived from the commandId when there is one, so a resent command targets the same
 * stream (and sub-entity) and is recognised as a replay; a fresh UUID v7 otherwise.
 */
export const newIdFor = (meta: CommandMeta, purpose: string): string =>
  meta.commandId ? uuidv5(`${purpose}/${meta.commandId}`, LEAGUE_ID_NAMESPACE) : uuidv7();

/** A client-chosen id, or a derived one; ids end up in stream ids, so they are checked. */
export const idOr = (given: string | null | undefined, meta: CommandMeta, purpose: string): string => {
  const id = given ?? newIdFor(meta, purpose);
  if (!isValidAggregateId(id) || id.length > 64) throw new InvalidLeagueInput(`Invalid ${purpose} id: letters, digits, '-' or '_' (at most 64)`);
  return id;
};

export const contextOf = (principal: Principal, meta: CommandMeta): RequestContext => toRequestContext(principal, meta);

export const handleOptions = <S>(meta: CommandMeta, orgUnitPath: string, aggregateId: string): HandleOptions<S> => ({
  ...(meta.expectedRevision === undefined ? {} : { expectedRevision: meta.expectedRevision }),
  orgUnitPath,
  aggregateId,
});

/**
 * Who may organize volunteer service: league committees, community offices and unions alike
 * publish activities and record hours (the activity belongs to whichever unit organizes it).
 */
export const VOLUNTEER_SERVICE_PERMISSIONS: readonly Permission[] = [Permission.LeagueWrite, Permission.CommunityWrite, Permission.UnionWrite];

export const mayOrganize = (principal: Principal, path: string): boolean =>
  VOLUNTEER_SERVICE_PERMISSIONS.some((p) => can(principal, p, path));

/** NOT_FOUND outside the scope (as for a missing object), FORBIDDEN inside it without a write permission. */
export const authorizeOrganizer = (principal: Principal, path: string, what: string, id: string): void => {
  if (!inScope(principal, path)) throw new OutOfScopeError(what, id);
  if (!mayOrganize(principal, path)) throw new ForbiddenError(`Organizing volunteer service needs ${VOLUNTEER_SERVICE_PERMISSIONS.join(' or ')} here`);
};

export const authorizeLeague = (principal: Principal, path: string, what: string, id: string): void =>
  authorize(principal, Permission.LeagueWrite, { orgUnitPath: path, what, id });

/**
 * An org unit a command names, looked up in the event store (exact at the moment of the command).
 * Missing, retired or outside the caller's scope all answer NOT_FOUND.
 */
export const visibleUnit = async (tree: OrgTree, principal: Principal, orgUnitId: string): Promise<OrgUnitRef> => {
  const unit = await tree.unit(orgUnitId);
  if (!unit || unit.state.status === 'Retired' || !inScope(principal, unit.path)) throw new OutOfScopeError('OrgUnit', orgUnitId);
  return { orgUnitId, path: unit.path };
};

/** An org unit referenced without regard to the caller's scope (an activity's organizer). */
export const existingUnit = async (tree: OrgTree, orgUnitId: string): Promise<OrgUnitRef> => {
  const unit = await tree.unit(orgUnitId);
  if (!unit) throw new OutOfScopeError('OrgUnit', orgUnitId);
  return { orgUnitId, path: unit.path };
};
