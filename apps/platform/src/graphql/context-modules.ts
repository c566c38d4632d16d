import type { DynamicModule, Type } from '@nestjs/common';
import { OrgGraphqlModule } from '@gongzhi/org-graphql';
import { PrivacyGraphqlModule } from '@gongzhi/privacy-graphql';
import { UnionGraphqlModule } from '@gongzhi/union-graphql';
import { YouthLeagueGraphqlModule } from '@gongzhi/youth-league-graphql';
import { MobilizationGraphqlModule } from '@gongzhi/mobilization-graphql';
import { CommunityGraphqlModule } from '@gongzhi/community-graphql';

/** Each context's GraphQL module (resolvers, inputs, outputs). A new context adds its module here. */
export const CONTEXT_GRAPHQL_MODULES: Array<Type<unknown> | DynamicModule> = [
  OrgGraphqlModule,
  PrivacyGraphqlModule,
  UnionGraphqlModule,
  YouthLeagueGraphqlModule,
  MobilizationGraphqlModule,
  CommunityGraphqlModule,
];
