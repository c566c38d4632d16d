export * from './services';
export * from './fixtures';
export * from './fake-clock';
export * from './given-when-then';
