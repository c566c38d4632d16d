import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { CommandBus } from '@nestjs/cqrs';
import { can, correlationIdOf, CurrentUser, ForbiddenError, Permission, type Principal, RequirePermission } from '@gongzhi/auth';
import type { CommandResult } from '@gongzhi/eventsourcing';
import { commandOptionsOf, MutationResult, toMutationResult } from '@gongzhi/graphql';
import {
  AdvanceCampaignCommand,
  AdvanceTaskCommand,
  ChangeActivityStatusCommand,
  DeclineInvitationCommand,
  DispatchStaffCommand,
  EvaluateCampaignCommand,
  ExchangeHoursCommand,
  InviteVolunteerCommand,
  IssueTaskCommand,
  LaunchCampaignCommand,
  LinkCampaignActivityCommand,
  LinkFoundationProjectCommand,
  OpenTimeBankAccountCommand,
  OpenTimeBankCommand,
  PlanCampaignCommand,
  PublishActivityCommand,
  RecordAttendanceCommand,
  RecordCampaignPartnerCommand,
  RecordFoundationFigureCommand,
  RecordServiceHoursCommand,
  RegisterVolunteerCommand,
  ReportTaskProgressCommand,
  RequestHoursCorrectionCommand,
  ResolveHoursCorrectionCommand,
  ReverseTransferCommand,
  SetVolunteerActiveCommand,
  SignUpForActivityCommand,
  UpdateVolunteerSkillsCommand,
  VerifyVolunteerCommand,
  VOLUNTEER_SERVICE_PERMISSIONS,
  WithdrawSignUpCommand,
  type CommandMeta,
} from '@gongzhi/youth-league';
import {
  ActivityVolunteerInput,
  AdvanceCampaignInput,
  CampaignTaskRefInput,
  ChangeActivityStatusInput,
  CompleteCampaignTaskInput,
  DispatchCampaignStaffInput,
  EvaluateCampaignInput,
  ExchangeHoursInput,
  IssueCampaignTaskInput,
  LaunchCampaignInput,
  LinkCampaignActivityInput,
  LinkFoundationProjectInput,
  OpenTimeBankAccountInput,
  OpenTimeBankInput,
  PlanCampaignInput,
  PublishActivityInput,
  RecordAttendanceInput,
  RecordCampaignPartnerInput,
  RecordFoundationFigureInput,
  RecordServiceHoursInput,
  RegisterMeAsVolunteerInput,
  RegisterVolunteerInput,
  ReportCampaignTaskProgressInput,
  RequestHoursCorrectionInput,
  ResolveHoursCorrectionInput,
  ReverseTransferInput,
  SetVolunteerActiveInput,
  SignUpForActivityInput,
  UpdateVolunteerSkillsInput,
  VolunteerRefInput,
  WithdrawSignUpInput,
} from './league.inputs';

type Base = { commandId?: string | null; expectedRevision?: number | null };

const metaOf = (input: Base, req: object): CommandMeta => {
  const { commandId, expectedRevision } = commandOptionsOf(input);
  return {
    correlationId: correlationIdOf(req as Record<string, unknown>),
    ...(commandId !== undefined ? { commandId } : {}),
    ...(expectedRevision !== undefined ? { expectedRevision } : {}),
  };
};

/** Drops the transport fields (commandId, expectedRevision) from an input. */
const body = <T extends Base>(input: T): Omit<T, keyof Base> => {
  const { commandId: _c, expectedRevision: _e, ...rest } = input;
  return rest;
};

/** Organizer acts: league, community or union staff, checked again at the target by the handler. */
const requireOrganizer = (principal: Principal): void => {
  if (!VOLUNTEER_SERVICE_PERMISSIONS.some((p) => can(principal, p))) {
    throw new ForbiddenError(`Needs ${VOLUNTEER_SERVICE_PERMISSIONS.join(' or ')}`);
  }
};

/**
 * Youth League mutations. Volunteer self-service (registerMeAsVolunteer, signUpForActivity,
 * declineInvitation, withdrawSignUp, requestHoursCorrection) needs no staff permission: the
 * handler and the decider check that the caller is the volunteer. Everything else needs a staff
 * permission somewhere, and the handler checks it at the target (NOT_FOUND outside the scope).
 */
@Resolver()
export class LeagueMutationsResolver {
  constructor(private readonly commandBus: CommandBus) {}

  private async run<C>(Command: new (input: C, principal: Principal, meta: CommandMeta) => object, input: C, principal: Principal, meta: CommandMeta) {
    return toMutationResult(await this.commandBus.execute<never, CommandResult>(new Command(input, principal, meta) as never));
  }

  // Volunteers

  @Mutation(() => MutationResult, { description: 'An organization registers a volunteer, with the volunteer’s consent (Art 20).' })
  registerVolunteer(@Args('input') input: RegisterVolunteerInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    requireOrganizer(p);
    return this.run(RegisterVolunteerCommand, { ...body(input), self: false }, p, metaOf(input, req));
  }

  @Mutation(() => MutationResult, { description: 'Self-registration (Art 7): your login becomes the volunteer’s account.' })
  registerMeAsVolunteer(@Args('input') input: RegisterMeAsVolunteerInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(RegisterVolunteerCommand, { ...body(input), self: true }, p, metaOf(input, req));
  }

  @Mutation(() => MutationResult)
  verifyVolunteer(@Args('input') input: VolunteerRefInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(VerifyVolunteerCommand, body(input), p, metaOf(input, req));
  }

  @Mutation(() => MutationResult, { description: 'By the volunteer or an officer of their home subtree.' })
  updateVolunteerSkills(@Args('input') input: UpdateVolunteerSkillsInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(UpdateVolunteerSkillsCommand, body(input), p, metaOf(input, req));
  }

  @Mutation(() => MutationResult, { description: 'Active ↔ inactive; the volunteer may step back on their own.' })
  setVolunteerActive(@Args('input') input: SetVolunteerActiveInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(SetVolunteerActiveCommand, body(input), p, metaOf(input, req));
  }

  // Activities

  @Mutation(() => MutationResult, { description: 'Publishes a volunteer activity; risks must be disclosed (LEAGUE.RISKS_NOT_DISCLOSED).' })
  publishActivity(@Args('input') input: PublishActivityInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    requireOrganizer(p);
    return this.run(PublishActivityCommand, body(input), p, metaOf(input, req));
  }

  @Mutation(() => MutationResult)
  changeActivityStatus(@Args('input') input: ChangeActivityStatusInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    requireOrganizer(p);
    return this.run(ChangeActivityStatusCommand, body(input), p, metaOf(input, req));
  }

  @Mutation(() => MutationResult, { description: 'Invites a volunteer: enrols no one; the volunteer accepts by signing up.' })
  inviteVolunteer(@Args('input') input: ActivityVolunteerInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    requireOrganizer(p);
    return this.run(InviteVolunteerCommand, body(input), p, metaOf(input, req));
  }

  @Mutation(() => MutationResult, { description: 'The volunteer’s own sign-up (志願服務條例 Art 25): from anyone else, LEAGUE.CONSENT_REQUIRED.' })
  signUpForActivity(@Args('input') input: SignUpForActivityInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(SignUpForActivityCommand, body(input), p, metaOf(input, req));
  }

  @Mutation(() => MutationResult)
  declineInvitation(@Args('input') input: ActivityVolunteerInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(DeclineInvitationCommand, body(input), p, metaOf(input, req));
  }

  @Mutation(() => MutationResult)
  withdrawSignUp(@Args('input') input: WithdrawSignUpInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(WithdrawSignUpCommand, body(input), p, metaOf(input, req));
  }

  @Mutation(() => MutationResult, { description: 'The organizer confirms, checks in, checks out or marks a no-show.' })
  recordAttendance(@Args('input') input: RecordAttendanceInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    requireOrganizer(p);
    return this.run(RecordAttendanceCommand, body(input), p, metaOf(input, req));
  }

  @Mutation(() => MutationResult, { description: '誰組織誰記錄: the organizer records the hours of a checked-out volunteer.' })
  recordServiceHours(@Args('input') input: RecordServiceHoursInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    requireOrganizer(p);
    return this.run(RecordServiceHoursCommand, body(input), p, metaOf(input, req));
  }

  @Mutation(() => MutationResult, { description: 'The volunteer asks the organizer to correct an error or omission.' })
  requestHoursCorrection(@Args('input') input: RequestHoursCorrectionInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(RequestHoursCorrectionCommand, body(input), p, metaOf(input, req));
  }

  @Mutation(() => MutationResult, { description: 'Accepting appends a compensating entry; the original record is never edited.' })
  resolveHoursCorrection(@Args('input') input: ResolveHoursCorrectionInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    requireOrganizer(p);
    return this.run(ResolveHoursCorrectionCommand, body(input), p, metaOf(input, req));
  }

  // Time bank

  @Mutation(() => MutationResult)
  openTimeBank(@Args('input') input: OpenTimeBankInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    requireOrganizer(p);
    return this.run(OpenTimeBankCommand, body(input), p, metaOf(input, req));
  }

  @Mutation(() => MutationResult)
  openTimeBankAccount(@Args('input') input: OpenTimeBankAccountInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    requireOrganizer(p);
    return this.run(OpenTimeBankAccountCommand, body(input), p, metaOf(input, req));
  }

  @Mutation(() => MutationResult, { description: 'A member pays another for a service; never below zero (LEAGUE.INSUFFICIENT_HOURS).' })
  exchangeHours(@Args('input') input: ExchangeHoursInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    requireOrganizer(p);
    return this.run(ExchangeHoursCommand, body(input), p, metaOf(input, req));
  }

  @Mutation(() => MutationResult, { description: 'Undoes an exchange with a new transfer the other way; the original stays.' })
  reverseTransfer(@Args('input') input: ReverseTransferInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    requireOrganizer(p);
    return this.run(ReverseTransferCommand, body(input), p, metaOf(input, req));
  }

  // Campaigns

  @Mutation(() => MutationResult)
  @RequirePermission(Permission.LeagueWrite)
  planCampaign(@Args('input') input: PlanCampaignInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(PlanCampaignCommand, body(input), p, metaOf(input, req));
  }

  @Mutation(() => MutationResult, { description: 'APPROVE a planned campaign, BEGIN_CLOSING a running one, CLOSE it (no open task left).' })
  @RequirePermission(Permission.LeagueWrite)
  advanceCampaign(@Args('input') input: AdvanceCampaignInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(AdvanceCampaignCommand, body(input), p, metaOf(input, req));
  }

  @Mutation(() => MutationResult)
  @RequirePermission(Permission.LeagueWrite)
  launchCampaign(@Args('input') input: LaunchCampaignInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(LaunchCampaignCommand, body(input), p, metaOf(input, req));
  }

  @Mutation(() => MutationResult)
  @RequirePermission(Permission.LeagueWrite)
  evaluateCampaign(@Args('input') input: EvaluateCampaignInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(EvaluateCampaignCommand, body(input), p, metaOf(input, req));
  }

  @Mutation(() => MutationResult, { description: 'Issues a task to a lower unit (or cascades part of your own task further down).' })
  @RequirePermission(Permission.LeagueWrite)
  issueCampaignTask(@Args('input') input: IssueCampaignTaskInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(IssueTaskCommand, body(input), p, metaOf(input, req));
  }

  @Mutation(() => MutationResult)
  @RequirePermission(Permission.LeagueWrite)
  acknowledgeCampaignTask(@Args('input') input: CampaignTaskRefInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(AdvanceTaskCommand, { ...body(input), step: 'acknowledge' as const }, p, metaOf(input, req));
  }

  @Mutation(() => MutationResult)
  @RequirePermission(Permission.LeagueWrite)
  completeCampaignTask(@Args('input') input: CompleteCampaignTaskInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(AdvanceTaskCommand, { ...body(input), step: 'complete' as const }, p, metaOf(input, req));
  }

  @Mutation(() => MutationResult)
  @RequirePermission(Permission.LeagueWrite)
  reportCampaignTaskProgress(@Args('input') input: ReportCampaignTaskProgressInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(ReportTaskProgressCommand, body(input), p, metaOf(input, req));
  }

  @Mutation(() => MutationResult)
  @RequirePermission(Permission.LeagueWrite)
  dispatchCampaignStaff(@Args('input') input: DispatchCampaignStaffInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(DispatchStaffCommand, body(input), p, metaOf(input, req));
  }

  @Mutation(() => MutationResult, { description: 'Links a volunteer activity to the campaign’s social channel.' })
  @RequirePermission(Permission.LeagueWrite)
  linkCampaignActivity(@Args('input') input: LinkCampaignActivityInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(LinkCampaignActivityCommand, body(input), p, metaOf(input, req));
  }

  @Mutation(() => MutationResult, { description: 'A social organization or an enterprise joins the campaign.' })
  @RequirePermission(Permission.LeagueWrite)
  recordCampaignPartner(@Args('input') input: RecordCampaignPartnerInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(RecordCampaignPartnerCommand, body(input), p, metaOf(input, req));
  }

  @Mutation(() => MutationResult)
  @RequirePermission(Permission.LeagueWrite)
  linkFoundationProject(@Args('input') input: LinkFoundationProjectInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(LinkFoundationProjectCommand, body(input), p, metaOf(input, req));
  }

  @Mutation(() => MutationResult, { description: 'A pledge, a receipt or beneficiaries reached, as the foundation reports them.' })
  @RequirePermission(Permission.LeagueWrite)
  recordFoundationFigure(@Args('input') input: RecordFoundationFigureInput, @CurrentUser() p: Principal, @Context('req') req: object) {
    return this.run(RecordFoundationFigureCommand, body(input), p, metaOf(input, req));
  }
}
