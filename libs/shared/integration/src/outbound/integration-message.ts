import { cloudEventMessage, toCloudEvent, type CloudEvent, type OutgoingMessage } from '@gongzhi/messaging';
import type { RecordedEvent } from '@gongzhi/event-store';
import { assertNoPersonalData } from './personal-data-guard';
import {
  MappingError,
  cloudEventSourceOf,
  cloudEventTypeOf,
  subjectOf,
  type IntegrationEventMapping,
  type PublicData,
  type RelayedEvent,
} from './registry';

/** One integration event ready for the broker. */
export interface IntegrationMessage {
  topic: string;
  /** The stream id: every event of an aggregate lands in one partition, in order. */
  key: string;
  event: CloudEvent<PublicData>;
  message: OutgoingMessage;
  position: bigint;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export const toRelayedEvent = (e: RecordedEvent): RelayedEvent => ({
  id: e.id,
  streamId: e.streamId,
  type: e.type,
  revision: e.revision,
  position: e.position,
  data: e.data,
  metadata: e.metadata ?? {},
  recordedAt: e.recordedAt,
});

/**
 * The CloudEvents 1.0 structured-mode message of one event:
 * - `id` is the event id (consumers deduplicate on it; a relay restart may resend),
 * - `source` `/gongzhi/<context>`, `type` `gongzhi.<context>.<aggregate>.<name>.v<N>`,
 * - `subject` the aggregate id, `time` the domain time (`occurredAt`),
 * - extension `sequence`: the event's revision in its aggregate (0-based), so a consumer can
 *   also see order and gaps per subject;
 * - `data`: the mapping's public payload plus the event's `orgUnitPath` (the org scope).
 * Throws MappingError or PersonalDataLeakError: such an event is withheld, not published.
 */
export const toIntegrationMessage = (
  event: RelayedEvent,
  mapping: IntegrationEventMapping,
  topicOf: (context: string) => string,
): IntegrationMessage => {
  let mapped: PublicData;
  try {
    mapped = mapping.data(event);
  } catch (e) {
    if (e instanceof MappingError) throw e;
    throw new MappingError(`Mapping ${mapping.eventType} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof mapped !== 'object' || mapped === null || Array.isArray(mapped)) {
    throw new MappingError(`Mapping ${mapping.eventType} did not return an object`);
  }
  const orgUnitPath = event.metadata.orgUnitPath;
  const data: PublicData = typeof orgUnitPath === 'string' ? { ...mapped, orgUnitPath } : { ...mapped };
  assertNoPersonalData(event.type, data, 'data');

  const occurredAt = event.metadata.occurredAt;
  const time = typeof occurredAt === 'string' && ISO_INSTANT.test(occurredAt) && !Number.isNaN(Date.parse(occurredAt))
    ? occurredAt
    : event.recordedAt.toISOString();
  const cloudEvent = toCloudEvent<PublicData>({
    id: event.id,
    source: cloudEventSourceOf(mapping.context),
    type: cloudEventTypeOf(mapping),
    subject: subjectOf(mapping, event.streamId),
    time,
    data,
    extensions: { sequence: String(event.revision) },
  });
  return {
    topic: topicOf(mapping.context),
    key: event.streamId,
    event: cloudEvent,
    message: cloudEventMessage(cloudEvent, event.streamId),
    position: event.position,
  };
};
