export * from './privacy-graphql.module';
export * from './privacy.resolver';
export * from './privacy.types';
export * from './scalars';
export * from './redaction.plugin';
export * from './personal-field';
export * from './platform-admin';
