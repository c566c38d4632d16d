// The messaging port: types, errors, the CloudEvents envelope, dead letters and the shared retry
// policy. The kafkajs adapter is @gongzhi/messaging-kafkajs; the in-memory fake and the log
// checker are the `testing` entry.
export * from './types';
export * from './errors';
export * from './cloud-event';
export * from './dead-letter';
export { desiredConfigs } from './topic-spec';
export { processMessage, backoffDelay, abortableSleep, type MessageOutcome, type ProcessMessageDeps } from './consume-policy';
