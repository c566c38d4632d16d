import { Inject, Injectable } from '@nestjs/common';
import { authorize, buildPrincipal, inScope, OutOfScopeError, Role, toRequestContext, type Permission, type Principal } from '@gongzhi/auth';
import { gridDecider, gridStream, type Grid, type UnitRef } from '@gongzhi/community-domain';
import { AggregateReader, type RequestContext } from '@gongzhi/eventsourcing';
import { OrgTree, OrgUnitRow, type LoadedUnit } from '@gongzhi/org';
import { isValidAggregateId } from '@gongzhi/kernel';
import { DataSource } from 'typeorm';
import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';
import { COMMUNITY_READ_STORE } from '../tokens';
import type { CommandMeta } from './commands';

/** Fixed forever: ids derived from a commandId or a ticket must come out the same on a resend. */
const COMMUNITY_ID_NAMESPACE = '8e3b1c52-3a57-4b8f-9d5c-1f6e2a9b7c40';

/**
 * A new aggregate id: derived from the commandId when there is one, so a resent create targets
 * the same stream and is recognised as a replay; a fresh UUID v7 otherwise.
 */
export const newIdFor = (meta: CommandMeta, purpose: string): string =>
  meta.commandId ? uuidv5(`${purpose}/${meta.commandId}`, COMMUNITY_ID_NAMESPACE) : uuidv7();

/** A follow-up command's id, derived from the one that caused it (so a retry repeats it exactly). */
export const derivedCommandId = (commandId: string, step: string): string => uuidv5(`${step}/${commandId}`, COMMUNITY_ID_NAMESPACE);

/** The incident id of a 12345 ticket: one stream per ticket, whatever message brought it. */
export const hotlineIncidentId = (ticketNumber: string): string => uuidv5(`12345/${ticketNumber.trim()}`, COMMUNITY_ID_NAMESPACE);

export const contextOf = (principal: Principal, meta: CommandMeta): RequestContext => toRequestContext(principal, meta);

export const handleOptions = (meta: CommandMeta) => (meta.expectedRevision === undefined ? {} : { expectedRevision: meta.expectedRevision });

/**
 * The caller, allowed in addition to manage org units under `path` for one command. A community
 * officer defines and retires the grids of their own community; the org context checks the
 * structural rules (parent exists, no cycle, no active children) as for anyone else.
 */
export const withOrgWriteUnder = (principal: Principal, path: string): Principal =>
  buildPrincipal({
    userId: principal.userId,
    roles: principal.scopes[0]?.roles ?? principal.roles,
    orgUnitId: principal.orgUnitId,
    orgUnitPath: principal.orgUnitPath,
    extraScopes: [...principal.scopes.slice(1), { path, includeDescendants: true, roles: [Role.Admin] }],
  });

export interface ActiveGrid {
  state: Exclude<Grid, { status: 'None' }>;
  unit: LoadedUnit;
}

/**
 * Looks org units and grids up where they are exact at the moment of the command: the org
 * streams (through OrgTree) and the grid streams. Read models only serve code lookups.
 */
@Injectable()
export class CommunityUnits {
  constructor(
    private readonly tree: OrgTree,
    private readonly reader: AggregateReader,
    @Inject(COMMUNITY_READ_STORE) private readonly ds: DataSource,
  ) {}

  unit(orgUnitId: string): Promise<LoadedUnit | undefined> {
    return this.tree.unit(orgUnitId);
  }

  /** A unit the caller may act on with `permission`; NOT_FOUND when missing or out of scope. */
  async visible(principal: Principal, orgUnitId: string, permission: Permission, what = 'OrgUnit'): Promise<LoadedUnit> {
    const unit = await this.tree.unit(orgUnitId);
    if (!unit || !inScope(principal, unit.path)) throw new OutOfScopeError(what, orgUnitId);
    authorize(principal, permission, { orgUnitPath: unit.path, what, id: orgUnitId });
    return unit;
  }

  /** An active community the caller can see, as the decider's snapshot; null when there is none. */
  async community(principal: Principal, communityId: string): Promise<UnitRef | null> {
    const unit = await this.tree.unit(communityId);
    if (!unit || unit.state.kind !== 'community' || unit.state.status !== 'Active' || !inScope(principal, unit.path)) return null;
    return { orgUnitId: communityId, path: unit.path };
  }

  /** A unit that can take a dispatched case: active and inside the dispatcher's scope. */
  async responsibleUnit(principal: Principal, orgUnitId: string): Promise<UnitRef | null> {
    const unit = await this.tree.unit(orgUnitId);
    if (!unit || unit.state.status !== 'Active' || !inScope(principal, unit.path)) return null;
    return { orgUnitId, path: unit.path };
  }

  /** The grid's profile and its org unit, when both exist and the grid is active. */
  async activeGrid(gridId: string): Promise<ActiveGrid | undefined> {
    if (!isValidAggregateId(gridId)) return undefined;
    const [loaded, unit] = await Promise.all([this.reader.load(gridDecider, gridStream(gridId)), this.tree.unit(gridId)]);
    if (loaded.state.status !== 'Active' || !unit || unit.state.status !== 'Active') return undefined;
    return { state: loaded.state, unit };
  }

  async gridState(gridId: string): Promise<Grid> {
    if (!isValidAggregateId(gridId)) return { status: 'None' };
    return (await this.reader.load(gridDecider, gridStream(gridId))).state;
  }

  /** Whether the staff member is registered in the unit's subtree (a grid worker of that community). */
  async staffWithin(staffId: string, path: string): Promise<boolean> {
    const staff = await this.tree.staff(staffId);
    if (!staff) return false;
    const home = await this.tree.unit(staff.state.orgUnitId);
    return !!home && home.path.startsWith(path);
  }

  /** An org unit id from an id or an administrative code (what the hotline centre sends). */
  async idForCode(code: string): Promise<string | undefined> {
    const byId = await this.tree.unit(code);
    if (byId) return code;
    const row = await this.ds.getRepository(OrgUnitRow).findOne({ where: { code, retired: false }, select: { id: true } });
    return row?.id;
  }
}
