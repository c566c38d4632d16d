import { IncidentPolicy } from './incident.policies';
import type { CategoryKind } from './incident.types';

/** A row of the category catalogue (部件/事件 → 大類 → 小類), as seeded and as stored. */
export interface CategoryDefinition {
  kind: CategoryKind;
  majorCode: string;
  majorName: string;
  minorCode: string;
  minorName: string;
  deadlinePolicyId: string;
  /** 立案條件: when a report qualifies as a case. */
  filingCondition: string;
  /** 結案條件: when the case may be closed. */
  closingCondition: string;
}

export const categoryCode = (c: Pick<CategoryDefinition, 'kind' | 'majorCode' | 'minorCode'>): string =>
  `${c.kind}.${c.majorCode}.${c.minorCode}`;

const component = (majorCode: string, majorName: string) => (minorCode: string, minorName: string, deadlinePolicyId: string, filingCondition: string, closingCondition: string): CategoryDefinition => ({
  kind: 'component',
  majorCode,
  majorName,
  minorCode,
  minorName,
  deadlinePolicyId,
  filingCondition,
  closingCondition,
});
const event = (majorCode: string, majorName: string) => (minorCode: string, minorName: string, deadlinePolicyId: string, filingCondition: string, closingCondition: string): CategoryDefinition => ({
  ...component(majorCode, majorName)(minorCode, minorName, deadlinePolicyId, filingCondition, closingCondition),
  kind: 'event',
});

const publicFacilities = component('public-facilities', '公用設施');
const roadTraffic = component('road-traffic', '道路交通');
const appearanceC = component('city-appearance', '市容環境');
const greenery = component('landscaping', '園林綠化');
const housing = component('housing-land', '房屋土地');
const appearanceE = event('city-appearance', '市容環境');
const advertising = event('advertising', '宣傳廣告');
const construction = event('construction', '施工管理');
const emergency = event('emergency', '突發事件');
const streetOrder = event('street-order', '街面秩序');
const otherE = event('other', '其他');

/**
 * The catalogue version 1 seeds the table with: the 大類 commonly used under GB/T 30428.2 and
 * CJ/T 315 (verify the codes against GB/T 30428.2) with the 小類 a community grid meets most.
 * Operators add, retire or re-time categories in the table; filed cases keep their snapshot.
 */
export const DEFAULT_CATEGORY_CATALOGUE: readonly CategoryDefinition[] = [
  publicFacilities('manhole-cover', '井蓋', IncidentPolicy.urgent, '井蓋缺失、破損、移位，危及通行安全', '井蓋已補齊或復位，現場照片為證'),
  publicFacilities('street-lamp', '路燈', IncidentPolicy.standard, '路燈不亮、燈桿傾斜或破損', '路燈恢復照明，燈桿完好'),
  publicFacilities('fire-hydrant', '消防栓', IncidentPolicy.standard, '消防栓損壞、漏水或被圈佔', '消防栓完好可用'),
  roadTraffic('traffic-sign', '交通標誌', IncidentPolicy.standard, '交通標誌缺失、損壞或遮擋', '標誌恢復完好可見'),
  roadTraffic('road-surface', '道路破損', IncidentPolicy.standard, '路面坑槽、沉陷影響通行', '路面修復平整'),
  appearanceC('trash-bin', '垃圾箱', IncidentPolicy.standard, '垃圾箱破損、缺失或滿溢', '垃圾箱完好、已清運'),
  appearanceC('public-toilet', '公廁', IncidentPolicy.standard, '公廁設施損壞或衛生不達標', '設施修復、保潔到位'),
  greenery('street-tree', '行道樹', IncidentPolicy.standard, '行道樹倒伏、枯死或枝幹危及安全', '樹木扶正、修剪或補植'),
  greenery('green-space', '綠地', IncidentPolicy.standard, '綠地被毀、踩踏或被佔用', '綠地恢復'),
  housing('dangerous-building', '危房', IncidentPolicy.complex, '房屋出現明顯危險跡象', '排險完成或人員已撤離並設警示'),
  appearanceE('exposed-garbage', '暴露垃圾', IncidentPolicy.standard, '公共區域暴露垃圾、積存垃圾渣土', '垃圾清除，現場整潔'),
  appearanceE('illegal-dumping', '亂倒亂堆', IncidentPolicy.standard, '亂倒建築垃圾、亂堆雜物', '雜物清除'),
  advertising('illegal-flyer', '非法小廣告', IncidentPolicy.standard, '張貼、塗寫、刻畫非法小廣告', '小廣告清除'),
  construction('construction-noise', '施工擾民', IncidentPolicy.standard, '夜間或超時施工擾民', '施工按規定時間進行'),
  construction('road-occupation', '占道施工', IncidentPolicy.complex, '未經許可或超範圍占道施工', '恢復道路或補辦許可並規範圍擋'),
  emergency('road-collapse', '路面塌陷', IncidentPolicy.urgent, '路面塌陷、空洞危及安全', '現場圍擋並完成搶修'),
  emergency('gas-leak', '燃氣洩漏', IncidentPolicy.urgent, '聞到燃氣味或燃氣設施洩漏', '洩漏排除，專業單位確認'),
  streetOrder('street-vendor', '無照游商', IncidentPolicy.standard, '無照經營、游商占道', '游商已勸離，道路暢通'),
  streetOrder('illegal-parking', '亂停車', IncidentPolicy.standard, '機動車、非機動車亂停亂放阻礙通行', '車輛規範停放'),
  otherE('neighbour-dispute', '鄰里糾紛', IncidentPolicy.standard, '居民間糾紛需社區協調', '糾紛已調解或已轉人民調解'),
];

export const DEFAULT_CATALOGUE_VERSION = 1;
