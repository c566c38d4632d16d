import { Injectable } from '@nestjs/common';
import { AggregateReader } from '@gongzhi/eventsourcing';
import {
  childPath,
  isValidOrgId,
  MAX_DEPTH,
  type OrgUnit,
  orgUnitDecider,
  orgUnitStream,
  type Staff,
  staffDecider,
  staffStream,
  type UnitSnapshot,
} from '@gongzhi/org-domain';

export type ExistingOrgUnit = Exclude<OrgUnit, { status: 'None' }>;

export interface LoadedUnit {
  state: ExistingOrgUnit;
  revision: number;
  /** Current materialized path, from the streams of the unit and its ancestors. */
  path: string;
}

/**
 * Looks units up in the event store, not the read model: parent existence, retirement and the
 * current path (folded up the ancestor chain) are exact at the moment of the command, even when
 * a projection lags behind. A tree is shallow (MAX_DEPTH), so that is a handful of stream reads.
 */
@Injectable()
export class OrgTree {
  constructor(private readonly reader: AggregateReader) {}

  async unit(orgUnitId: string): Promise<LoadedUnit | undefined> {
    if (!isValidOrgId(orgUnitId)) return undefined;
    const loaded = await this.reader.load(orgUnitDecider, orgUnitStream(orgUnitId));
    if (loaded.state.status === 'None') return undefined;
    const state = loaded.state;
    const ancestors: string[] = [];
    const seen = new Set([orgUnitId]);
    let parentId = state.parentId;
    while (parentId !== null) {
      // A cycle can only come from concurrent moves in different processes; never loop on one.
      if (seen.has(parentId) || ancestors.length > MAX_DEPTH * 2) return undefined;
      seen.add(parentId);
      ancestors.unshift(parentId);
      const parent = await this.reader.load(orgUnitDecider, orgUnitStream(parentId));
      if (parent.state.status === 'None') return undefined;
      parentId = parent.state.parentId;
    }
    let path: string | null = null;
    for (const id of ancestors) path = childPath(path, id);
    return { state, revision: loaded.revision, path: childPath(path, orgUnitId) };
  }

  async snapshot(orgUnitId: string): Promise<UnitSnapshot | null> {
    const unit = await this.unit(orgUnitId);
    return unit ? { orgUnitId, path: unit.path, retired: unit.state.status === 'Retired' } : null;
  }

  async staff(staffId: string): Promise<{ state: Exclude<Staff, { status: 'None' }>; revision: number } | undefined> {
    if (!isValidOrgId(staffId)) return undefined;
    const loaded = await this.reader.load(staffDecider, staffStream(staffId));
    return loaded.state.status === 'None' ? undefined : { state: loaded.state, revision: loaded.revision };
  }
}

/**
 * Serializes structural changes (create, move, retire) within this process, so two moves cannot
 * both pass the cycle check on the same picture of the tree. Across processes the distributed
 * deployment runs the org context in one service.
 */
@Injectable()
export class OrgStructureLock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
