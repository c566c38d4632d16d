export * from './event';
export * from './command';
export * from './decider';
export * from './errors';
export * from './assert-never';
export * from './stream-id';
export * from './time';
export * from './personal-data';
