import { isInvalidCloudEventError, parseCloudEvent, type CloudEvent } from '@gongzhi/messaging';

/**
 * The inbound work-order message (topic `gongzhi.inbound.work-orders.v1`): a CloudEvents 1.0
 * structured-mode JSON event, as the hotline 12345 centre (or any other dispatching system)
 * sends it. tools/kafka/README.md documents it with an example; WORK_ORDER_JSON_SCHEMA below is
 * the machine-readable form and `parseWorkOrderMessage` the check that runs on every message.
 *
 * The CloudEvents `id` becomes the command id: a redelivered or resent message is the same
 * command and changes nothing. Use a UUID: ids must be unique across all senders.
 */
export const WORK_ORDER_EVENT_TYPE = 'gongzhi.inbound.hotline-work-order.v1';

export const MATTER_TYPES = ['consultation', 'help', 'complaint', 'report', 'suggestion'] as const;
export type MatterType = (typeof MATTER_TYPES)[number];

/** A validated work order: what the InboundWorkOrderHandler receives. */
export interface InboundWorkOrder {
  /** The message's CloudEvents id: the command id. */
  messageId: string;
  /** The sending system (CloudEvents `source`), e.g. `/hotline/12345`. */
  source: string;
  /** The centre's ticket number (工單號): letters, digits, `-`, `_`. */
  ticketNumber: string;
  /** The centre's category as sent (its code or its path of names). */
  category: string;
  matterType: MatterType | null;
  description: string;
  location: { address: string; latitude: number | null; longitude: number | null };
  /** Org unit id of the grid (網格) the matter lies in, when the centre knows it. */
  gridCode: string | null;
  /** Org unit id of the community (社區); required when no grid code is given. */
  communityCode: string | null;
  /** The centre's opaque reference to the caller (never the caller's number). */
  callerRef: string;
  /**
   * The caller's contact, only when the caller wants a reply and agreed to share it: personal
   * data, encrypted in the event store under the caller's key, never published outbound.
   */
  caller: { name: string | null; phone: string | null; confidential: boolean; wantsReply: boolean } | null;
  /** The centre's time limit (處置時限) in working days; null: the category's policy applies. */
  timeLimitWorkingDays: number | null;
  /** When the centre dispatched the order (ISO instant): `data.dispatchedAt`, else the CloudEvents `time`. */
  dispatchedAt: string | null;
}

/** A message that can never become a work order: dead-lettered at once, never retried. */
export class InvalidWorkOrderError extends Error {
  readonly code = 'INTEGRATION.INVALID_WORK_ORDER';
  readonly retriable = false;
  constructor(readonly problems: readonly string[]) {
    // Field names and rules only: the value may be personal data and dead-letter headers are read by operators.
    super(`Invalid work order message: ${problems.join('; ')}`);
    this.name = 'InvalidWorkOrderError';
  }
}

const MESSAGE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;
const TICKET = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const UNIT_CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const DATA_FIELDS = new Set([
  'ticketNumber',
  'category',
  'matterType',
  'description',
  'location',
  'gridCode',
  'communityCode',
  'callerRef',
  'caller',
  'timeLimitWorkingDays',
  'dispatchedAt',
]);

/** The JSON Schema (2020-12) of the message; the README shows it, the validator enforces it. */
export const WORK_ORDER_JSON_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Gongzhi inbound hotline work order (CloudEvents 1.0, structured JSON)',
  type: 'object',
  required: ['specversion', 'id', 'source', 'type', 'data'],
  properties: {
    specversion: { const: '1.0' },
    id: { type: 'string', pattern: MESSAGE_ID.source, description: 'Unique message id (a UUID); becomes the command id' },
    source: { type: 'string', minLength: 1, maxLength: 200 },
    type: { const: WORK_ORDER_EVENT_TYPE },
    time: { type: 'string', format: 'date-time' },
    datacontenttype: { const: 'application/json' },
    data: {
      type: 'object',
      additionalProperties: false,
      required: ['ticketNumber', 'category', 'description', 'location', 'callerRef'],
      anyOf: [{ required: ['gridCode'] }, { required: ['communityCode'] }],
      properties: {
        ticketNumber: { type: 'string', pattern: TICKET.source },
        category: { type: 'string', minLength: 1, maxLength: 100 },
        matterType: { enum: [...MATTER_TYPES, null] },
        description: { type: 'string', minLength: 1, maxLength: 4000 },
        location: {
          type: 'object',
          additionalProperties: false,
          required: ['address'],
          properties: {
            address: { type: 'string', minLength: 1, maxLength: 300 },
            latitude: { type: ['number', 'null'], minimum: -90, maximum: 90 },
            longitude: { type: ['number', 'null'], minimum: -180, maximum: 180 },
          },
        },
        gridCode: { type: ['string', 'null'], pattern: UNIT_CODE.source },
        communityCode: { type: ['string', 'null'], pattern: UNIT_CODE.source },
        callerRef: { type: 'string', minLength: 1, maxLength: 100 },
        caller: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: {
            name: { type: ['string', 'null'], maxLength: 100 },
            phone: { type: ['string', 'null'], maxLength: 30 },
            confidential: { type: 'boolean' },
            wantsReply: { type: 'boolean' },
          },
        },
        timeLimitWorkingDays: { type: ['integer', 'null'], minimum: 1, maximum: 365 },
        dispatchedAt: { type: ['string', 'null'], format: 'date-time' },
      },
    },
  },
} as const;

type Problems = string[];

const text = (
  problems: Problems,
  value: unknown,
  field: string,
  opts: { max: number; required?: boolean; pattern?: RegExp },
): string | null => {
  if (value === undefined || value === null) {
    if (opts.required) problems.push(`${field} is required`);
    return null;
  }
  if (typeof value !== 'string') {
    problems.push(`${field} must be a string`);
    return null;
  }
  const trimmed = value.trim();
  if (trimmed.length === 0) {
    if (opts.required) problems.push(`${field} must not be empty`);
    return null;
  }
  if (trimmed.length > opts.max) problems.push(`${field} is longer than ${opts.max} characters`);
  else if (opts.pattern && !opts.pattern.test(trimmed)) problems.push(`${field} has an invalid format`);
  return trimmed;
};

const coordinate = (problems: Problems, value: unknown, field: string, limit: number): number | null => {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > limit) {
    problems.push(`${field} must be a number between -${limit} and ${limit}`);
    return null;
  }
  return value;
};

const instant = (problems: Problems, value: unknown, field: string): string | null => {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !ISO_INSTANT.test(value) || Number.isNaN(Date.parse(value))) {
    problems.push(`${field} must be an ISO 8601 instant with a zone (e.g. 2026-05-01T08:30:00+08:00)`);
    return null;
  }
  return value;
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates the `data` of a work-order event; throws InvalidWorkOrderError listing every problem. */
export const validateWorkOrderData = (
  data: unknown,
  envelope: { messageId: string; source: string; time?: string },
): InboundWorkOrder => {
  const problems: Problems = [];
  if (!isObject(data)) throw new InvalidWorkOrderError(['data must be a JSON object']);
  for (const key of Object.keys(data)) if (!DATA_FIELDS.has(key)) problems.push(`data.${key} is not a known field`);

  const ticketNumber = text(problems, data.ticketNumber, 'data.ticketNumber', { max: 64, required: true, pattern: TICKET });
  const category = text(problems, data.category, 'data.category', { max: 100, required: true });
  let matterType: MatterType | null = null;
  if (data.matterType !== undefined && data.matterType !== null) {
    if (typeof data.matterType === 'string' && (MATTER_TYPES as readonly string[]).includes(data.matterType)) matterType = data.matterType as MatterType;
    else problems.push(`data.matterType must be one of ${MATTER_TYPES.join(', ')}`);
  }
  const description = text(problems, data.description, 'data.description', { max: 4000, required: true });

  let location: InboundWorkOrder['location'] = { address: '', latitude: null, longitude: null };
  if (!isObject(data.location)) problems.push('data.location must be an object with an address');
  else {
    for (const key of Object.keys(data.location)) {
      if (!['address', 'latitude', 'longitude'].includes(key)) problems.push(`data.location.${key} is not a known field`);
    }
    location = {
      address: text(problems, data.location.address, 'data.location.address', { max: 300, required: true }) ?? '',
      latitude: coordinate(problems, data.location.latitude, 'data.location.latitude', 90),
      longitude: coordinate(problems, data.location.longitude, 'data.location.longitude', 180),
    };
  }

  const gridCode = text(problems, data.gridCode, 'data.gridCode', { max: 128, pattern: UNIT_CODE });
  const communityCode = text(problems, data.communityCode, 'data.communityCode', { max: 128, pattern: UNIT_CODE });
  if (data.gridCode == null && data.communityCode == null) problems.push('data.gridCode or data.communityCode is required');
  const callerRef = text(problems, data.callerRef, 'data.callerRef', { max: 100, required: true });

  let caller: InboundWorkOrder['caller'] = null;
  if (data.caller !== undefined && data.caller !== null) {
    if (!isObject(data.caller)) problems.push('data.caller must be an object or null');
    else {
      for (const key of Object.keys(data.caller)) {
        if (!['name', 'phone', 'confidential', 'wantsReply'].includes(key)) problems.push(`data.caller.${key} is not a known field`);
      }
      const flag = (key: 'confidential' | 'wantsReply'): boolean => {
        const v = (data.caller as Record<string, unknown>)[key];
        if (v === undefined) return false;
        if (typeof v !== 'boolean') problems.push(`data.caller.${key} must be true or false`);
        return v === true;
      };
      caller = {
        name: text(problems, data.caller.name, 'data.caller.name', { max: 100 }),
        phone: text(problems, data.caller.phone, 'data.caller.phone', { max: 30 }),
        confidential: flag('confidential'),
        wantsReply: flag('wantsReply'),
      };
    }
  }

  let timeLimitWorkingDays: number | null = null;
  if (data.timeLimitWorkingDays !== undefined && data.timeLimitWorkingDays !== null) {
    const t = data.timeLimitWorkingDays;
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 1 || t > 365) problems.push('data.timeLimitWorkingDays must be an integer from 1 to 365');
    else timeLimitWorkingDays = t;
  }
  const dispatchedAt = instant(problems, data.dispatchedAt, 'data.dispatchedAt') ?? envelope.time ?? null;

  if (problems.length > 0) throw new InvalidWorkOrderError(problems);
  return {
    messageId: envelope.messageId,
    source: envelope.source,
    ticketNumber: ticketNumber as string,
    category: category as string,
    matterType,
    description: description as string,
    location,
    gridCode,
    communityCode,
    callerRef: callerRef as string,
    caller,
    timeLimitWorkingDays,
    dispatchedAt,
  };
};

/** Parses a Kafka message value into a validated work order (or InvalidWorkOrderError). */
export const parseWorkOrderMessage = (value: Buffer | string | null): InboundWorkOrder => {
  let event: CloudEvent;
  try {
    event = parseCloudEvent(value);
  } catch (e) {
    if (isInvalidCloudEventError(e)) throw new InvalidWorkOrderError([`not a CloudEvents 1.0 JSON event (${e.message})`]);
    throw e;
  }
  const problems: Problems = [];
  if (!MESSAGE_ID.test(event.id)) problems.push('id must be 1-200 letters, digits, ".", "_", ":" or "-" (use a UUID)');
  if (event.source.length > 200) problems.push('source is longer than 200 characters');
  if (event.type !== WORK_ORDER_EVENT_TYPE) problems.push(`type must be ${WORK_ORDER_EVENT_TYPE}`);
  if (problems.length > 0) throw new InvalidWorkOrderError(problems);
  return validateWorkOrderData(event.data, { messageId: event.id, source: event.source, time: typeof event.time === 'string' ? event.time : undefined });
};
