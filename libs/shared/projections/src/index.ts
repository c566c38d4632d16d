export * from './projection';
export * from './runner';
export * from './checkpoint-store';
export * from './read-model-tables';
export * from './bulk';
export * from './observer';
export * from './errors';
export * from './snapshot';
export * from './sqlite';
export {
  readStoreKind,
  runInTransaction,
  withWriteLock,
  isTransientDatabaseError,
  type ReadStoreKind,
} from './read-store';
