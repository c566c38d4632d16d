import type { PersonalValue } from '@gongzhi/kernel';

/**
 * Where a report came from (CJ/T 315 sources 監督員/公眾/視頻/上級交辦/12345, plus the source
 * documents' 民情綠色通道 of 城中社區, a fast lane for residents' matters).
 */
export const INCIDENT_CHANNELS = ['grid-patrol', 'resident', 'hotline', 'video', 'referral', 'green-channel'] as const;
export type IncidentChannel = (typeof INCIDENT_CHANNELS)[number];

/** 部件 (fixed facilities) or 事件 (occurrences), GB/T 30428.2 / CJ/T 315. */
export const CATEGORY_KINDS = ['component', 'event'] as const;
export type CategoryKind = (typeof CATEGORY_KINDS)[number];

/**
 * A category as it stood in the catalogue when the case was filed: later catalogue changes never
 * rewrite a filed case (the case keeps the time limit it was filed under).
 */
export interface IncidentCategory {
  /** `<kind>.<major>.<minor>`, e.g. `component.public-facilities.manhole-cover`. */
  code: string;
  kind: CategoryKind;
  majorCode: string;
  majorName: string;
  minorCode: string;
  minorName: string;
  /** The deadline policy of the handling time limit (處置時限). */
  deadlinePolicyId: string;
  catalogueVersion: number;
}

/** A place: an address or landmark in public space, optionally a point (WGS-84). */
export interface IncidentLocation {
  address: string;
  latitude: number | null;
  longitude: number | null;
}

/**
 * The person who reported (a resident, a caller): a data subject. Name and phone are personal
 * data, encrypted under the subject's key by the privacy transformer and shredded on erasure.
 */
export interface Reporter {
  subjectId: string;
  name: PersonalValue | null;
  phone: PersonalValue | null;
  /** 济南 12345 條例 Art 22: the caller asked that their identity be kept confidential. */
  confidential: boolean;
  /** The reporter wants to be told the outcome. */
  wantsReply: boolean;
}

/** An org unit as the handler resolved it (the decider cannot look units up). */
export interface UnitRef {
  orgUnitId: string;
  path: string;
}

/** 12345 matter types (济南 Art 22: 咨询/求助/投诉/举报/建议). */
export const HOTLINE_MATTER_TYPES = ['consultation', 'help', 'complaint', 'report', 'suggestion'] as const;
export type HotlineMatterType = (typeof HOTLINE_MATTER_TYPES)[number];

/** What the unit told the caller (济南 Art 24). */
export const REPLY_OUTCOMES = ['resolved', 'statutory-period', 'objectively-blocked', 'not-permitted'] as const;
export type ReplyOutcome = (typeof REPLY_OUTCOMES)[number];

export const SATISFACTION_LEVELS = ['satisfied', 'basically-satisfied', 'dissatisfied'] as const;
export type Satisfaction = (typeof SATISFACTION_LEVELS)[number];

export const isSatisfied = (s: Satisfaction | null | undefined): boolean => s === 'satisfied' || s === 'basically-satisfied';

export const EVALUATION_GRADES = ['excellent', 'good', 'fair', 'poor'] as const;
export type EvaluationGrade = (typeof EVALUATION_GRADES)[number];

export const VOID_REASONS = ['fails-filing-conditions', 'duplicate'] as const;
export type VoidReason = (typeof VOID_REASONS)[number];

/** Why supervision (督辦) was raised: 济南 Art 28, 潍坊 Art 26. */
export const SUPERVISION_REASONS = ['overdue', 'repeated', 'concentrated', 'manual'] as const;
export type SupervisionReason = (typeof SUPERVISION_REASONS)[number];

/** 分級督辦: a notice, a listed (掛牌) case, or an interview (約談) with the unit's head. */
export const SUPERVISION_LEVELS = ['notice', 'listed', 'interview'] as const;
export type SupervisionLevel = (typeof SUPERVISION_LEVELS)[number];

export const REWORK_CAUSES = ['verification-failed', 'dissatisfied-callback'] as const;
export type ReworkCause = (typeof REWORK_CAUSES)[number];

/** The incident's own time limit clock (one per incident; it runs again after a rework). */
export const HANDLING_CLOCK = 'handling';

export const INCIDENT_STATUSES = [
  'Reported',
  'Accepted',
  'Voided',
  'Filed',
  'Dispatched',
  'UnderReview',
  'Parked',
  'Handled',
  'Verified',
  'Replied',
  'Closed',
  'Evaluated',
  'ReturnedToCenter',
] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Statuses in which nothing more is expected of anyone. */
export const FINAL_STATUSES: readonly IncidentStatus[] = ['Voided', 'Closed', 'Evaluated', 'ReturnedToCenter'];

export const isOpenStatus = (status: IncidentStatus): boolean => !FINAL_STATUSES.includes(status);
