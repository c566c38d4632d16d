import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { authorize, inScope, OutOfScopeError, Permission } from '@gongzhi/auth';
import { InvalidCommunityInput, type UnitRef } from '@gongzhi/community-domain';
import type { CommandResult } from '@gongzhi/eventsourcing';
import { isValidAggregateId } from '@gongzhi/kernel';
import { v7 as uuidv7 } from 'uuid';
import { CategoryCatalogue } from '../catalogue/category-catalogue';
import { parentPath } from '../read-model/org-moves';
import {
  AcceptIncidentCommand,
  CloseIncidentCommand,
  DispatchIncidentCommand,
  EvaluateIncidentCommand,
  FailVerificationCommand,
  FileIncidentCommand,
  GrantExtensionCommand,
  MarkIncidentOverdueCommand,
  ParkIncidentCommand,
  PassVerificationCommand,
  RaiseSupervisionCommand,
  RejectExtensionCommand,
  ReportHandlingCommand,
  ReportIncidentCommand,
  RequestExtensionCommand,
  ReturnIncidentCommand,
  UnparkIncidentCommand,
  VoidIncidentCommand,
} from './commands';
import { CENTRE, FIELD, HANDLING_UNIT, IncidentStepHandler, IncidentWriter, type StepContext } from './incident-writer';
import { ReporterSubjects } from './reporter-subjects';
import { CommunityUnits, derivedCommandId, newIdFor } from './support';

const requireIncidentId = (id: string): string => {
  if (!isValidAggregateId(id)) throw new InvalidCommunityInput('incidentId: letters, digits, - and _ only', { field: 'incidentId' });
  return id;
};

/**
 * A report from patrol, a resident, a camera, a referral or the green channel, in a grid (whose
 * community follows) or directly in a community. The reporter needs grid:write where it lies.
 */
@CommandHandler(ReportIncidentCommand)
export class ReportIncidentHandler implements ICommandHandler<ReportIncidentCommand> {
  constructor(
    private readonly writer: IncidentWriter,
    private readonly units: CommunityUnits,
    private readonly reporters: ReporterSubjects,
  ) {}

  async execute({ input, principal, meta }: ReportIncidentCommand): Promise<CommandResult> {
    let community: UnitRef | null;
    let grid: UnitRef | null = null;
    if (input.gridId) {
      const found = await this.units.activeGrid(input.gridId);
      if (!found || !inScope(principal, found.unit.path)) throw new OutOfScopeError('Grid', input.gridId);
      if (input.communityId && input.communityId !== found.state.communityId) {
        throw new InvalidCommunityInput(`Grid ${input.gridId} is not in community ${input.communityId}`, { field: 'communityId' });
      }
      grid = { orgUnitId: input.gridId, path: found.unit.path };
      community = { orgUnitId: found.state.communityId, path: parentPath(found.unit.path) };
    } else if (input.communityId) {
      community = await this.units.community(principal, input.communityId);
      if (!community) throw new OutOfScopeError('Community', input.communityId);
    } else {
      throw new InvalidCommunityInput('A report names its grid, or its community when it has no grid', { field: 'gridId' });
    }
    const owner = grid?.path ?? community.path;
    authorize(principal, Permission.GridWrite, { orgUnitPath: owner, what: grid ? 'Grid' : 'Community', id: grid?.orgUnitId ?? community.orgUnitId });
    const incidentId = requireIncidentId(input.incidentId ?? newIdFor(meta, 'incident'));
    return this.writer.append(
      incidentId,
      {
        type: 'ReportIncident',
        data: {
          incidentId,
          channel: input.channel,
          community,
          grid,
          location: input.location,
          description: input.description,
          photoRefs: input.photoRefs ?? [],
          reporter: await this.reporters.reporter(input.reporter),
          externalRef: input.externalRef ?? null,
        },
      },
      principal,
      meta,
      owner,
    );
  }
}

@CommandHandler(AcceptIncidentCommand)
export class AcceptIncidentHandler extends IncidentStepHandler<AcceptIncidentCommand> {
  protected readonly access = CENTRE;
  protected build({ input }: AcceptIncidentCommand) {
    return { type: 'AcceptIncident' as const, data: { incidentId: input.incidentId } };
  }
}

/**
 * Voids a report. A duplicate names its original, which must be visible to the caller; the
 * original then records the link (a second command with a derived id, so a retry completes it).
 */
@CommandHandler(VoidIncidentCommand)
export class VoidIncidentHandler implements ICommandHandler<VoidIncidentCommand> {
  constructor(private readonly writer: IncidentWriter) {}

  async execute(command: VoidIncidentCommand): Promise<CommandResult> {
    const { input, principal } = command;
    const meta = { ...command.meta, commandId: command.meta.commandId ?? uuidv7() };
    let originalFound = false;
    if (input.reason === 'duplicate' && input.duplicateOf && input.duplicateOf !== input.incidentId) {
      originalFound = await this.writer.load(principal, input.duplicateOf, CENTRE).then(
        () => true,
        () => false,
      );
    }
    const result = await this.writer.run({ input, principal, meta }, CENTRE, () => ({
      type: 'VoidIncident' as const,
      data: { incidentId: input.incidentId, reason: input.reason, duplicateOf: input.duplicateOf ?? null, originalFound, note: input.note ?? null },
    }));
    if (input.reason === 'duplicate' && input.duplicateOf) {
      await this.writer.append(
        input.duplicateOf,
        { type: 'LinkDuplicate', data: { incidentId: input.duplicateOf, duplicateId: input.incidentId } },
        principal,
        { correlationId: meta.correlationId, commandId: derivedCommandId(meta.commandId, 'link-duplicate'), causationId: meta.commandId, ...(meta.now ? { now: meta.now } : {}) },
      );
    }
    return result;
  }
}

@CommandHandler(FileIncidentCommand)
export class FileIncidentHandler extends IncidentStepHandler<FileIncidentCommand> {
  protected readonly access = CENTRE;
  constructor(
    writer: IncidentWriter,
    private readonly catalogue: CategoryCatalogue,
  ) {
    super(writer);
  }
  protected async build({ input }: FileIncidentCommand) {
    return { type: 'FileIncident' as const, data: { incidentId: input.incidentId, categoryCode: input.categoryCode, category: await this.catalogue.find(input.categoryCode) } };
  }
}

@CommandHandler(DispatchIncidentCommand)
export class DispatchIncidentHandler extends IncidentStepHandler<DispatchIncidentCommand> {
  protected readonly access = CENTRE;
  constructor(
    writer: IncidentWriter,
    private readonly units: CommunityUnits,
  ) {
    super(writer);
  }
  protected async build({ input }: DispatchIncidentCommand, { principal, rules }: StepContext) {
    return {
      type: 'DispatchIncident' as const,
      data: {
        incidentId: input.incidentId,
        toOrgUnitId: input.toOrgUnitId,
        to: await this.units.responsibleUnit(principal, input.toOrgUnitId),
        note: input.note ?? null,
        rules: await rules(),
      },
    };
  }
}

@CommandHandler(ReturnIncidentCommand)
export class ReturnIncidentHandler extends IncidentStepHandler<ReturnIncidentCommand> {
  protected readonly access = HANDLING_UNIT;
  protected build({ input }: ReturnIncidentCommand) {
    return { type: 'ReturnIncident' as const, data: { incidentId: input.incidentId, reason: input.reason } };
  }
}

@CommandHandler(RequestExtensionCommand)
export class RequestExtensionHandler extends IncidentStepHandler<RequestExtensionCommand> {
  protected readonly access = HANDLING_UNIT;
  protected async build({ input, meta }: RequestExtensionCommand, { rules }: StepContext) {
    return {
      type: 'RequestExtension' as const,
      data: {
        incidentId: input.incidentId,
        requestId: meta.commandId ?? uuidv7(),
        length: input.length,
        unit: input.unit ?? null,
        reason: input.reason,
        rules: await rules(),
      },
    };
  }
}

@CommandHandler(GrantExtensionCommand)
export class GrantExtensionHandler extends IncidentStepHandler<GrantExtensionCommand> {
  protected readonly access = CENTRE;
  protected async build({ input }: GrantExtensionCommand, { rules }: StepContext) {
    return { type: 'GrantExtension' as const, data: { incidentId: input.incidentId, rules: await rules() } };
  }
}

@CommandHandler(RejectExtensionCommand)
export class RejectExtensionHandler extends IncidentStepHandler<RejectExtensionCommand> {
  protected readonly access = CENTRE;
  protected build({ input }: RejectExtensionCommand) {
    return { type: 'RejectExtension' as const, data: { incidentId: input.incidentId, reason: input.reason } };
  }
}

@CommandHandler(ParkIncidentCommand)
export class ParkIncidentHandler extends IncidentStepHandler<ParkIncidentCommand> {
  protected readonly access = CENTRE;
  protected build({ input }: ParkIncidentCommand) {
    return { type: 'ParkIncident' as const, data: { incidentId: input.incidentId, reason: input.reason } };
  }
}

@CommandHandler(UnparkIncidentCommand)
export class UnparkIncidentHandler extends IncidentStepHandler<UnparkIncidentCommand> {
  protected readonly access = CENTRE;
  protected async build({ input }: UnparkIncidentCommand, { rules }: StepContext) {
    return { type: 'UnparkIncident' as const, data: { incidentId: input.incidentId, note: input.note ?? null, rules: await rules() } };
  }
}

@CommandHandler(ReportHandlingCommand)
export class ReportHandlingHandler extends IncidentStepHandler<ReportHandlingCommand> {
  protected readonly access = HANDLING_UNIT;
  protected build({ input }: ReportHandlingCommand, { state, principal }: StepContext) {
    // Recorded as done by the handling unit when the caller belongs to it, else by the caller's own unit.
    const responsible = state.responsible;
    const byOrgUnitId = responsible && inScope(principal, responsible.path) ? responsible.orgUnitId : principal.orgUnitId;
    return {
      type: 'ReportHandling' as const,
      data: { incidentId: input.incidentId, byOrgUnitId, notes: input.notes, photoRefs: input.photoRefs ?? [] },
    };
  }
}

@CommandHandler(PassVerificationCommand)
export class PassVerificationHandler extends IncidentStepHandler<PassVerificationCommand> {
  protected readonly access = FIELD;
  protected build({ input }: PassVerificationCommand) {
    return { type: 'PassVerification' as const, data: { incidentId: input.incidentId, note: input.note ?? null, photoRefs: input.photoRefs ?? [] } };
  }
}

@CommandHandler(FailVerificationCommand)
export class FailVerificationHandler extends IncidentStepHandler<FailVerificationCommand> {
  protected readonly access = FIELD;
  protected async build({ input }: FailVerificationCommand, { rules }: StepContext) {
    return { type: 'FailVerification' as const, data: { incidentId: input.incidentId, note: input.note, photoRefs: input.photoRefs ?? [], rules: await rules() } };
  }
}

@CommandHandler(CloseIncidentCommand)
export class CloseIncidentHandler extends IncidentStepHandler<CloseIncidentCommand> {
  protected readonly access = CENTRE;
  protected build({ input }: CloseIncidentCommand) {
    return { type: 'CloseIncident' as const, data: { incidentId: input.incidentId } };
  }
}

@CommandHandler(EvaluateIncidentCommand)
export class EvaluateIncidentHandler extends IncidentStepHandler<EvaluateIncidentCommand> {
  protected readonly access = CENTRE;
  protected build({ input }: EvaluateIncidentCommand) {
    return {
      type: 'EvaluateIncident' as const,
      data: { incidentId: input.incidentId, grade: input.grade, satisfaction: input.satisfaction ?? null, comment: input.comment ?? null },
    };
  }
}

@CommandHandler(RaiseSupervisionCommand)
export class RaiseSupervisionHandler extends IncidentStepHandler<RaiseSupervisionCommand> {
  protected readonly access = CENTRE;
  protected build({ input }: RaiseSupervisionCommand) {
    return {
      type: 'RaiseSupervision' as const,
      data: { incidentId: input.incidentId, reason: input.reason, level: input.level, note: input.note ?? null, relatedIncidentId: input.relatedIncidentId ?? null },
    };
  }
}

@CommandHandler(MarkIncidentOverdueCommand)
export class MarkIncidentOverdueHandler extends IncidentStepHandler<MarkIncidentOverdueCommand> {
  protected readonly access = CENTRE;
  protected build({ input }: MarkIncidentOverdueCommand) {
    return { type: 'MarkIncidentOverdue' as const, data: { incidentId: input.incidentId, clockId: input.clockId, dueAt: input.dueAt } };
  }
}

export const INCIDENT_COMMAND_HANDLERS = [
  ReportIncidentHandler,
  AcceptIncidentHandler,
  VoidIncidentHandler,
  FileIncidentHandler,
  DispatchIncidentHandler,
  ReturnIncidentHandler,
  RequestExtensionHandler,
  GrantExtensionHandler,
  RejectExtensionHandler,
  ParkIncidentHandler,
  UnparkIncidentHandler,
  ReportHandlingHandler,
  PassVerificationHandler,
  FailVerificationHandler,
  CloseIncidentHandler,
  EvaluateIncidentHandler,
  RaiseSupervisionHandler,
  MarkIncidentOverdueHandler,
];
