import { assertNever, type Decider, type NewEvent } from '@gongzhi/kernel';
import {
  CommunityNotFound,
  GridAlreadyDefined,
  GridHasOpenIncidents,
  GridNotFound,
  GridIsRetired,
  GridWorkerNotFound,
  InvalidCommunityInput,
  ReasonRequired,
  SameGridWorker,
} from './community.errors';
import type { DefineGrid, GridCommand, ReassignGridWorker, RetireGrid } from './grid.commands';
import type { GridEvent } from './grid.events';
import { cleanText } from './text-rules';

export type Grid =
  | { status: 'None' }
  | { status: 'Active' | 'Retired'; gridId: string; communityId: string; name: string; workerStaffId: string; orgUnitPath: string };

/**
 * A public phone as it is posted: digits grouped by dashes (`0512-63012345`, `138-1234-5678`).
 * It is the grid's published contact (Art 6 requires posting it), so it is stored in clear,
 * unlike a resident's phone; the grouping is the display form people dial from a notice board.
 */
export const publicPhone = (raw: unknown): string => {
  if (typeof raw !== 'string') throw new InvalidCommunityInput('supervisionPhone is required', { field: 'supervisionPhone' });
  const compact = raw.normalize('NFKC').replace(/[\s()]/g, '').replace(/^(\+86|0086)-?/, '');
  const digits = compact.replace(/-/g, '');
  if (!/^\d{5,15}$/.test(digits) || !/^[\d-]+$/.test(compact)) {
    throw new InvalidCommunityInput('supervisionPhone must be a phone number (digits, optionally grouped by dashes)', { field: 'supervisionPhone' });
  }
  if (/^1[3-9]\d{9}$/.test(digits)) return `${digits.slice(0, 3)}-${digits.slice(3, 7)}-${digits.slice(7)}`;
  if (compact.includes('-')) return compact;
  // Landline without a dash: split the area code (3 digits for 010/02x, else 4).
  const area = /^0(10|2\d)/.test(digits) ? 3 : /^0/.test(digits) ? 4 : 0;
  return area && digits.length > area + 4 ? `${digits.slice(0, area)}-${digits.slice(area)}` : digits;
};

const defineGrid = ({ data, metadata }: DefineGrid, state: Grid): NewEvent<GridEvent>[] => {
  if (state.status !== 'None') throw new GridAlreadyDefined(data.gridId);
  if (!data.community || !data.community.usable) throw new CommunityNotFound(data.community?.communityId ?? '');
  if (!data.workerFound) throw new GridWorkerNotFound(data.workerStaffId);
  return [
    {
      type: 'GridDefined',
      data: {
        gridId: data.gridId,
        communityId: data.community.communityId,
        name: cleanText('name', data.name, 100),
        area: cleanText('area', data.area, 500),
        workerStaffId: data.workerStaffId,
        supervisionPhone: publicPhone(data.supervisionPhone),
        definedAt: metadata.now,
      },
    },
  ];
};

const reassign = ({ data, metadata }: ReassignGridWorker, state: Grid): NewEvent<GridEvent>[] => {
  if (state.status === 'None') throw new GridNotFound(data.gridId);
  if (state.status === 'Retired') throw new GridIsRetired(data.gridId);
  if (!data.workerFound) throw new GridWorkerNotFound(data.toStaffId);
  if (data.toStaffId === state.workerStaffId) throw new SameGridWorker(data.toStaffId);
  const reason = cleanText('reason', data.reason, 500, { optional: true });
  if (!reason) throw new ReasonRequired('Reassigning the grid worker');
  return [
    {
      type: 'GridWorkerReassigned',
      data: { gridId: data.gridId, fromStaffId: state.workerStaffId, toStaffId: data.toStaffId, reason, reassignedAt: metadata.now },
    },
  ];
};

const retire = ({ data, metadata }: RetireGrid, state: Grid): NewEvent<GridEvent>[] => {
  if (state.status === 'None') throw new GridNotFound(data.gridId);
  if (state.status === 'Retired') return [];
  const reason = cleanText('reason', data.reason, 500, { optional: true });
  if (!reason) throw new ReasonRequired('Retiring a grid');
  // Full coverage (the source documents' 全覆蓋): a retired grid must not leave cases without an owner.
  if (data.openIncidents > 0) throw new GridHasOpenIncidents(data.gridId, data.openIncidents);
  return [{ type: 'GridRetired', data: { gridId: data.gridId, reason, retiredAt: metadata.now } }];
};

export const decideGrid = (command: GridCommand, state: Grid): NewEvent<GridEvent>[] => {
  switch (command.type) {
    case 'DefineGrid':
      return defineGrid(command, state);
    case 'ReassignGridWorker':
      return reassign(command, state);
    case 'RetireGrid':
      return retire(command, state);
    default:
      return assertNever(command);
  }
};

export const evolveGrid = (state: Grid, event: GridEvent): Grid => {
  switch (event.type) {
    case 'GridDefined':
      return {
        status: 'Active',
        gridId: event.data.gridId,
        communityId: event.data.communityId,
        name: event.data.name,
        workerStaffId: event.data.workerStaffId,
        orgUnitPath: event.metadata.orgUnitPath,
      };
    case 'GridWorkerReassigned':
      return state.status === 'None' ? state : { ...state, workerStaffId: event.data.toStaffId };
    case 'GridRetired':
      return state.status === 'None' ? state : { ...state, status: 'Retired' };
    default:
      return assertNever(event);
  }
};

export const gridDecider: Decider<Grid, GridCommand, GridEvent> = {
  decide: decideGrid,
  evolve: evolveGrid,
  initialState: { status: 'None' },
};
