export * from './org.types';
export * from './org.inputs';
export * from './org.loaders';
export * from './org-unit.resolver';
export * from './staff.resolver';
export * from './org-mutations.resolver';
export * from './org-graphql.module';
