import type { JsonValue, RecordedEvent } from '@gongzhi/event-store';
import type { EventMetadata } from '@gongzhi/kernel';

/**
 * A hook between the domain's event data and the stored form, e.g. the privacy vault's
 * event-level encryption (@gongzhi/privacy): `encode` runs on each new event before the append
 * (it knows the derived event id and the stream, to bind ciphertexts to their place); `decode`
 * runs on each stored event before upcasting and folding. Without a transformer, data is stored
 * as decided.
 */
export interface EventTransformer {
  encode(event: { id: string; streamId: string; type: string; data: unknown; metadata: EventMetadata }): Promise<JsonValue> | JsonValue;
  decode(event: RecordedEvent): Promise<unknown> | unknown;
}

/** Optional provider: bind it (useValue/useExisting) and CommandProcessor and AggregateReader use it. */
export const EVENT_TRANSFORMER = Symbol('EVENT_TRANSFORMER');

/** The stored events with their data decoded (the same array without a transformer). */
export const decodeRecorded = async (events: RecordedEvent[], transformer?: EventTransformer): Promise<RecordedEvent[]> => {
  if (!transformer) return events;
  const out: RecordedEvent[] = [];
  for (const e of events) out.push({ ...e, data: (await transformer.decode(e)) as JsonValue });
  return out;
};
