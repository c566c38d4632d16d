import type { Event } from '@gongzhi/kernel';

/**
 * A grid (網格) is an org unit of kind `grid` under a community: the org context owns its place
 * in the tree (id, name, path, moves, retirement), this context owns what makes it a grid — the
 * publicly posted profile (滨州市社会治理网格化服务管理条例 Art 6: name, area, grid worker and
 * supervision phone are posted) and who patrols it. Both share the id, and the grid's events
 * carry the grid unit's path, so scoping is the org tree's.
 */
export type GridDefined = Event<
  'GridDefined',
  {
    gridId: string;
    communityId: string;
    name: string;
    /** The area in words: streets, buildings, landmarks bounding it. */
    area: string;
    /** The grid worker (網格員): a staff member of the org context. */
    workerStaffId: string;
    /** The public supervision phone, posted in the grid (not a resident's personal data). */
    supervisionPhone: string;
    definedAt: string;
  }
>;

export type GridWorkerReassigned = Event<
  'GridWorkerReassigned',
  { gridId: string; fromStaffId: string; toStaffId: string; reason: string; reassignedAt: string }
>;

export type GridRetired = Event<'GridRetired', { gridId: string; reason: string; retiredAt: string }>;

export type GridEvent = GridDefined | GridWorkerReassigned | GridRetired;

export const GRID_EVENT_TYPES: readonly GridEvent['type'][] = ['GridDefined', 'GridWorkerReassigned', 'GridRetired'];
