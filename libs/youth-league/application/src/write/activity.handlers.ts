import { Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { OutOfScopeError, type Principal } from '@gongzhi/auth';
import { CommandProcessor, type CommandResult } from '@gongzhi/eventsourcing';
import { OrgTree } from '@gongzhi/org';
import { activityDecider, activityStream, volunteerSnapshot, type ActivityCommand, type Activity } from '@gongzhi/youth-league-domain';
import type { CommandInput } from '@gongzhi/kernel';
import {
  ChangeActivityStatusCommand,
  DeclineInvitationCommand,
  InviteVolunteerCommand,
  PublishActivityCommand,
  RecordAttendanceCommand,
  RecordServiceHoursCommand,
  RequestHoursCorrectionCommand,
  ResolveHoursCorrectionCommand,
  SignUpForActivityCommand,
  WithdrawSignUpCommand,
  type CommandMeta,
} from './commands';
import { authorizeOrganizer, contextOf, handleOptions, idOr, visibleUnit } from './handler-support';
import { LeagueAggregates } from './league-aggregates';
import { visibleVolunteer } from './volunteer.handlers';

type ExistingActivity = Exclude<Activity, { status: 'None' }>;

/**
 * Activity commands. Organizer acts (誰組織誰記錄) need a volunteer-service write permission at
 * the organizer's path. Volunteer acts (sign up, decline, withdraw, ask for a correction) need
 * no staff permission, and the activity need not lie in the volunteer's scope: recruitment is
 * public (Art 12). Consent itself is the decider's rule: an officer sending a volunteer's
 * sign-up gets LEAGUE.CONSENT_REQUIRED, not a permission error.
 */
// Decorated so the constructor parameter types are emitted for the subclasses Nest instantiates.
@Injectable()
abstract class ActivityHandler {
  constructor(
    protected readonly commands: CommandProcessor,
    protected readonly aggregates: LeagueAggregates,
  ) {}

  protected async activity(activityId: string): Promise<ExistingActivity> {
    const found = await this.aggregates.activity(activityId);
    if (!found) throw new OutOfScopeError('Activity', activityId);
    return found.state;
  }

  protected async organizerTarget(principal: Principal, activityId: string): Promise<ExistingActivity> {
    const a = await this.activity(activityId);
    authorizeOrganizer(principal, a.organizer.path, 'Activity', activityId);
    return a;
  }

  protected run(a: ExistingActivity, command: CommandInput<ActivityCommand>, principal: Principal, meta: CommandMeta): Promise<CommandResult> {
    return this.commands.handle(activityDecider, activityStream(a.activityId), command, contextOf(principal, meta), handleOptions(meta, a.organizer.path, a.activityId));
  }

  protected async volunteer(principal: Principal, volunteerId: string) {
    return volunteerSnapshot((await visibleVolunteer(this.aggregates, principal, volunteerId)).state);
  }
}

@CommandHandler(PublishActivityCommand)
export class PublishActivityHandler implements ICommandHandler<PublishActivityCommand> {
  constructor(
    private readonly commands: CommandProcessor,
    private readonly tree: OrgTree,
  ) {}

  async execute({ input, principal, meta }: PublishActivityCommand): Promise<CommandResult> {
    const organizer = await visibleUnit(this.tree, principal, input.organizerOrgUnitId ?? principal.orgUnitId);
    authorizeOrganizer(principal, organizer.path, 'OrgUnit', organizer.orgUnitId);
    const activityId = idOr(input.activityId, meta, 'activity');
    return this.commands.handle(
      activityDecider,
      activityStream(activityId),
      {
        type: 'PublishActivity',
        data: {
          activityId,
          organizer,
          title: input.title,
          content: input.content,
          place: input.place,
          startsAt: input.startsAt,
          endsAt: input.endsAt,
          slots: input.slots,
          requiredSkills: input.requiredSkills ?? [],
          risks: input.risks,
          safetyMeasures: input.safetyMeasures ?? null,
        },
      },
      contextOf(principal, meta),
      handleOptions(meta, organizer.path, activityId),
    );
  }
}

@CommandHandler(ChangeActivityStatusCommand)
export class ChangeActivityStatusHandler extends ActivityHandler implements ICommandHandler<ChangeActivityStatusCommand> {
  async execute({ input, principal, meta }: ChangeActivityStatusCommand): Promise<CommandResult> {
    const a = await this.organizerTarget(principal, input.activityId);
    const command: CommandInput<ActivityCommand> =
      input.action === 'close-enrolment'
        ? { type: 'CloseEnrolment', data: { activityId: a.activityId } }
        : input.action === 'end'
          ? { type: 'EndActivity', data: { activityId: a.activityId } }
          : { type: 'CancelActivity', data: { activityId: a.activityId, reason: input.reason ?? '' } };
    return this.run(a, command, principal, meta);
  }
}

@CommandHandler(InviteVolunteerCommand)
export class InviteVolunteerHandler extends ActivityHandler implements ICommandHandler<InviteVolunteerCommand> {
  async execute({ input, principal, meta }: InviteVolunteerCommand): Promise<CommandResult> {
    const a = await this.organizerTarget(principal, input.activityId);
    const volunteer = await this.volunteer(principal, input.volunteerId);
    return this.run(a, { type: 'InviteVolunteer', data: { activityId: a.activityId, volunteer } }, principal, meta);
  }
}

@CommandHandler(SignUpForActivityCommand)
export class SignUpForActivityHandler extends ActivityHandler implements ICommandHandler<SignUpForActivityCommand> {
  async execute({ input, principal, meta }: SignUpForActivityCommand): Promise<CommandResult> {
    const a = await this.activity(input.activityId);
    const volunteer = await this.volunteer(principal, input.volunteerId);
    return this.run(a, { type: 'SignUpForActivity', data: { activityId: a.activityId, volunteer, risksAcknowledged: input.risksAcknowledged } }, principal, meta);
  }
}

@CommandHandler(DeclineInvitationCommand)
export class DeclineInvitationHandler extends ActivityHandler implements ICommandHandler<DeclineInvitationCommand> {
  async execute({ input, principal, meta }: DeclineInvitationCommand): Promise<CommandResult> {
    const a = await this.activity(input.activityId);
    const volunteer = await this.volunteer(principal, input.volunteerId);
    return this.run(a, { type: 'DeclineInvitation', data: { activityId: a.activityId, volunteer } }, principal, meta);
  }
}

@CommandHandler(WithdrawSignUpCommand)
export class WithdrawSignUpHandler extends ActivityHandler implements ICommandHandler<WithdrawSignUpCommand> {
  async execute({ input, principal, meta }: WithdrawSignUpCommand): Promise<CommandResult> {
    const a = await this.activity(input.activityId);
    const volunteer = await this.volunteer(principal, input.volunteerId);
    return this.run(a, { type: 'WithdrawSignUp', data: { activityId: a.activityId, volunteer, reason: input.reason ?? null } }, principal, meta);
  }
}

@CommandHandler(RecordAttendanceCommand)
export class RecordAttendanceHandler extends ActivityHandler implements ICommandHandler<RecordAttendanceCommand> {
  async execute({ input, principal, meta }: RecordAttendanceCommand): Promise<CommandResult> {
    const a = await this.organizerTarget(principal, input.activityId);
    const data = { activityId: a.activityId, volunteerId: input.volunteerId };
    const command: CommandInput<ActivityCommand> =
      input.step === 'confirm'
        ? { type: 'ConfirmSignUp', data }
        : input.step === 'check-in'
          ? { type: 'CheckInVolunteer', data }
          : input.step === 'check-out'
            ? { type: 'CheckOutVolunteer', data }
            : { type: 'MarkNoShow', data };
    return this.run(a, command, principal, meta);
  }
}

@CommandHandler(RecordServiceHoursCommand)
export class RecordServiceHoursHandler extends ActivityHandler implements ICommandHandler<RecordServiceHoursCommand> {
  async execute({ input, principal, meta }: RecordServiceHoursCommand): Promise<CommandResult> {
    const a = await this.organizerTarget(principal, input.activityId);
    return this.run(
      a,
      {
        type: 'RecordServiceHours',
        data: { activityId: a.activityId, volunteerId: input.volunteerId, recordId: idOr(input.recordId, meta, 'hour-record'), minutes: input.minutes ?? null },
      },
      principal,
      meta,
    );
  }
}

@CommandHandler(RequestHoursCorrectionCommand)
export class RequestHoursCorrectionHandler extends ActivityHandler implements ICommandHandler<RequestHoursCorrectionCommand> {
  async execute({ input, principal, meta }: RequestHoursCorrectionCommand): Promise<CommandResult> {
    const a = await this.activity(input.activityId);
    const volunteer = await this.volunteer(principal, input.volunteerId);
    return this.run(
      a,
      {
        type: 'RequestHoursCorrection',
        data: { activityId: a.activityId, volunteer, requestId: idOr(input.requestId, meta, 'correction'), requestedMinutes: input.requestedMinutes, reason: input.reason },
      },
      principal,
      meta,
    );
  }
}

@CommandHandler(ResolveHoursCorrectionCommand)
export class ResolveHoursCorrectionHandler extends ActivityHandler implements ICommandHandler<ResolveHoursCorrectionCommand> {
  async execute({ input, principal, meta }: ResolveHoursCorrectionCommand): Promise<CommandResult> {
    const a = await this.organizerTarget(principal, input.activityId);
    return this.run(
      a,
      {
        type: 'ResolveHoursCorrection',
        data: { activityId: a.activityId, requestId: input.requestId, accept: input.accept, correctedMinutes: input.correctedMinutes ?? null, note: input.note ?? null },
      },
      principal,
      meta,
    );
  }
}
