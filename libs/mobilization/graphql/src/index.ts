export * from './mobilization.types';
export * from './mobilization.resolver';
export * from './mobilization-graphql.module';
