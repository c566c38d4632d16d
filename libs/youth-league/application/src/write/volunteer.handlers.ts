import { Injectable } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { OutOfScopeError, inScope, type Principal } from '@gongzhi/auth';
import { CommandProcessor, type CommandResult } from '@gongzhi/eventsourcing';
import { OrgTree } from '@gongzhi/org';
import { volunteerDecider, volunteerStream, type ExistingVolunteer } from '@gongzhi/youth-league-domain';
import { RegisterVolunteerCommand, SetVolunteerActiveCommand, UpdateVolunteerSkillsCommand, VerifyVolunteerCommand } from './commands';
import { authorizeOrganizer, contextOf, handleOptions, idOr, newIdFor, visibleUnit } from './handler-support';
import { LeagueAggregates } from './league-aggregates';

/** The volunteer's own account is acting. */
export const isSelf = (principal: Principal, volunteer: { accountUserId: string | null }): boolean =>
  volunteer.accountUserId !== null && volunteer.accountUserId === principal.userId;

/**
 * A volunteer as a command target: visible to the volunteer themself and to units whose scope
 * covers the unit they registered with; NOT_FOUND for anyone else.
 */
export const visibleVolunteer = async (aggregates: LeagueAggregates, principal: Principal, volunteerId: string) => {
  const found = await aggregates.volunteer(volunteerId);
  if (!found || !(isSelf(principal, found.state) || inScope(principal, found.state.orgUnitPath))) {
    throw new OutOfScopeError('Volunteer', volunteerId);
  }
  return found;
};

@CommandHandler(RegisterVolunteerCommand)
export class RegisterVolunteerHandler implements ICommandHandler<RegisterVolunteerCommand> {
  constructor(
    private readonly commands: CommandProcessor,
    private readonly tree: OrgTree,
  ) {}

  async execute({ input, principal, meta }: RegisterVolunteerCommand): Promise<CommandResult> {
    const home = await visibleUnit(this.tree, principal, input.homeOrgUnitId ?? principal.orgUnitId);
    // Self-registration (Art 7) needs no staff permission: it records the caller's own data.
    if (!input.self) authorizeOrganizer(principal, home.path, 'OrgUnit', home.orgUnitId);
    const volunteerId = idOr(input.volunteerId, meta, 'volunteer');
    return this.commands.handle(
      volunteerDecider,
      volunteerStream(volunteerId),
      {
        type: 'RegisterVolunteer',
        data: {
          volunteerId,
          subjectId: newIdFor(meta, 'volunteer-subject'),
          name: input.name,
          phone: input.phone ?? null,
          skills: input.skills ?? [],
          homeOrgUnitId: home.orgUnitId,
          accountUserId: input.self ? principal.userId : (input.accountUserId ?? null),
          registeredVia: input.self ? 'self' : 'organization',
          consentGiven: input.consentGiven,
          privacyNoticeVersion: input.privacyNoticeVersion,
        },
      },
      contextOf(principal, meta),
      handleOptions(meta, home.path, volunteerId),
    );
  }
}

// Decorated so the constructor parameter types are emitted for the subclasses Nest instantiates.
@Injectable()
abstract class VolunteerHandler {
  constructor(
    protected readonly commands: CommandProcessor,
    protected readonly aggregates: LeagueAggregates,
  ) {}

  /** Officers of the volunteer's home subtree; with `selfAllowed`, the volunteer too. */
  protected async target(principal: Principal, volunteerId: string, selfAllowed: boolean): Promise<ExistingVolunteer> {
    const { state } = await visibleVolunteer(this.aggregates, principal, volunteerId);
    if (!(selfAllowed && isSelf(principal, state))) authorizeOrganizer(principal, state.orgUnitPath, 'Volunteer', volunteerId);
    return state;
  }
}

@CommandHandler(VerifyVolunteerCommand)
export class VerifyVolunteerHandler extends VolunteerHandler implements ICommandHandler<VerifyVolunteerCommand> {
  async execute({ input, principal, meta }: VerifyVolunteerCommand): Promise<CommandResult> {
    // Art 13: the organization verifies; a volunteer cannot verify themself.
    const v = await this.target(principal, input.volunteerId, false);
    return this.commands.handle(volunteerDecider, volunteerStream(v.volunteerId), { type: 'VerifyVolunteer', data: { volunteerId: v.volunteerId } },
      contextOf(principal, meta), handleOptions(meta, v.orgUnitPath, v.volunteerId));
  }
}

@CommandHandler(UpdateVolunteerSkillsCommand)
export class UpdateVolunteerSkillsHandler extends VolunteerHandler implements ICommandHandler<UpdateVolunteerSkillsCommand> {
  async execute({ input, principal, meta }: UpdateVolunteerSkillsCommand): Promise<CommandResult> {
    const v = await this.target(principal, input.volunteerId, true);
    return this.commands.handle(volunteerDecider, volunteerStream(v.volunteerId),
      { type: 'UpdateVolunteerSkills', data: { volunteerId: v.volunteerId, skills: input.skills } },
      contextOf(principal, meta), handleOptions(meta, v.orgUnitPath, v.volunteerId));
  }
}

@CommandHandler(SetVolunteerActiveCommand)
export class SetVolunteerActiveHandler extends VolunteerHandler implements ICommandHandler<SetVolunteerActiveCommand> {
  async execute({ input, principal, meta }: SetVolunteerActiveCommand): Promise<CommandResult> {
    // Volunteering is voluntary: the volunteer may step back (or return) on their own.
    const v = await this.target(principal, input.volunteerId, true);
    const command = input.active
      ? { type: 'ReactivateVolunteer' as const, data: { volunteerId: v.volunteerId } }
      : { type: 'DeactivateVolunteer' as const, data: { volunteerId: v.volunteerId, reason: input.reason ?? null } };
    return this.commands.handle(volunteerDecider, volunteerStream(v.volunteerId), command, contextOf(principal, meta), handleOptions(meta, v.orgUnitPath, v.volunteerId));
  }
}
