import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import { correlationIdOf, CurrentUser, Permission, RequirePermission, type Principal } from '@gongzhi/auth';
import {
  AcceptIncidentCommand,
  CloseIncidentCommand,
  DefineGridCommand,
  DispatchIncidentCommand,
  EvaluateIncidentCommand,
  FailVerificationCommand,
  FileIncidentCommand,
  GrantExtensionCommand,
  NotifyExtensionCommand,
  ObjectToDispatchCommand,
  ParkIncidentCommand,
  PassVerificationCommand,
  RaiseSupervisionCommand,
  ReassignGridWorkerCommand,
  ReceiveHotlineWorkOrderCommand,
  RecordCallbackCommand,
  RejectExtensionCommand,
  ReplyToCallerCommand,
  ReportHandlingCommand,
  ReportIncidentCommand,
  RequestExtensionCommand,
  ResolveDispatchObjectionCommand,
  RetireGridCommand,
  ReturnIncidentCommand,
  ReturnWorkOrderCommand,
  UnparkIncidentCommand,
  VoidIncidentCommand,
  type CommandMeta,
} from '@gongzhi/community';
import type { CommandResult } from '@gongzhi/eventsourcing';
import { commandOptionsOf, MutationResult, toMutationResult } from '@gongzhi/graphql';
import {
  DefineGridInput,
  DispatchIncidentInput,
  EvaluateIncidentInput,
  ExtensionInput,
  FileIncidentInput,
  IncidentIdInput,
  NoteInput,
  RaiseSupervisionInput,
  ReasonInput,
  ReassignGridWorkerInput,
  ReceiveHotlineWorkOrderInput,
  RecordCallbackInput,
  ReplyToCallerInput,
  ReportHandlingInput,
  ReportIncidentInput,
  ResolveDispatchObjectionInput,
  RetireGridInput,
  VerificationInput,
  VoidIncidentInput,
} from './community.inputs';

const metaOf = (input: { commandId?: string | null; expectedRevision?: number | null }, req: object): CommandMeta => {
  const { commandId, expectedRevision } = commandOptionsOf(input);
  return {
    correlationId: correlationIdOf(req as Record<string, unknown>),
    ...(commandId !== undefined ? { commandId } : {}),
    ...(expectedRevision !== undefined ? { expectedRevision } : {}),
  };
};

const location = (l: { address: string; latitude?: number | null; longitude?: number | null }) => ({
  address: l.address,
  latitude: l.latitude ?? null,
  longitude: l.longitude ?? null,
});

type Ctor<I> = new (input: I, principal: Principal, meta: CommandMeta) => object;

/**
 * Every step of grids, grid cases and 12345 work orders. The permission decorators refuse a
 * caller who holds the permission nowhere; the handlers check it where it matters (the owning
 * unit or the handling unit): outside the scope NOT_FOUND, inside it without the right FORBIDDEN.
 * Broken rules come back as DOMAIN_RULE with a stable `COMMUNITY.…` ruleCode.
 */
@Resolver()
export class CommunityMutationsResolver {
  constructor(private readonly commandBus: CommandBus) {}

  private async run<I>(Command: Ctor<I>, input: I, principal: Principal, meta: CommandMeta): Promise<MutationResult> {
    return toMutationResult(await this.commandBus.execute<never, CommandResult>(new Command(input, principal, meta) as never));
  }

  // Grids ---------------------------------------------------------------------------------------

  @Mutation(() => MutationResult, { description: 'Defines a grid in a community: its org unit (kind GRID) and its posted profile.' })
  @RequirePermission(Permission.CommunityWrite)
  defineGrid(@Args('input') input: DefineGridInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    const { gridId, communityId, name, area, workerStaffId, supervisionPhone, code } = input;
    return this.run(DefineGridCommand, { gridId: gridId ?? null, communityId, name, area, workerStaffId, supervisionPhone, code: code ?? null }, p, metaOf(input, req));
  }

  @Mutation(() => MutationResult)
  @RequirePermission(Permission.CommunityWrite)
  reassignGridWorker(@Args('input') input: ReassignGridWorkerInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(ReassignGridWorkerCommand, { gridId: input.gridId, workerStaffId: input.workerStaffId, reason: input.reason }, p, metaOf(input, req));
  }

  @Mutation(() => MutationResult, { description: 'Retires a grid with no open incident, and its org unit.' })
  @RequirePermission(Permission.CommunityWrite)
  retireGrid(@Args('input') input: RetireGridInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(RetireGridCommand, { gridId: input.gridId, reason: input.reason }, p, metaOf(input, req));
  }

  // Intake --------------------------------------------------------------------------------------

  @Mutation(() => MutationResult, { description: 'A report from grid patrol, a resident, video, a referral or the green channel.' })
  @RequirePermission(Permission.GridWrite)
  reportIncident(@Args('input') input: ReportIncidentInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(
      ReportIncidentCommand,
      {
        incidentId: input.incidentId ?? null,
        channel: input.channel,
        gridId: input.gridId ?? null,
        communityId: input.communityId ?? null,
        location: location(input.location),
        description: input.description,
        photoRefs: input.photoRefs ?? [],
        reporter: input.reporter ?? null,
        externalRef: input.externalRef ?? null,
      },
      p,
      metaOf(input, req),
    );
  }

  @Mutation(() => MutationResult, { description: 'A 12345 work order, dispatched with its time limit; a second copy of a ticket changes nothing.' })
  @RequirePermission(Permission.CommunityWrite)
  receiveHotlineWorkOrder(@Args('input') input: ReceiveHotlineWorkOrderInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    const { commandId: _c, expectedRevision: _e, location: l, ...rest } = input;
    return this.run(ReceiveHotlineWorkOrderCommand, { ...rest, location: location(l) }, p, metaOf(input, req));
  }

  @Mutation(() => MutationResult, { description: '受理' })
  @RequirePermission(Permission.CommunityWrite)
  acceptIncident(@Args('input') input: IncidentIdInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(AcceptIncidentCommand, { incidentId: input.incidentId }, p, metaOf(input, req));
  }

  @Mutation(() => MutationResult, { description: '不予立案/注銷; a duplicate names its original, which records the link.' })
  @RequirePermission(Permission.CommunityWrite)
  voidIncident(@Args('input') input: VoidIncidentInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(VoidIncidentCommand, { incidentId: input.incidentId, reason: input.reason, duplicateOf: input.duplicateOf ?? null, note: input.note ?? null }, p, metaOf(input, req));
  }

  @Mutation(() => MutationResult, { description: '立案 with a category of the catalogue.' })
  @RequirePermission(Permission.CommunityWrite)
  fileIncident(@Args('input') input: FileIncidentInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(FileIncidentCommand, { incidentId: input.incidentId, categoryCode: input.categoryCode }, p, metaOf(input, req));
  }

  // Handling ------------------------------------------------------------------------------------

  @Mutation(() => MutationResult, { description: '派遣 to the responsible unit; the time limit starts.' })
  @RequirePermission(Permission.CommunityWrite)
  dispatchIncident(@Args('input') input: DispatchIncidentInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(DispatchIncidentCommand, { incidentId: input.incidentId, toOrgUnitId: input.toOrgUnitId, note: input.note ?? null }, p, metaOf(input, req));
  }

  @Mutation(() => MutationResult, { description: '退回: not our duty (reason required); the case goes back for re-dispatch.' })
  @RequirePermission(Permission.GridWrite)
  returnIncident(@Args('input') input: ReasonInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(ReturnIncidentCommand, { incidentId: input.incidentId, reason: input.reason }, p, metaOf(input, req));
  }

  @Mutation(() => MutationResult, { description: 'The handling unit asks for more time (延期).' })
  @RequirePermission(Permission.GridWrite)
  requestIncidentExtension(@Args('input') input: ExtensionInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(RequestExtensionCommand, { incidentId: input.incidentId, length: input.length, unit: input.unit ?? null, reason: input.reason }, p, metaOf(input, req));
  }

  @Mutation(() => MutationResult, { description: 'Grants the pending extension (the granting user is recorded as approver).' })
  @RequirePermission(Permission.CommunityWrite)
  grantIncidentExtension(@Args('input') input: IncidentIdInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(GrantExtensionCommand, { incidentId: input.incidentId }, p, metaOf(input, req));
  }

  @Mutation(() => MutationResult)
  @RequirePermission(Permission.CommunityWrite)
  rejectIncidentExtension(@Args('input') input: ReasonInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(RejectExtensionCommand, { incidentId: input.incidentId, reason: input.reason }, p, metaOf(input, req));
  }

  @Mutation(() => MutationResult, { description: '掛賬 with a written reason; the time limit pauses.' })
  @RequirePermission(Permission.CommunityWrite)
  parkIncident(@Args('input') input: ReasonInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(ParkIncidentCommand, { incidentId: input.incidentId, reason: input.reason }, p, metaOf(input, req));
  }

  @Mutation(() => MutationResult)
  @RequirePermission(Permission.CommunityWrite)
  unparkIncident(@Args('input') input: NoteInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(UnparkIncidentCommand, { incidentId: input.incidentId, note: input.note ?? null }, p, metaOf(input, req));
  }

  @Mutation(() => MutationResult, { description: '處置反饋 with notes and photos.' })
  @RequirePermission(Permission.GridWrite)
  reportIncidentHandling(@Args('input') input: ReportHandlingInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(ReportHandlingCommand, { incidentId: input.incidentId, notes: input.notes, photoRefs: input.photoRefs ?? [] }, p, metaOf(input, req));
  }

  @Mutation(() => MutationResult, { description: '核查 passed on site.' })
  @RequirePermission(Permission.GridWrite)
  passIncidentVerification(@Args('input') input: VerificationInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(PassVerificationCommand, { incidentId: input.incidentId, note: input.note ?? null, photoRefs: input.photoRefs ?? [] }, p, metaOf(input, req));
  }

  @Mutation(() => MutationResult, { description: '核查 failed: back to the handling unit for rework (返工), with a new time limit.' })
  @RequirePermission(Permission.GridWrite)
  failIncidentVerification(@Args('input') input: VerificationInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(FailVerificationCommand, { incidentId: input.incidentId, note: input.note ?? '', photoRefs: input.photoRefs ?? [] }, p, metaOf(input, req));
  }

  @Mutation(() => MutationResult, { description: '結案' })
  @RequirePermission(Permission.CommunityWrite)
  closeIncident(@Args('input') input: IncidentIdInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(CloseIncidentCommand, { incidentId: input.incidentId }, p, metaOf(input, req));
  }

  @Mutation(() => MutationResult, { description: '綜合評價 of a closed case.' })
  @RequirePermission(Permission.CommunityWrite)
  evaluateIncident(@Args('input') input: EvaluateIncidentInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(
      EvaluateIncidentCommand,
      { incidentId: input.incidentId, grade: input.grade, satisfaction: input.satisfaction ?? null, comment: input.comment ?? null },
      p,
      metaOf(input, req),
    );
  }

  // 12345 ---------------------------------------------------------------------------------------

  @Mutation(() => MutationResult, { description: '派單異議' })
  @RequirePermission(Permission.GridWrite)
  objectToDispatch(@Args('input') input: ReasonInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(ObjectToDispatchCommand, { incidentId: input.incidentId, reason: input.reason }, p, metaOf(input, req));
  }

  @Mutation(() => MutationResult, { description: 'Records the centre’s answer to a dispatch objection.' })
  @RequirePermission(Permission.CommunityWrite)
  resolveDispatchObjection(@Args('input') input: ResolveDispatchObjectionInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(ResolveDispatchObjectionCommand, { incidentId: input.incidentId, outcome: input.outcome, note: input.note ?? null }, p, metaOf(input, req));
  }

  @Mutation(() => MutationResult, { description: 'Returns a 12345 order to the centre as clearly not our duty (once).' })
  @RequirePermission(Permission.GridWrite)
  returnWorkOrder(@Args('input') input: ReasonInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(ReturnWorkOrderCommand, { incidentId: input.incidentId, reason: input.reason }, p, metaOf(input, req));
  }

  @Mutation(() => MutationResult, { description: 'Tells the centre the order needs longer, and why; the limit moves.' })
  @RequirePermission(Permission.GridWrite)
  notifyWorkOrderExtension(@Args('input') input: ExtensionInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(NotifyExtensionCommand, { incidentId: input.incidentId, length: input.length, unit: input.unit ?? null, reason: input.reason }, p, metaOf(input, req));
  }

  @Mutation(() => MutationResult, { description: '回復來電人; the time limit is met.' })
  @RequirePermission(Permission.GridWrite)
  replyToCaller(@Args('input') input: ReplyToCallerInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(ReplyToCallerCommand, { incidentId: input.incidentId, outcome: input.outcome, summary: input.summary }, p, metaOf(input, req));
  }

  @Mutation(() => MutationResult, { description: '回訪: satisfied and resolved closes the order; otherwise it goes back for rework.' })
  @RequirePermission(Permission.CommunityWrite)
  recordCallback(@Args('input') input: RecordCallbackInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(
      RecordCallbackCommand,
      { incidentId: input.incidentId, satisfaction: input.satisfaction, resolved: input.resolved, note: input.note ?? null },
      p,
      metaOf(input, req),
    );
  }

  @Mutation(() => MutationResult, { description: '督辦' })
  @RequirePermission(Permission.CommunityWrite)
  raiseSupervision(@Args('input') input: RaiseSupervisionInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(
      RaiseSupervisionCommand,
      { incidentId: input.incidentId, reason: input.reason, level: input.level, note: input.note ?? null, relatedIncidentId: input.relatedIncidentId ?? null },
      p,
      metaOf(input, req),
    );
  }
}
