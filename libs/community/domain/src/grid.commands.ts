import type { Command } from '@gongzhi/kernel';

/** What the handler found about the community before deciding (the decider cannot look it up). */
export interface CommunitySnapshot {
  communityId: string;
  path: string;
  /** An active org unit of kind community. */
  usable: boolean;
}

export type DefineGrid = Command<
  'DefineGrid',
  {
    gridId: string;
    community: CommunitySnapshot | null;
    name: string;
    area: string;
    workerStaffId: string;
    /** Whether the handler found the worker among the community's staff. */
    workerFound: boolean;
    supervisionPhone: string;
  }
>;

export type ReassignGridWorker = Command<
  'ReassignGridWorker',
  { gridId: string; toStaffId: string; workerFound: boolean; reason: string }
>;

export type RetireGrid = Command<'RetireGrid', { gridId: string; reason: string; openIncidents: number }>;

export type GridCommand = DefineGrid | ReassignGridWorker | RetireGrid;
