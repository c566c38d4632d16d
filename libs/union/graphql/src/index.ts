export * from './labor-dispute.types';
export * from './labor-dispute.inputs';
export * from './labor-dispute.mappers';
export * from './labor-dispute.resolver';
export * from './labor-dispute-mutations.resolver';
export * from './union-graphql.module';
