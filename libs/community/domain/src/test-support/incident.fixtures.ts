import { WEEKENDS_ONLY, workingCalendar, type DeadlineRules } from '@gongzhi/deadlines-domain';
import { personalData } from '@gongzhi/kernel';
import { categoryCode, DEFAULT_CATEGORY_CATALOGUE, DEFAULT_CATALOGUE_VERSION } from '../category-catalogue';
import type { IncidentEvent } from '../incident.events';
import { COMMUNITY_INCIDENT_POLICIES } from '../incident.policies';
import type { IncidentCategory, UnitRef } from '../incident.types';

/** Friday 1 March 2024, 16:00 in China (TEST_NOW of @gongzhi/testing). */
export const T0 = '2024-03-01T08:00:00.000Z';
export const at = (iso: string): { metadata: { now: string } } => ({ metadata: { now: iso } });

export const RULES: DeadlineRules = { policies: COMMUNITY_INCIDENT_POLICIES, calendar: WEEKENDS_ONLY };
/** 2024 清明: 4–6 April off, Sunday 7 April worked (國務院辦公廳 2023-12 notice). */
export const QINGMING_RULES: DeadlineRules = {
  policies: COMMUNITY_INCIDENT_POLICIES,
  calendar: workingCalendar('cn-2024', [
    { date: '2024-04-04', kind: 'holiday' },
    { date: '2024-04-05', kind: 'holiday' },
    { date: '2024-04-06', kind: 'holiday' },
    { date: '2024-04-07', kind: 'workday' },
  ]),
};

export const COMMUNITY: UnitRef = { orgUnitId: 'songling-sancun', path: '/wujiang/songling/songling-sancun/' };
export const GRID: UnitRef = { orgUnitId: 'sancun-grid-01', path: '/wujiang/songling/songling-sancun/sancun-grid-01/' };
export const DEPARTMENT: UnitRef = { orgUnitId: 'songling-chengguan', path: '/wujiang/songling/songling-chengguan/' };
export const OTHER_DEPARTMENT: UnitRef = { orgUnitId: 'songling-shizheng', path: '/wujiang/songling/songling-shizheng/' };

export const ID = '0190f5a2-0000-7000-8000-000000000001';
export const ORIGINAL_ID = '0190f5a2-0000-7000-8000-000000000002';
export const SUBJECT = '5b0c8d7e-1f2a-4b3c-9d4e-5f6a7b8c9d0e';

const category = (code: string): IncidentCategory => {
  const def = DEFAULT_CATEGORY_CATALOGUE.find((c) => categoryCode(c) === code);
  if (!def) throw new Error(`no category ${code}`);
  return {
    code,
    kind: def.kind,
    majorCode: def.majorCode,
    majorName: def.majorName,
    minorCode: def.minorCode,
    minorName: def.minorName,
    deadlinePolicyId: def.deadlinePolicyId,
    catalogueVersion: DEFAULT_CATALOGUE_VERSION,
  };
};

export const GARBAGE = category('event.city-appearance.exposed-garbage');
export const MANHOLE = category('component.public-facilities.manhole-cover');

export const LOCATION = { address: '吳江區松陵鎮三村小區12幢東側', latitude: 31.16, longitude: 120.64 };

const gridMeta = { metadata: { orgUnitPath: GRID.path } };

export const reported = (over: Partial<Extract<IncidentEvent, { type: 'IncidentReported' }>['data']> = {}) => ({
  type: 'IncidentReported' as const,
  data: {
    incidentId: ID,
    channel: 'grid-patrol' as const,
    communityId: COMMUNITY.orgUnitId,
    gridId: GRID.orgUnitId,
    location: LOCATION,
    description: '三村小區12幢東側綠化帶內堆放生活垃圾約兩立方',
    photoRefs: ['photos/2024/03/01/a1.jpg'],
    reporter: null,
    externalRef: null,
    reportedAt: T0,
    ...over,
  },
  ...gridMeta,
});

export const residentReporter = {
  subjectId: SUBJECT,
  name: personalData(SUBJECT, '王秀英'),
  phone: personalData(SUBJECT, '13812345678'),
  confidential: false,
  wantsReply: true,
};

export const accepted = { type: 'IncidentAccepted' as const, data: { incidentId: ID, acceptedAt: T0 }, ...gridMeta };
export const filed = (c: IncidentCategory = GARBAGE) => ({ type: 'IncidentFiled' as const, data: { incidentId: ID, category: c, filedAt: T0 }, ...gridMeta });
export const dispatched = (to: UnitRef = DEPARTMENT, when = T0) => ({
  type: 'IncidentDispatched' as const,
  data: { incidentId: ID, toOrgUnitId: to.orgUnitId, toOrgUnitPath: to.path, note: '', dispatchedAt: when },
  ...gridMeta,
});

/** A handling clock under a community policy, with the due instant spelled out by the test. */
export const clockStarted = (policyId: string, startedAt: string, dueAt: string, over: { length?: number; calendarId?: string } = {}) => {
  const p = COMMUNITY_INCIDENT_POLICIES.find((x) => x.policyId === policyId);
  if (!p) throw new Error(`no policy ${policyId}`);
  return {
    type: 'DeadlineStarted' as const,
    data: {
      clockId: 'handling',
      policyId,
      version: 1,
      source: p.source,
      length: over.length ?? p.length,
      unit: over.length !== undefined ? ('wd' as const) : p.unit,
      expiry: 'overdue' as const,
      rollForward: false,
      calendarId: over.calendarId ?? 'weekends-only',
      startedAt,
      dueAt,
    },
    ...gridMeta,
  };
};

/** The standard 5-working-day clock started at T0 (Friday): due at the end of Friday 8 March. */
export const standardClock = (startedAt = T0, dueAt = '2024-03-08T16:00:00.000Z') => clockStarted('community.incident.standard', startedAt, dueAt);

export const handled = (when = T0) => ({
  type: 'HandlingReported' as const,
  data: { incidentId: ID, byOrgUnitId: DEPARTMENT.orgUnitId, notes: '已清運垃圾並消殺', photoRefs: ['photos/after.jpg'], reportedAt: when },
  ...gridMeta,
});
export const clockStopped = (reason: 'met' | 'cancelled' | 'expired', when = T0) => ({
  type: 'DeadlineStopped' as const,
  data: { clockId: 'handling', at: when, reason },
  ...gridMeta,
});

/** A grid case reported, accepted, filed and dispatched to the department at T0. */
export const dispatchedCase = () => [reported(), accepted, filed(), dispatched(), standardClock()];
