import { Args, Context, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentUser, OutOfScopeError, type Principal } from '@gongzhi/auth';
import { PageArgs, type ConnectionShape } from '@gongzhi/graphql';
import { OrgReadModel, type OrgUnitRow } from '@gongzhi/org';
import { orgLoaders, OrgUnit } from '@gongzhi/org-graphql';
import { LeagueReadModel, type CampaignLinkRow, type CampaignRow, type CampaignTaskRow } from '@gongzhi/youth-league';
import { Campaign, CampaignBrandEnum, CampaignConnection, CampaignLink, CampaignLinkConnection, CampaignStatusEnum, CampaignTask, CampaignTaskConnection } from './league.types';
import { connectionOf, pageOf, parseJsonList, visiblePath } from './support';

type CampaignNode = Campaign & { owningOrgPath: string };

const toCampaign = (row: CampaignRow): CampaignNode => ({ ...row, channels: parseJsonList(row.channels) });
const toTask = (row: CampaignTaskRow): CampaignTask & { owningOrgPath: string } => ({
  ...row,
  status: row.overdue && row.status !== 'Completed' ? 'Overdue' : row.status,
});
const toLink = (row: CampaignLinkRow): CampaignLink => ({ ...row, pledged: row.pledgedFen / 100, received: row.receivedFen / 100 });

/**
 * Campaigns: visible to the owner's subtree and to units holding one of its tasks (which then
 * see their own tasks and references only).
 */
@Resolver(() => Campaign)
export class CampaignResolver {
  constructor(
    private readonly read: LeagueReadModel,
    private readonly org: OrgReadModel,
  ) {}

  @Query(() => CampaignConnection, { description: 'Campaigns owned in your scope, or with a task in it.' })
  async campaigns(
    @CurrentUser() principal: Principal,
    @Args() args: PageArgs,
    @Args('status', { type: () => CampaignStatusEnum, nullable: true }) status?: string | null,
    @Args('brand', { type: () => CampaignBrandEnum, nullable: true }) brand?: string | null,
  ): Promise<ConnectionShape<CampaignNode>> {
    const { page, size } = pageOf(args);
    return connectionOf(await this.read.campaigns(principal, { status, brand }, page), size, (r) => r.id, toCampaign);
  }

  @Query(() => Campaign)
  async campaign(@CurrentUser() principal: Principal, @Args('id', { type: () => ID }) id: string): Promise<CampaignNode> {
    const row = await this.read.campaign(principal, id);
    if (!row) throw new OutOfScopeError('Campaign', id);
    return toCampaign(row);
  }

  @Query(() => CampaignTaskConnection, { description: 'Campaign tasks owed by units in your scope (e.g. what your committee must do).' })
  async campaignTasks(
    @CurrentUser() principal: Principal,
    @Args() args: PageArgs,
    @Args('campaignId', { type: () => ID, nullable: true }) campaignId?: string | null,
    @Args('under', { type: () => ID, nullable: true }) under?: string | null,
    @Args('openOnly', { type: () => Boolean, nullable: true }) openOnly?: boolean | null,
  ) {
    const { page, size } = pageOf(args);
    const underPath = await visiblePath(this.org, principal, under);
    return connectionOf(await this.read.campaignTasks(principal, { campaignId, underPath, openOnly }, page), size, (r) => r.id, toTask);
  }

  @ResolveField(() => OrgUnit, { nullable: true })
  owner(@Parent() c: CampaignNode, @CurrentUser() principal: Principal, @Context('req') req: object): Promise<OrgUnitRow | null> {
    return orgLoaders(req, principal, this.org).unit.load(c.ownerOrgUnitId);
  }

  @ResolveField(() => CampaignTaskConnection, { description: 'Its tasks in your scope.' })
  async tasks(
    @Parent() c: CampaignNode,
    @CurrentUser() principal: Principal,
    @Args() args: PageArgs,
    @Args('openOnly', { type: () => Boolean, nullable: true }) openOnly?: boolean | null,
    @Args('parentTaskId', { type: () => ID, nullable: true }) parentTaskId?: string | null,
  ) {
    const { page, size } = pageOf(args);
    return connectionOf(await this.read.campaignTasks(principal, { campaignId: c.id, openOnly, parentTaskId }, page), size, (r) => r.id, toTask);
  }

  private async links(c: CampaignNode, principal: Principal, kind: string, args: PageArgs) {
    const { page, size } = pageOf(args);
    return connectionOf(await this.read.campaignLinks(principal, c as unknown as CampaignRow, kind, page), size, (r) => r.id, toLink);
  }

  @ResolveField(() => CampaignLinkConnection, { description: 'Volunteer activities linked to the social channel.' })
  linkedActivities(@Parent() c: CampaignNode, @CurrentUser() principal: Principal, @Args() args: PageArgs) {
    return this.links(c, principal, 'activity', args);
  }

  @ResolveField(() => CampaignLinkConnection, { description: 'Social organizations and enterprises that joined.' })
  partners(@Parent() c: CampaignNode, @CurrentUser() principal: Principal, @Args() args: PageArgs) {
    return this.links(c, principal, 'partner', args);
  }

  @ResolveField(() => CampaignLinkConnection, { description: 'Foundation projects ("center + foundation"), with pledged and received amounts.' })
  foundationProjects(@Parent() c: CampaignNode, @CurrentUser() principal: Principal, @Args() args: PageArgs) {
    return this.links(c, principal, 'foundation-project', args);
  }
}

@Resolver(() => CampaignTask)
export class CampaignTaskResolver {
  constructor(private readonly org: OrgReadModel) {}

  @ResolveField(() => OrgUnit, { nullable: true })
  assignee(@Parent() t: CampaignTaskRow, @CurrentUser() principal: Principal, @Context('req') req: object): Promise<OrgUnitRow | null> {
    return orgLoaders(req, principal, this.org).unit.load(t.assigneeOrgUnitId);
  }

  @ResolveField(() => OrgUnit, { nullable: true, description: 'Null when the issuer lies above your scope.' })
  issuer(@Parent() t: CampaignTaskRow, @CurrentUser() principal: Principal, @Context('req') req: object): Promise<OrgUnitRow | null> {
    return orgLoaders(req, principal, this.org).unit.load(t.issuerOrgUnitId);
  }
}
