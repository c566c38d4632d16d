import { Args, Context, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentUser, OutOfScopeError, type Principal } from '@gongzhi/auth';
import { DateTimeScalar, PageArgs, type ConnectionShape } from '@gongzhi/graphql';
import { OrgReadModel, type OrgUnitRow } from '@gongzhi/org';
import { orgLoaders, OrgUnit } from '@gongzhi/org-graphql';
import { CLOCK, type Clock } from '@gongzhi/eventsourcing';
import { LeagueAggregates, LeagueReadModel, type ParticipationRow, type VolunteerRow } from '@gongzhi/youth-league';
import { Inject } from '@nestjs/common';
import { leagueLoaders } from './league.loaders';
import { CertificateLine, ParticipationConnection, Volunteer, VolunteerCertificate, VolunteerConnection, VolunteerStatusEnum } from './league.types';
import { connectionOf, pageOf, parseJsonList, PersonalFields, toIso, visiblePath } from './support';

export type VolunteerNode = Volunteer & { owningOrgPath: string };

export const toVolunteer = (row: VolunteerRow): VolunteerNode => ({
  id: row.id,
  subjectId: row.subjectId,
  status: row.status,
  verified: row.verified,
  skills: parseJsonList(row.skills),
  homeOrgUnitId: row.homeOrgUnitId,
  registeredVia: row.registeredVia,
  registeredAt: row.registeredAt,
  revision: row.revision,
  owningOrgPath: row.owningOrgPath,
});

export const toParticipation = (row: ParticipationRow) => ({ ...row });

/** Volunteers: visible to their home subtree's officers and to themselves. */
@Resolver(() => Volunteer)
export class VolunteerResolver {
  constructor(
    private readonly read: LeagueReadModel,
    private readonly aggregates: LeagueAggregates,
    private readonly org: OrgReadModel,
    private readonly personal: PersonalFields,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Query(() => VolunteerConnection, { description: 'Volunteers registered in your scope; `under` narrows to one unit’s subtree.' })
  async volunteers(
    @CurrentUser() principal: Principal,
    @Args() args: PageArgs,
    @Args('status', { type: () => VolunteerStatusEnum, nullable: true }) status?: string | null,
    @Args('under', { type: () => ID, nullable: true }) under?: string | null,
  ): Promise<ConnectionShape<VolunteerNode>> {
    const { page, size } = pageOf(args);
    const underPath = await visiblePath(this.org, principal, under);
    return connectionOf(await this.read.volunteers(principal, { status, underPath }, page), size, (r) => r.id, toVolunteer);
  }

  @Query(() => Volunteer, { description: 'A volunteer in your scope, or your own record (NOT_FOUND otherwise).' })
  async volunteer(@CurrentUser() principal: Principal, @Args('id', { type: () => ID }) id: string): Promise<VolunteerNode> {
    const row = await this.read.volunteer(principal, id);
    if (!row) throw new OutOfScopeError('Volunteer', id);
    return toVolunteer(row);
  }

  @Query(() => [Volunteer], { description: 'The volunteer records registered with your own login.' })
  async myVolunteerRecords(@CurrentUser() principal: Principal): Promise<VolunteerNode[]> {
    return (await this.read.myVolunteerRecords(principal)).map(toVolunteer);
  }

  @Query(() => VolunteerCertificate, { description: '志願服務記錄證明: verified hours by organization, for the volunteer or their home subtree.' })
  volunteerCertificate(
    @CurrentUser() principal: Principal,
    @Args('volunteerId', { type: () => ID }) volunteerId: string,
    @Args('asOf', { type: () => DateTimeScalar, nullable: true }) asOf?: Date | null,
  ) {
    return this.certificateOf(principal, volunteerId, asOf);
  }

  async certificateOf(principal: Principal, volunteerId: string, asOf?: Date | string | null): Promise<VolunteerCertificate> {
    const c = await this.read.certificate(principal, volunteerId, toIso(asOf, () => this.clock.now().toISOString()));
    return {
      ...c,
      totalHours: c.totalMinutes / 60,
      byOrganization: c.byOrganization.map((l) => ({ ...l, hours: l.minutes / 60, organizer: null }) as CertificateLine),
    };
  }

  @ResolveField(() => String, { nullable: true, description: 'Masked unless you may unmask personal data here (audited).' })
  async name(@Parent() v: VolunteerNode, @CurrentUser() principal: Principal, @Context('req') req: Record<string, any>) {
    const state = await leagueLoaders(req, principal, this.read, this.aggregates).volunteerState.load(v.id);
    return this.personal.reveal(principal, req, {
      value: state?.name, kind: 'name', field: 'name', orgUnitPath: v.owningOrgPath, resourceType: 'volunteer', resourceId: v.id, purpose: 'volunteer-management',
    });
  }

  @ResolveField(() => String, { nullable: true, description: 'Masked unless you may unmask personal data here (audited).' })
  async phone(@Parent() v: VolunteerNode, @CurrentUser() principal: Principal, @Context('req') req: Record<string, any>) {
    const state = await leagueLoaders(req, principal, this.read, this.aggregates).volunteerState.load(v.id);
    return this.personal.reveal(principal, req, {
      value: state?.phone, kind: 'phone', field: 'phone', orgUnitPath: v.owningOrgPath, resourceType: 'volunteer', resourceId: v.id, purpose: 'volunteer-management',
    });
  }

  @ResolveField(() => OrgUnit, { nullable: true })
  homeOrgUnit(@Parent() v: VolunteerNode, @CurrentUser() principal: Principal, @Context('req') req: object): Promise<OrgUnitRow | null> {
    return orgLoaders(req, principal, this.org).unit.load(v.homeOrgUnitId);
  }

  @ResolveField(() => ParticipationConnection, { description: 'Where the volunteer took part, with any organizer.' })
  async participations(@Parent() v: VolunteerNode, @CurrentUser() principal: Principal, @Args() args: PageArgs) {
    const { page, size } = pageOf(args);
    return connectionOf(await this.read.participationsOfVolunteer(principal, v.id, page), size, (r) => r.id, toParticipation);
  }

  @ResolveField(() => VolunteerCertificate)
  certificate(@Parent() v: VolunteerNode, @CurrentUser() principal: Principal, @Args('asOf', { type: () => DateTimeScalar, nullable: true }) asOf?: Date | null) {
    return this.certificateOf(principal, v.id, asOf);
  }
}

@Resolver(() => CertificateLine)
export class CertificateLineResolver {
  constructor(private readonly org: OrgReadModel) {}

  @ResolveField(() => OrgUnit, { nullable: true })
  organizer(@Parent() line: CertificateLine, @CurrentUser() principal: Principal, @Context('req') req: object): Promise<OrgUnitRow | null> {
    return orgLoaders(req, principal, this.org).unit.load(line.organizerOrgUnitId);
  }
}

