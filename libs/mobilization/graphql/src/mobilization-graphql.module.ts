import { Module } from '@nestjs/common';
import { MobilizationResolver } from './mobilization.resolver';

/** The unified view's GraphQL API. Needs MobilizationModule (its MobilizationView) in the app, and AuthModule's guard. */
@Module({ providers: [MobilizationResolver] })
export class MobilizationGraphqlModule {}
