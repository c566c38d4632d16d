import { Args, Context, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentUser, OutOfScopeError, type Principal } from '@gongzhi/auth';
import { PageArgs, type ConnectionShape } from '@gongzhi/graphql';
import { OrgReadModel, type OrgUnitRow } from '@gongzhi/org';
import { orgLoaders, OrgUnit } from '@gongzhi/org-graphql';
import { LeagueAggregates, LeagueReadModel, type ActivityRow, type CorrectionRequestRow, type ParticipationRow } from '@gongzhi/youth-league';
import { leagueLoaders } from './league.loaders';
import {
  ActivityStatusEnum,
  CorrectionStatusEnum,
  HoursCorrectionRequest,
  HoursCorrectionRequestConnection,
  Participation,
  ParticipationConnection,
  Volunteer,
  VolunteerActivity,
  VolunteerActivityConnection,
} from './league.types';
import { connectionOf, pageOf, parseJsonList, PersonalFields, visiblePath } from './support';
import { toParticipation, toVolunteer, type VolunteerNode } from './volunteer.resolver';

type ActivityNode = VolunteerActivity & { owningOrgPath: string };

const toActivity = (row: ActivityRow): ActivityNode => ({
  ...row,
  requiredSkills: parseJsonList(row.requiredSkills),
  risks: parseJsonList(row.risks),
});

const toRequest = (row: CorrectionRequestRow): HoursCorrectionRequest => ({ ...row });

/**
 * Activities: organizer-side lists are scoped to the organizer's subtree; what is recruiting is
 * public (志願服務條例 Art 12), so volunteers browse `openActivities` and read those by id.
 */
@Resolver(() => VolunteerActivity)
export class ActivityResolver {
  constructor(
    private readonly read: LeagueReadModel,
    private readonly org: OrgReadModel,
  ) {}

  @Query(() => VolunteerActivityConnection, { description: 'Activities organized in your scope.' })
  async activities(
    @CurrentUser() principal: Principal,
    @Args() args: PageArgs,
    @Args('status', { type: () => ActivityStatusEnum, nullable: true }) status?: string | null,
    @Args('under', { type: () => ID, nullable: true }) under?: string | null,
  ): Promise<ConnectionShape<ActivityNode>> {
    const { page, size } = pageOf(args);
    const underPath = await visiblePath(this.org, principal, under);
    return connectionOf(await this.read.activities(principal, { status, underPath }, page), size, (r) => r.id, toActivity);
  }

  @Query(() => VolunteerActivityConnection, { description: 'Activities recruiting volunteers, anywhere (recruitment is public, Art 12).' })
  async openActivities(@Args() args: PageArgs): Promise<ConnectionShape<ActivityNode>> {
    const { page, size } = pageOf(args);
    return connectionOf(await this.read.openActivities(page), size, (r) => r.id, toActivity);
  }

  @Query(() => VolunteerActivity, { description: 'An activity in your scope, or one that is recruiting.' })
  async activity(@CurrentUser() principal: Principal, @Args('id', { type: () => ID }) id: string): Promise<ActivityNode> {
    const row = await this.read.activity(principal, id);
    if (!row) throw new OutOfScopeError('Activity', id);
    return toActivity(row);
  }

  @Query(() => HoursCorrectionRequestConnection, { description: 'Correction requests addressed to organizers in your scope.' })
  async hoursCorrectionRequests(
    @CurrentUser() principal: Principal,
    @Args() args: PageArgs,
    @Args('status', { type: () => CorrectionStatusEnum, nullable: true }) status?: string | null,
    @Args('activityId', { type: () => ID, nullable: true }) activityId?: string | null,
  ) {
    const { page, size } = pageOf(args);
    return connectionOf(await this.read.correctionRequests(principal, { status, activityId }, page), size, (r) => r.id, toRequest);
  }

  @ResolveField(() => OrgUnit, { nullable: true })
  organizer(@Parent() a: ActivityNode, @CurrentUser() principal: Principal, @Context('req') req: object): Promise<OrgUnitRow | null> {
    return orgLoaders(req, principal, this.org).unit.load(a.organizerOrgUnitId);
  }

  @ResolveField(() => ParticipationConnection, { description: 'Who takes part (the organizer’s scope only).' })
  async participations(@Parent() a: ActivityNode, @CurrentUser() principal: Principal, @Args() args: PageArgs) {
    const { page, size } = pageOf(args);
    return connectionOf(await this.read.participationsOfActivity(principal, a.id, page), size, (r) => r.id, toParticipation);
  }
}

@Resolver(() => Participation)
export class ParticipationResolver {
  constructor(
    private readonly read: LeagueReadModel,
    private readonly aggregates: LeagueAggregates,
    private readonly personal: PersonalFields,
  ) {}

  @ResolveField(() => Volunteer, { nullable: true, description: 'Null when the volunteer’s record lies outside your scope.' })
  async volunteer(@Parent() p: ParticipationRow, @CurrentUser() principal: Principal, @Context('req') req: object): Promise<VolunteerNode | null> {
    const row = await leagueLoaders(req, principal, this.read, this.aggregates).volunteer.load(p.volunteerId);
    return row ? toVolunteer(row) : null;
  }

  @ResolveField(() => String, { nullable: true, description: 'The volunteer’s name for the organizer running the activity: masked unless you may unmask here (audited).' })
  async volunteerName(@Parent() p: ParticipationRow, @CurrentUser() principal: Principal, @Context('req') req: Record<string, any>) {
    const state = await leagueLoaders(req, principal, this.read, this.aggregates).volunteerState.load(p.volunteerId);
    return this.personal.reveal(principal, req, {
      value: state?.name, kind: 'name', field: 'volunteerName', orgUnitPath: p.owningOrgPath, resourceType: 'participation', resourceId: p.id, purpose: 'volunteer-activity',
    });
  }
}
