export * from './errors';
export * from './error-formatter';
export * from './mutation';
export * from './pagination';
export * from './scalars';
export * from './rate-limit';
