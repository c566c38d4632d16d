import type { DeadlinePolicy } from '@gongzhi/deadlines-domain';
import type { IncidentChannel, IncidentCategory } from './incident.types';

/**
 * Deadline policy ids of incidents. Categories name one of them (處置時限 per 小類, CJ/T 315);
 * the 12345 order and the green channel have their own. They seed the shared policy table; a
 * local rule (a district's shorter limit) is a new version there, not a code change.
 */
export const IncidentPolicy = {
  urgent: 'community.incident.urgent',
  standard: 'community.incident.standard',
  complex: 'community.incident.complex',
  greenChannel: 'community.incident.green-channel',
  hotline: 'community.hotline.work-order',
} as const;
export type IncidentPolicyId = (typeof IncidentPolicy)[keyof typeof IncidentPolicy];

/** CJ/T 315-2009 was issued in 2009; version 1 of the grid-case limits applies from then. */
const CJT_315_IN_FORCE = '2009-12-01T00:00:00.000+08:00';
/** 济南市12345市民服务热线条例 took effect on 1 October 2018. */
const JINAN_12345_IN_FORCE = '2018-10-01T00:00:00.000+08:00';

export const COMMUNITY_INCIDENT_POLICIES: readonly DeadlinePolicy[] = [
  {
    policyId: IncidentPolicy.urgent,
    version: 1,
    title: 'Urgent classes (a missing manhole cover, a road collapse): handled within 4 hours of dispatch',
    source: 'CJ/T 315-2009 處置時限 for urgent 小類, counted in hours (verify the class table)',
    length: 4,
    unit: 'h',
    expiry: 'overdue',
    extension: null,
    rollForward: false,
    effectiveFrom: CJT_315_IN_FORCE,
  },
  {
    policyId: IncidentPolicy.standard,
    version: 1,
    title: 'Ordinary classes: handled within 5 working days of dispatch; one extension of up to 5 working days with approval',
    source: 'CJ/T 315-2009 處置時限 (verify per 小類); extension practice per xiaomilidoc seven-step process (延期)',
    length: 5,
    unit: 'wd',
    expiry: 'overdue',
    extension: { maxTimes: 1, maxLength: 5, unit: 'wd', requiresApproval: true },
    rollForward: false,
    effectiveFrom: CJT_315_IN_FORCE,
  },
  {
    policyId: IncidentPolicy.complex,
    version: 1,
    title: 'Classes needing works (dangerous buildings, road occupation): 10 working days; one extension of up to 10',
    source: 'CJ/T 315-2009 處置時限 (verify per 小類)',
    length: 10,
    unit: 'wd',
    expiry: 'overdue',
    extension: { maxTimes: 1, maxLength: 10, unit: 'wd', requiresApproval: true },
    rollForward: false,
    effectiveFrom: CJT_315_IN_FORCE,
  },
  {
    policyId: IncidentPolicy.greenChannel,
    version: 1,
    title: '民情綠色通道: residents’ matters answered at once; handled within 2 working days',
    source: 'Source documents, 城中社區 “民情綠色通道” (在第一時間得到解決) [惯例]; the 2-day figure is a local setting',
    length: 2,
    unit: 'wd',
    expiry: 'overdue',
    extension: { maxTimes: 1, maxLength: 3, unit: 'wd', requiresApproval: true },
    rollForward: false,
    effectiveFrom: CJT_315_IN_FORCE,
  },
  {
    policyId: IncidentPolicy.hotline,
    version: 1,
    title: '12345 work order: reply to the caller within 5 working days of dispatch; a longer need is notified with reasons',
    source: '济南市12345市民服务热线条例 (2018) Art 24; 潍坊条例 (2021) Art 20; 北京市接诉即办工作条例 (2021) Art 15 ¶2',
    length: 5,
    unit: 'wd',
    expiry: 'overdue',
    extension: { maxTimes: 2, maxLength: 10, unit: 'wd', requiresApproval: false },
    rollForward: false,
    effectiveFrom: JINAN_12345_IN_FORCE,
  },
];

/**
 * The policy of a case's handling time limit: the green channel's short limit for its reports,
 * the hotline's for work orders, the category's for everything else.
 */
export const handlingPolicyOf = (channel: IncidentChannel, category: IncidentCategory | null): string => {
  if (channel === 'hotline') return IncidentPolicy.hotline;
  if (channel === 'green-channel') return IncidentPolicy.greenChannel;
  return category?.deadlinePolicyId ?? IncidentPolicy.standard;
};

/**
 * 集中投訴: this many 12345 orders about one category in one community, open within this many
 * days, put the newest under supervision (潍坊条例 Art 26 names concentrated complaints as a
 * ground for 督辦 without a number: the figures are a local setting [设计]).
 */
export const CONCENTRATED_COMPLAINTS = { minOrders: 3, withinDays: 30 } as const;
