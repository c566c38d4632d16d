import type { OrgUnitKind, StaffRole } from '@gongzhi/org-domain';
import { UNION_DEMO_UNITS } from '@gongzhi/union';

/**
 * The demo organisation, drawn from the source documents: 吳江市's 松陵辦事處 and its eleven
 * communities (community work: 一聯雙管, 一社一品), 汝城縣總工會 (trade unions in social
 * management) and 共青團貴州省委 with city and county league committees (組織化+社會化動員).
 * Ids are fixed, so seeding twice changes nothing.
 */
export interface DemoUnit {
  id: string;
  name: string;
  kind: OrgUnitKind;
  parent: string | null;
  staff?: { id: string; displayName: string; role: StaffRole; scope: 'unit' | 'subtree' }[];
}

const SONGLING_COMMUNITIES: Array<[id: string, name: string]> = [
  ['shuixiang', '水鄉社區'],
  ['xitang', '西塘社區'],
  ['beimen', '北門社區'],
  ['sancun', '三村社區'],
  ['ercun', '二村社區'],
  ['dongmen', '東門社區'],
  ['chengzhong', '城中社區'],
  ['shili', '石里社區'],
  ['xiyuanwei', '西元圩社區'],
  ['meishi', '梅石社區'],
  ['aolin-qinghua', '奧林清華社區'],
];

export const DEMO_UNITS: DemoUnit[] = [
  {
    id: 'wujiang',
    name: '吳江市',
    kind: 'government-organ',
    parent: null,
    staff: [
      { id: 'wujiang-admin', displayName: '吳江市平台管理員', role: 'admin', scope: 'subtree' },
      { id: 'wujiang-analyst', displayName: '吳江市社會管理分析員', role: 'analyst', scope: 'subtree' },
    ],
  },
  {
    id: 'songling',
    name: '松陵辦事處',
    kind: 'street-office',
    parent: 'wujiang',
    staff: [{ id: 'songling-worker', displayName: '松陵辦事處社區工作科', role: 'community-worker', scope: 'subtree' }],
  },
  ...SONGLING_COMMUNITIES.map(([id, name]): DemoUnit => ({
    id: `songling-${id}`,
    name,
    kind: 'community',
    parent: 'songling',
    staff: [
      { id: `songling-${id}-worker`, displayName: `${name}社區工作者`, role: 'community-worker', scope: 'subtree' },
      { id: `songling-${id}-grid`, displayName: `${name}網格員`, role: 'grid-worker', scope: 'unit' },
    ],
  })),
  {
    id: 'rucheng-union',
    name: '汝城縣總工會',
    kind: 'trade-union-federation',
    parent: null,
    staff: [{ id: 'rucheng-union-officer', displayName: '汝城縣總工會權益保障部', role: 'union-officer', scope: 'subtree' }],
  },
  {
    id: 'gz-league',
    name: '共青團貴州省委',
    kind: 'league-committee',
    parent: null,
    staff: [{ id: 'gz-league-officer', displayName: '團省委社會工作部', role: 'league-officer', scope: 'subtree' }],
  },
  {
    id: 'gz-league-guiyang',
    name: '共青團貴陽市委',
    kind: 'league-committee',
    parent: 'gz-league',
    staff: [{ id: 'gz-league-guiyang-officer', displayName: '團貴陽市委志願者工作部', role: 'league-officer', scope: 'subtree' }],
  },
  {
    id: 'gz-league-xiuwen',
    name: '共青團修文縣委',
    kind: 'league-committee',
    parent: 'gz-league-guiyang',
    staff: [{ id: 'gz-league-xiuwen-officer', displayName: '團修文縣委書記', role: 'league-officer', scope: 'subtree' }],
  },
  {
    id: 'gz-league-zunyi',
    name: '共青團遵義市委',
    kind: 'league-committee',
    parent: 'gz-league',
    staff: [{ id: 'gz-league-zunyi-officer', displayName: '團遵義市委志願者工作部', role: 'league-officer', scope: 'subtree' }],
  },
  {
    id: 'gz-league-meitan',
    name: '共青團湄潭縣委',
    kind: 'league-committee',
    parent: 'gz-league-zunyi',
    staff: [{ id: 'gz-league-meitan-officer', displayName: '團湄潭縣委書記', role: 'league-officer', scope: 'subtree' }],
  },
  // Township and 吳江 unions with their labor disputes (libs/union demo).
  ...UNION_DEMO_UNITS,
];
