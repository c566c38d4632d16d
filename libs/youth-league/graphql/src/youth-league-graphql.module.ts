import { Module } from '@nestjs/common';
import { ActivityResolver, ParticipationResolver } from './activity.resolver';
import { CampaignResolver, CampaignTaskResolver } from './campaign.resolver';
import { LeagueMutationsResolver } from './league-mutations.resolver';
import { orgReadModelProvider, PersonalFields } from './support';
import { TimeBankAccountResolver, TimeBankResolver } from './time-bank.resolver';
import { CertificateLineResolver, VolunteerResolver } from './volunteer.resolver';

/**
 * The Youth League GraphQL API. Needs, in the app: YouthLeagueModule (its read model and
 * aggregates are injected here), CqrsModule.forRoot(), AuthModule's global guard, a GraphQL
 * context exposing `req`, and PrivacyModule for unmasking (without it personal fields stay masked).
 */
@Module({
  providers: [
    orgReadModelProvider,
    PersonalFields,
    VolunteerResolver,
    CertificateLineResolver,
    ActivityResolver,
    ParticipationResolver,
    TimeBankResolver,
    TimeBankAccountResolver,
    CampaignResolver,
    CampaignTaskResolver,
    LeagueMutationsResolver,
  ],
})
export class YouthLeagueGraphqlModule {}
