export * from './calendar';
export * from './policy';
export * from './clock';
