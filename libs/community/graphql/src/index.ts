export * from './community.types';
export * from './community.inputs';
export * from './community-queries.resolver';
export * from './community-mutations.resolver';
export * from './community-graphql.module';
