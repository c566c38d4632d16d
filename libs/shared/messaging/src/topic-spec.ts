import type { TopicSpec } from './types';

/** The topic-level configs a spec asks for, as Kafka config entries. */
export const desiredConfigs = (spec: TopicSpec): Record<string, string> => {
  const configs: Record<string, string> = { ...spec.configs };
  if (spec.retentionMs !== undefined) configs['retention.ms'] = String(spec.retentionMs);
  if (spec.cleanupPolicy !== undefined) configs['cleanup.policy'] = spec.cleanupPolicy;
  return configs;
};
