import { Command } from '@nestjs/cqrs';
import type { Principal } from '@gongzhi/auth';
import type {
  EvaluationGrade,
  HotlineMatterType,
  IncidentChannel,
  IncidentLocation,
  ReplyOutcome,
  Satisfaction,
  SupervisionLevel,
  SupervisionReason,
  VoidReason,
} from '@gongzhi/community-domain';
import type { DeadlineUnit } from '@gongzhi/deadlines-domain';
import type { CommandResult } from '@gongzhi/eventsourcing';

/** Request-level facts every community command carries besides its input. */
export interface CommandMeta {
  correlationId: string;
  /** Idempotency key (a GraphQL client's commandId, a Kafka message id). */
  commandId?: string;
  /** The stream revision the client last saw; a mismatch is a conflict. */
  expectedRevision?: number;
  /** The message that caused the command (a Kafka message id, a due clock). */
  causationId?: string;
  /** Only for trusted callers (seeding, tests); requests use the processor's clock. */
  now?: string;
}

/** The reporter's contact as typed in: personal data, encrypted before it is stored. */
export interface ReporterContact {
  name?: string | null;
  phone?: string | null;
  confidential?: boolean | null;
  wantsReply?: boolean | null;
}

abstract class CommunityCommand<I> extends Command<CommandResult> {
  constructor(
    readonly input: I,
    readonly principal: Principal,
    readonly meta: CommandMeta,
  ) {
    super();
  }
}

// Grids ---------------------------------------------------------------------------------------

export interface DefineGridInput {
  /** The grid's org unit id; derived from the commandId when absent. */
  gridId?: string | null;
  communityId: string;
  name: string;
  area: string;
  workerStaffId: string;
  supervisionPhone: string;
  code?: string | null;
}
export class DefineGridCommand extends CommunityCommand<DefineGridInput> {}
export class ReassignGridWorkerCommand extends CommunityCommand<{ gridId: string; workerStaffId: string; reason: string }> {}
export class RetireGridCommand extends CommunityCommand<{ gridId: string; reason: string }> {}

// Intake --------------------------------------------------------------------------------------

export interface ReportIncidentInput {
  incidentId?: string | null;
  channel: IncidentChannel;
  /** The grid the matter lies in; its community follows from it. */
  gridId?: string | null;
  /** Required when no grid is given. */
  communityId?: string | null;
  location: IncidentLocation;
  description: string;
  photoRefs?: string[] | null;
  reporter?: ReporterContact | null;
  externalRef?: string | null;
}
export class ReportIncidentCommand extends CommunityCommand<ReportIncidentInput> {}

/**
 * A 12345 work order as the hotline centre sends it. Usable by the Kafka inbound consumer with
 * `meta.commandId` = the message id; idempotent by ticket number besides.
 */
export interface ReceiveHotlineWorkOrderInput {
  ticketNumber: string;
  /** The centre's category: our catalogue code when it is one, else kept as text. */
  category: string;
  matterType?: HotlineMatterType | null;
  description: string;
  location: IncidentLocation;
  /** The grid's or the community's org unit id or code. */
  unitCode: string;
  callerRef: string;
  caller?: ReporterContact | null;
  timeLimitWorkingDays?: number | null;
  /** When the centre dispatched it (ISO instant); defaults to receipt. */
  dispatchedAt?: string | null;
  /** The caller called about the same matter before, under this ticket (a repeated complaint). */
  repeatOfTicket?: string | null;
}
export class ReceiveHotlineWorkOrderCommand extends CommunityCommand<ReceiveHotlineWorkOrderInput> {}

export class AcceptIncidentCommand extends CommunityCommand<{ incidentId: string }> {}
export class VoidIncidentCommand extends CommunityCommand<{ incidentId: string; reason: VoidReason; duplicateOf?: string | null; note?: string | null }> {}
export class FileIncidentCommand extends CommunityCommand<{ incidentId: string; categoryCode: string }> {}

// Handling ------------------------------------------------------------------------------------

export class DispatchIncidentCommand extends CommunityCommand<{ incidentId: string; toOrgUnitId: string; note?: string | null }> {}
export class ReturnIncidentCommand extends CommunityCommand<{ incidentId: string; reason: string }> {}
export class RequestExtensionCommand extends CommunityCommand<{ incidentId: string; length: number; unit?: DeadlineUnit | null; reason: string }> {}
export class GrantExtensionCommand extends CommunityCommand<{ incidentId: string }> {}
export class RejectExtensionCommand extends CommunityCommand<{ incidentId: string; reason: string }> {}
export class ParkIncidentCommand extends CommunityCommand<{ incidentId: string; reason: string }> {}
export class UnparkIncidentCommand extends CommunityCommand<{ incidentId: string; note?: string | null }> {}
export class ReportHandlingCommand extends CommunityCommand<{ incidentId: string; notes: string; photoRefs?: string[] | null }> {}
export class PassVerificationCommand extends CommunityCommand<{ incidentId: string; note?: string | null; photoRefs?: string[] | null }> {}
export class FailVerificationCommand extends CommunityCommand<{ incidentId: string; note: string; photoRefs?: string[] | null }> {}
export class CloseIncidentCommand extends CommunityCommand<{ incidentId: string }> {}
export class EvaluateIncidentCommand extends CommunityCommand<{
  incidentId: string;
  grade: EvaluationGrade;
  satisfaction?: Satisfaction | null;
  comment?: string | null;
}> {}

// 12345 ---------------------------------------------------------------------------------------

export class ObjectToDispatchCommand extends CommunityCommand<{ incidentId: string; reason: string }> {}
export class ResolveDispatchObjectionCommand extends CommunityCommand<{ incidentId: string; outcome: 'upheld' | 'reassigned'; note?: string | null }> {}
export class ReturnWorkOrderCommand extends CommunityCommand<{ incidentId: string; reason: string }> {}
export class NotifyExtensionCommand extends CommunityCommand<{ incidentId: string; length: number; unit?: DeadlineUnit | null; reason: string }> {}
export class ReplyToCallerCommand extends CommunityCommand<{ incidentId: string; outcome: ReplyOutcome; summary: string }> {}
export class RecordCallbackCommand extends CommunityCommand<{ incidentId: string; satisfaction: Satisfaction; resolved: boolean; note?: string | null }> {}

// Time and supervision ------------------------------------------------------------------------

export class RaiseSupervisionCommand extends CommunityCommand<{
  incidentId: string;
  reason: SupervisionReason;
  level: SupervisionLevel;
  note?: string | null;
  relatedIncidentId?: string | null;
}> {}

/** Issued by the deadline scheduler (system principal) for a handling limit it saw due. */
export class MarkIncidentOverdueCommand extends CommunityCommand<{ incidentId: string; clockId: string; dueAt: string }> {}
