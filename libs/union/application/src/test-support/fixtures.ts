import { Role } from '@gongzhi/auth';
import { principalAt } from '@gongzhi/auth/testing';
import type { FileLaborDisputeInput } from '../write/commands';
import type { UnionTree } from '../testing';

export const officerAt = (path: string, roles: Role[] = [Role.UnionOfficer]) => principalAt(path, roles);

let n = 0;
export const meta = (extra: { commandId?: string; now?: string; expectedRevision?: number } = {}) => ({ correlationId: `test-${++n}`, ...extra });

export const filing = (orgUnitId: string, overrides: Partial<FileLaborDisputeInput> = {}): FileLaborDisputeInput => ({
  orgUnitId,
  category: 'remuneration',
  claimAmount: 23_800,
  description: '拖欠三個月工資',
  employer: { name: '汝城縣某建築工程有限公司', creditCode: '91350100M000100Y43' },
  workers: [{ name: '李四', idNumber: '431026199001011230', phone: '13800001111' }],
  commonClaim: false,
  rightKnownInfringedOn: '2024-01-10',
  ...overrides,
});

export const groupFiling = (orgUnitId: string, overrides: Partial<FileLaborDisputeInput> = {}): FileLaborDisputeInput =>
  filing(orgUnitId, {
    workers: Array.from({ length: 3 }, (_, i) => ({ name: `工人${i + 1}` })),
    workersInvolved: 12,
    commonClaim: true,
    ...overrides,
  });

export type Tree = UnionTree;
