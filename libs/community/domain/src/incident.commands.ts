import type { DeadlineRules, DeadlineUnit } from '@gongzhi/deadlines-domain';
import type { Command } from '@gongzhi/kernel';
import type {
  EvaluationGrade,
  HotlineMatterType,
  IncidentCategory,
  IncidentChannel,
  IncidentLocation,
  ReplyOutcome,
  Satisfaction,
  SupervisionLevel,
  SupervisionReason,
  UnitRef,
  VoidReason,
} from './incident.types';
import type { PersonalData } from '@gongzhi/kernel';

/**
 * The reporter as the handler prepared it: a subject id (from the privacy vault's blind index
 * when the phone is known, else a new one) and the personal values wrapped as PersonalData.
 */
export interface ReporterInput {
  subjectId: string;
  name: PersonalData | null;
  phone: PersonalData | null;
  confidential?: boolean;
  wantsReply?: boolean;
}

export type ReportIncident = Command<
  'ReportIncident',
  {
    incidentId: string;
    channel: IncidentChannel;
    /** The community and (optionally) the grid the matter lies in, as the handler found them. */
    community: UnitRef | null;
    grid: UnitRef | null;
    location: IncidentLocation;
    description: string;
    photoRefs?: string[];
    reporter?: ReporterInput | null;
    externalRef?: string | null;
  }
>;

export type ReceiveHotlineWorkOrder = Command<
  'ReceiveHotlineWorkOrder',
  {
    incidentId: string;
    ticketNumber: string;
    matterType?: HotlineMatterType | null;
    hotlineCategory: string;
    /** Our catalogue entry for the centre's category code, when there is one. */
    category: IncidentCategory | null;
    community: UnitRef | null;
    grid: UnitRef | null;
    location: IncidentLocation;
    description: string;
    callerRef: string;
    caller?: ReporterInput | null;
    timeLimitWorkingDays?: number | null;
    /** When the centre dispatched it (defaults to now). */
    dispatchedAt?: string | null;
    rules: DeadlineRules;
  }
>;

export type AcceptIncident = Command<'AcceptIncident', { incidentId: string }>;

export type VoidIncident = Command<
  'VoidIncident',
  { incidentId: string; reason: VoidReason; duplicateOf?: string | null; originalFound?: boolean; note?: string | null }
>;

export type LinkDuplicate = Command<'LinkDuplicate', { incidentId: string; duplicateId: string }>;

export type FileIncident = Command<'FileIncident', { incidentId: string; categoryCode: string; category: IncidentCategory | null }>;

export type DispatchIncident = Command<
  'DispatchIncident',
  { incidentId: string; toOrgUnitId: string; to: UnitRef | null; note?: string | null; rules: DeadlineRules }
>;

export type ReturnIncident = Command<'ReturnIncident', { incidentId: string; reason: string }>;

export type RequestExtension = Command<
  'RequestExtension',
  { incidentId: string; requestId: string; length: number; unit?: DeadlineUnit | null; reason: string; rules: DeadlineRules }
>;
export type GrantExtension = Command<'GrantExtension', { incidentId: string; rules: DeadlineRules }>;
export type RejectExtension = Command<'RejectExtension', { incidentId: string; reason: string }>;
export type NotifyExtension = Command<
  'NotifyExtension',
  { incidentId: string; length: number; unit?: DeadlineUnit | null; reason: string; rules: DeadlineRules }
>;

export type ParkIncident = Command<'ParkIncident', { incidentId: string; reason: string }>;
export type UnparkIncident = Command<'UnparkIncident', { incidentId: string; note?: string | null; rules: DeadlineRules }>;

export type ReportHandling = Command<
  'ReportHandling',
  { incidentId: string; byOrgUnitId: string; notes: string; photoRefs?: string[] }
>;

export type PassVerification = Command<'PassVerification', { incidentId: string; note?: string | null; photoRefs?: string[] }>;
export type FailVerification = Command<
  'FailVerification',
  { incidentId: string; note: string; photoRefs?: string[]; rules: DeadlineRules }
>;

export type CloseIncident = Command<'CloseIncident', { incidentId: string }>;

export type EvaluateIncident = Command<
  'EvaluateIncident',
  { incidentId: string; grade: EvaluationGrade; satisfaction?: Satisfaction | null; comment?: string | null }
>;

export type ObjectToDispatch = Command<'ObjectToDispatch', { incidentId: string; reason: string }>;
export type ResolveDispatchObjection = Command<
  'ResolveDispatchObjection',
  { incidentId: string; outcome: 'upheld' | 'reassigned'; note?: string | null }
>;
export type ReturnWorkOrder = Command<'ReturnWorkOrder', { incidentId: string; reason: string }>;
export type ReplyToCaller = Command<'ReplyToCaller', { incidentId: string; outcome: ReplyOutcome; summary: string }>;
export type RecordCallback = Command<
  'RecordCallback',
  { incidentId: string; satisfaction: Satisfaction; resolved: boolean; note?: string | null; rules: DeadlineRules }
>;

/** Issued by the deadline scheduler for the clock it saw due. */
export type MarkIncidentOverdue = Command<'MarkIncidentOverdue', { incidentId: string; clockId: string; dueAt: string }>;

export type RaiseSupervision = Command<
  'RaiseSupervision',
  { incidentId: string; reason: SupervisionReason; level: SupervisionLevel; note?: string | null; relatedIncidentId?: string | null }
>;

export type IncidentCommand =
  | ReportIncident
  | ReceiveHotlineWorkOrder
  | AcceptIncident
  | VoidIncident
  | LinkDuplicate
  | FileIncident
  | DispatchIncident
  | ReturnIncident
  | RequestExtension
  | GrantExtension
  | RejectExtension
  | NotifyExtension
  | ParkIncident
  | UnparkIncident
  | ReportHandling
  | PassVerification
  | FailVerification
  | CloseIncident
  | EvaluateIncident
  | ObjectToDispatch
  | ResolveDispatchObjection
  | ReturnWorkOrder
  | ReplyToCaller
  | RecordCallback
  | MarkIncidentOverdue
  | RaiseSupervision;
