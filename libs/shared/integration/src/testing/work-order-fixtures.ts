import { randomUUID } from 'node:crypto';
import { WORK_ORDER_EVENT_TYPE } from '../inbound/work-order-message';

export interface WorkOrderMessageInput {
  id?: string;
  source?: string;
  time?: string;
  data?: Record<string, unknown>;
}

let ticketCounter = 0;

/**
 * A valid inbound work-order CloudEvent (as JSON text), with `data` fields overridable; a field
 * set to `undefined` in `data` is removed. The caller's contact is fictitious test data.
 */
export const workOrderMessage = (input: WorkOrderMessageInput = {}): { id: string; value: string; event: Record<string, unknown> } => {
  const id = input.id ?? randomUUID();
  const data: Record<string, unknown> = {
    ticketNumber: `GZ${Date.now().toString(36).toUpperCase()}${(ticketCounter++).toString(36).toUpperCase()}`,
    category: 'component.public-facilities.manhole-cover',
    matterType: 'report',
    description: '人行道井蓋缺失，夜間行人易絆倒',
    location: { address: '松陵鎮城中社區中山路與仲英大道路口東北角', latitude: 31.161, longitude: 120.645 },
    communityCode: 'test-community',
    callerRef: `caller-${id.slice(0, 8)}`,
    timeLimitWorkingDays: 3,
    dispatchedAt: '2026-05-06T09:15:00+08:00',
    ...input.data,
  };
  for (const [key, value] of Object.entries(data)) if (value === undefined) delete data[key];
  const event = {
    specversion: '1.0',
    id,
    source: input.source ?? '/hotline/12345/test',
    type: WORK_ORDER_EVENT_TYPE,
    time: input.time ?? '2026-05-06T09:15:05+08:00',
    datacontenttype: 'application/json',
    data,
  };
  return { id, value: JSON.stringify(event), event };
};
