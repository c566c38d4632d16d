import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { CurrentUser, Permission, type Principal, RequirePermission } from '@gongzhi/auth';
import { DateTimeScalar } from '@gongzhi/graphql';
import { MobilizationView, type Figures, type MobilizationOverview as Overview, type UnitFigures } from '@gongzhi/mobilization';
import { GranularityEnum, MobilizationFigures, MobilizationOverview, MobilizationPeriod, UnitMobilization } from './mobilization.types';

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

const figures = (f: Figures): MobilizationFigures => ({
  organizational: f.organizational,
  social: {
    ...f.social,
    serviceHours: f.social.serviceMinutes / 60,
    fundsPledged: f.social.fundsPledgedFen / 100,
    fundsReceived: f.social.fundsReceivedFen / 100,
  },
});

const unitFigures = (u: UnitFigures): UnitMobilization => ({ unit: u.unit, ...figures(u) });

const overview = (o: Overview): MobilizationOverview => ({
  ...unitFigures(o),
  campaign: o.campaign ? { id: o.campaign.id, name: o.campaign.name, brand: o.campaign.brand, status: o.campaign.status, ownerOrgUnitId: o.campaign.ownerOrgUnitId } : null,
  from: o.from,
  to: o.to,
  asOf: o.asOf,
  own: figures(o.own),
  children: o.children.map(unitFigures),
});

/**
 * The unified mobilization view over GraphQL. Analytics permission; the unit asked about must
 * lie in the caller's scope (NOT_FOUND otherwise) and every figure is limited to it.
 */
@Resolver()
export class MobilizationResolver {
  constructor(private readonly view: MobilizationView) {}

  @Query(() => MobilizationOverview, {
    description:
      'Organizational and social mobilization for an org unit and its whole subtree (default: your own unit, or the campaign’s owner), ' +
      'optionally for one campaign, over a period [from, to), as of an instant (default now).',
  })
  @RequirePermission(Permission.AnalyticsRead)
  async mobilizationOverview(
    @CurrentUser() principal: Principal,
    @Args('orgUnitId', { type: () => ID, nullable: true }) orgUnitId?: string | null,
    @Args('campaignId', { type: () => ID, nullable: true }) campaignId?: string | null,
    @Args('from', { type: () => DateTimeScalar, nullable: true }) from?: Date | null,
    @Args('to', { type: () => DateTimeScalar, nullable: true }) to?: Date | null,
    @Args('asOf', { type: () => DateTimeScalar, nullable: true }) asOf?: Date | null,
  ): Promise<MobilizationOverview> {
    return overview(await this.view.overview(principal, orgUnitId, { campaignId, from: iso(from), to: iso(to), asOf: iso(asOf) }));
  }

  @Query(() => [MobilizationPeriod], { description: 'The unit’s figures per day or month between from and to (at most 62 periods).' })
  @RequirePermission(Permission.AnalyticsRead)
  async mobilizationSeries(
    @CurrentUser() principal: Principal,
    @Args('from', { type: () => DateTimeScalar }) from: Date,
    @Args('granularity', { type: () => GranularityEnum, defaultValue: GranularityEnum.MONTH }) granularity: GranularityEnum,
    @Args('orgUnitId', { type: () => ID, nullable: true }) orgUnitId?: string | null,
    @Args('campaignId', { type: () => ID, nullable: true }) campaignId?: string | null,
    @Args('to', { type: () => DateTimeScalar, nullable: true }) to?: Date | null,
    @Args('asOf', { type: () => DateTimeScalar, nullable: true }) asOf?: Date | null,
  ): Promise<MobilizationPeriod[]> {
    const periods = await this.view.series(principal, orgUnitId, { campaignId, from: iso(from), to: iso(to), asOf: iso(asOf), granularity });
    return periods.map((p) => ({ from: p.from, to: p.to, ...figures(p) }));
  }
}
