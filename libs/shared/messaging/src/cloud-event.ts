import { InvalidCloudEventError } from './errors';
import type { OutgoingMessage } from './types';

/**
 * CloudEvents 1.0, structured content mode, JSON event format: the whole event (attributes and
 * data) is the message value; the Kafka protocol binding marks it with a `content-type` header of
 * `application/cloudevents+json`. Plain code rather than the `cloudevents` SDK: the envelope is a
 * handful of attributes and this keeps validation errors typed (`InvalidCloudEventError`). The
 * unit tests check that the SDK accepts what we produce.
 */
export interface CloudEvent<T = unknown> {
  specversion: '1.0';
  /** Unique per source; consumers deduplicate on (source, id). Gongzhi uses the event id. */
  id: string;
  /** URI-reference of the producing context, e.g. `/gongzhi/union`. */
  source: string;
  /** Reverse-DNS and versioned, e.g. `gongzhi.union.labor-dispute.filed.v1`. */
  type: string;
  /** The aggregate id the event is about. */
  subject?: string;
  /** RFC 3339 timestamp. */
  time?: string;
  datacontenttype: 'application/json';
  dataschema?: string;
  data?: T;
  /** Extension attributes: lowercase letters and digits, at most 20 characters. */
  [extension: string]: unknown;
}

export interface CloudEventInput<T = unknown> {
  id: string;
  source: string;
  type: string;
  subject?: string;
  time?: string | Date;
  data?: T;
  dataschema?: string;
  extensions?: Record<string, string | number | boolean>;
}

export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json; charset=utf-8';

const RESERVED = new Set(['specversion', 'id', 'source', 'type', 'subject', 'time', 'datacontenttype', 'dataschema', 'data', 'data_base64']);
const EXTENSION_NAME = /^[a-z0-9]{1,20}$/;
// RFC 3339 date-time (what CloudEvents requires for `time`), with a zone designator.
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

const nonEmpty = (value: unknown, attribute: string): string => {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidCloudEventError(`CloudEvent attribute "${attribute}" must be a non-empty string`);
  }
  return value;
};

const checkTime = (time: string): string => {
  if (!RFC3339.test(time) || Number.isNaN(Date.parse(time))) {
    throw new InvalidCloudEventError(`CloudEvent attribute "time" is not an RFC 3339 timestamp: ${time}`);
  }
  return time;
};

/** Builds a CloudEvents 1.0 envelope with JSON data; throws InvalidCloudEventError on bad input. */
export const toCloudEvent = <T>(input: CloudEventInput<T>): CloudEvent<T> => {
  const event: CloudEvent<T> = {
    specversion: '1.0',
    id: nonEmpty(input.id, 'id'),
    source: nonEmpty(input.source, 'source'),
    type: nonEmpty(input.type, 'type'),
    datacontenttype: 'application/json',
  };
  if (input.subject !== undefined) event.subject = nonEmpty(input.subject, 'subject');
  if (input.time !== undefined) {
    event.time = input.time instanceof Date ? input.time.toISOString() : checkTime(input.time);
  }
  if (input.dataschema !== undefined) event.dataschema = nonEmpty(input.dataschema, 'dataschema');
  for (const [name, value] of Object.entries(input.extensions ?? {})) {
    if (!EXTENSION_NAME.test(name) || RESERVED.has(name)) {
      throw new InvalidCloudEventError(`CloudEvent extension name "${name}" is reserved or not [a-z0-9]{1,20}`);
    }
    event[name] = value;
  }
  if (input.data !== undefined) event.data = input.data;
  return event;
};

/** The message for Kafka's structured content mode, keyed (e.g. by stream id) for per-key order. */
export const cloudEventMessage = (event: CloudEvent, key: string | null): OutgoingMessage => ({
  key,
  value: JSON.stringify(event),
  headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE },
});

/**
 * Parses and validates a structured-mode CloudEvent (JSON). Throws InvalidCloudEventError, which
 * is not retriable: the consumer dead-letters such a message.
 */
export const parseCloudEvent = <T = unknown>(value: Buffer | string | null): CloudEvent<T> => {
  if (value === null) throw new InvalidCloudEventError('Message has no value (tombstone), not a CloudEvent');
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch (e) {
    throw new InvalidCloudEventError(`Message value is not JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidCloudEventError('Message value is not a JSON object');
  }
  const event = parsed as Record<string, unknown>;
  if (event.specversion !== '1.0') {
    throw new InvalidCloudEventError(`Unsupported CloudEvents specversion: ${String(event.specversion)}`);
  }
  nonEmpty(event.id, 'id');
  nonEmpty(event.source, 'source');
  nonEmpty(event.type, 'type');
  if (event.subject !== undefined) nonEmpty(event.subject, 'subject');
  if (event.time !== undefined) checkTime(nonEmpty(event.time, 'time'));
  const contentType = event.datacontenttype ?? 'application/json';
  if (typeof contentType !== 'string' || !/^application\/(.+\+)?json\b/.test(contentType)) {
    throw new InvalidCloudEventError(`Unsupported datacontenttype: ${String(contentType)}`);
  }
  return { ...event, datacontenttype: 'application/json' } as CloudEvent<T>;
};
