import { forDecider } from '@gongzhi/testing';
import { gridDecider, publicPhone } from './grid.decider';

const given = forDecider(gridDecider);
const community = { communityId: 'songling-sancun', path: '/wujiang/songling/songling-sancun/', usable: true };
const define = {
  type: 'DefineGrid' as const,
  data: {
    gridId: 'sancun-grid-01',
    community,
    name: '三村一號網格',
    area: '三村小區1–12幢及鱸鄉南路沿街商鋪',
    workerStaffId: 'songling-sancun-grid',
    workerFound: true,
    supervisionPhone: '0512 6301 2345',
  },
};
const defined = {
  type: 'GridDefined' as const,
  data: {
    gridId: 'sancun-grid-01',
    communityId: 'songling-sancun',
    name: '三村一號網格',
    area: '三村小區1–12幢及鱸鄉南路沿街商鋪',
    workerStaffId: 'songling-sancun-grid',
    supervisionPhone: '0512-63012345',
    definedAt: '2024-03-01T08:00:00.000Z',
  },
  metadata: { orgUnitPath: '/wujiang/songling/songling-sancun/sancun-grid-01/' },
};

describe('grid decider', () => {
  it('defines a grid under a community with its posted profile', () => {
    given().when(define).then([defined]);
  });

  it('refuses a second definition, a missing community and an unknown worker', () => {
    given([defined]).when(define).thenThrows('COMMUNITY.GRID_ALREADY_DEFINED');
    given().when({ ...define, data: { ...define.data, community: null } }).thenThrows('COMMUNITY.COMMUNITY_NOT_FOUND');
    given().when({ ...define, data: { ...define.data, community: { ...community, usable: false } } }).thenThrows('COMMUNITY.COMMUNITY_NOT_FOUND');
    given().when({ ...define, data: { ...define.data, workerFound: false } }).thenThrows('COMMUNITY.GRID_WORKER_NOT_FOUND');
  });

  it('refuses an empty name or a resident phone number hidden in the area text', () => {
    given().when({ ...define, data: { ...define.data, name: '  ' } }).thenThrows('COMMUNITY.INVALID_INPUT');
    given().when({ ...define, data: { ...define.data, area: '聯繫13812345678' } }).thenThrows('COMMUNITY.PERSONAL_DATA_IN_TEXT');
  });

  it('posts phones in their dialling form', () => {
    expect(publicPhone('13812345678')).toBe('138-1234-5678');
    expect(publicPhone('+86 138 1234 5678')).toBe('138-1234-5678');
    expect(publicPhone('051263012345')).toBe('0512-63012345');
    expect(publicPhone('010-12345')).toBe('010-12345');
    expect(() => publicPhone('call me')).toThrow('supervisionPhone');
  });

  it('reassigns the grid worker with a reason', () => {
    const reassign = { type: 'ReassignGridWorker' as const, data: { gridId: 'sancun-grid-01', toStaffId: 'zhang-wei', workerFound: true, reason: '原網格員調任' } };
    given([defined])
      .when(reassign)
      .then([
        {
          type: 'GridWorkerReassigned',
          data: { gridId: 'sancun-grid-01', fromStaffId: 'songling-sancun-grid', toStaffId: 'zhang-wei', reason: '原網格員調任', reassignedAt: '2024-03-01T08:00:00.000Z' },
        },
      ]);
    given([defined]).when({ ...reassign, data: { ...reassign.data, toStaffId: 'songling-sancun-grid' } }).thenThrows('COMMUNITY.SAME_GRID_WORKER');
    given([defined]).when({ ...reassign, data: { ...reassign.data, reason: '' } }).thenThrows('COMMUNITY.REASON_REQUIRED');
    given([defined]).when({ ...reassign, data: { ...reassign.data, workerFound: false } }).thenThrows('COMMUNITY.GRID_WORKER_NOT_FOUND');
    given().when(reassign).thenThrows('COMMUNITY.GRID_NOT_FOUND');
  });

  it('retires a grid without open incidents, once', () => {
    const retire = { type: 'RetireGrid' as const, data: { gridId: 'sancun-grid-01', reason: '併入二號網格', openIncidents: 0 } };
    const retired = { type: 'GridRetired' as const, data: { gridId: 'sancun-grid-01', reason: '併入二號網格', retiredAt: '2024-03-01T08:00:00.000Z' } };
    given([defined]).when(retire).then([retired]);
    given([defined, retired]).when(retire).thenNothing();
    given([defined]).when({ ...retire, data: { ...retire.data, openIncidents: 2 } }).thenThrows('COMMUNITY.GRID_HAS_OPEN_INCIDENTS');
    given([defined, retired])
      .when({ type: 'ReassignGridWorker', data: { gridId: 'sancun-grid-01', toStaffId: 'x', workerFound: true, reason: 'r' } })
      .thenThrows('COMMUNITY.GRID_RETIRED');
  });
});
