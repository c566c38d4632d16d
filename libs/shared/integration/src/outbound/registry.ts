import { streamIdFor } from '@gongzhi/kernel';

/**
 * What leaves Gongzhi through Kafka, decided per domain event type. An event type without a
 * mapping stays inside (most do: internal steps, anything about a person). A mapping names the
 * public CloudEvents type and copies a whitelist of fields (ids, statuses, times); it never
 * copies an object it does not know, so a personal field added to a domain event later does not
 * leak by accident.
 *
 * Contexts contribute their mappings as `ContextIntegrationEvents` (see `catalogue/`); a shared
 * library cannot import a context, so mappings are registered by event type name, and the
 * composition root (apps/kafka-bridge, apps/platform) registers the contexts it runs.
 */

/** A stored event as the relay hands it to a mapping (after upcasting). */
export interface RelayedEvent {
  id: string;
  streamId: string;
  type: string;
  revision: number;
  position: bigint;
  data: unknown;
  metadata: Readonly<Record<string, unknown>>;
  recordedAt: Date;
}

/** JSON a public payload may hold: scalars, lists and objects of them. */
export type PublicValue = string | number | boolean | null | PublicValue[] | { [key: string]: PublicValue };
export type PublicData = { [key: string]: PublicValue };

export interface IntegrationEventMapping {
  /** The domain event type as stored, e.g. 'DisputeFiled'. */
  eventType: string;
  /** Kebab-case context: topic `gongzhi.<context>.events.v1`, source `/gongzhi/<context>`. */
  context: string;
  /** Kebab-case aggregate: the CloudEvents `subject` is the id in `<context>.<aggregate>-<id>`. */
  aggregate: string;
  /** Kebab-case past tense: CloudEvents type `gongzhi.<context>.<aggregate>.<name>.v<version>`. */
  name: string;
  /** Version of the public payload; raise it (and keep the old mapping) on a breaking change. */
  version: number;
  /** The public payload. Throw (e.g. `MappingError`) when the event cannot be mapped. */
  data(event: RelayedEvent): PublicData;
}

/** One context's contribution to the registry. */
export interface ContextIntegrationEvents {
  context: string;
  mappings: readonly IntegrationEventMapping[];
}

/** An event could not be turned into its public form (bad shape, unknown stream). */
export class MappingError extends Error {
  readonly code = 'INTEGRATION.MAPPING_FAILED';
  constructor(message: string) {
    super(message);
    this.name = 'MappingError';
  }
}

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const EVENT_TYPE = /^[A-Z][A-Za-z0-9]*$/;

export const cloudEventTypeOf = (m: Pick<IntegrationEventMapping, 'context' | 'aggregate' | 'name' | 'version'>): string =>
  `gongzhi.${m.context}.${m.aggregate}.${m.name}.v${m.version}`;

export const cloudEventSourceOf = (context: string): string => `/gongzhi/${context}`;

const checkMapping = (m: IntegrationEventMapping): void => {
  const where = `Integration mapping for ${JSON.stringify(m?.eventType)}`;
  if (typeof m?.eventType !== 'string' || !EVENT_TYPE.test(m.eventType)) throw new TypeError(`${where}: eventType must be a PascalCase event type`);
  for (const part of ['context', 'aggregate', 'name'] as const) {
    if (typeof m[part] !== 'string' || !KEBAB.test(m[part])) throw new TypeError(`${where}: ${part} must be kebab-case`);
  }
  if (!Number.isSafeInteger(m.version) || m.version < 1) throw new TypeError(`${where}: version must be an integer ≥ 1`);
  if (typeof m.data !== 'function') throw new TypeError(`${where}: data must be a function`);
};

export class IntegrationEventRegistry {
  private readonly byEventType = new Map<string, IntegrationEventMapping>();

  constructor(contributions: Iterable<ContextIntegrationEvents | IntegrationEventMapping> = []) {
    for (const c of contributions) {
      if ('mappings' in c) this.registerContext(c);
      else this.register(c);
    }
  }

  /** Registers mappings; an event type mapped twice is a wiring mistake and throws. */
  register(...mappings: IntegrationEventMapping[]): this {
    for (const m of mappings) {
      checkMapping(m);
      const previous = this.byEventType.get(m.eventType);
      if (previous) {
        throw new TypeError(`Event type ${m.eventType} is mapped twice (${cloudEventTypeOf(previous)} and ${cloudEventTypeOf(m)})`);
      }
      this.byEventType.set(m.eventType, m);
    }
    return this;
  }

  registerContext(contribution: ContextIntegrationEvents): this {
    for (const m of contribution.mappings) {
      if (m.context !== contribution.context) {
        throw new TypeError(`Mapping for ${m.eventType} says context ${m.context} inside the ${contribution.context} contribution`);
      }
    }
    return this.register(...contribution.mappings);
  }

  /** The mapping of a stored event type, or undefined: the event stays inside. */
  mappingFor(eventType: string): IntegrationEventMapping | undefined {
    return this.byEventType.get(eventType);
  }

  /** Contexts with at least one mapping: the outbound topics to create. */
  contexts(): string[] {
    return [...new Set([...this.byEventType.values()].map((m) => m.context))].sort();
  }

  mappings(): IntegrationEventMapping[] {
    return [...this.byEventType.values()];
  }
}

// --- Helpers for writing mappings ------------------------------------------------------------

type Scalar = string | number | boolean | null;
const isScalar = (v: unknown): v is Scalar =>
  v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

const asRecord = (value: unknown, what: string): Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new MappingError(`${what} is not an object`);
  return value as Record<string, unknown>;
};

/**
 * Copies the listed fields of `source`, each of which must be a scalar (string, number, boolean,
 * null) or a list of scalars; a missing field is left out. A field holding an object (a person,
 * an address, an encrypted envelope) throws: public payloads are built from known scalars only.
 * `rename` maps a source field to another public name: `{ at: 'closedAt' }`.
 */
export const pickPublic = (source: unknown, fields: readonly string[], rename: Readonly<Record<string, string>> = {}): PublicData => {
  const data = asRecord(source, 'Event data');
  const out: PublicData = {};
  for (const field of fields) {
    const value = data[field];
    if (value === undefined) continue;
    const name = rename[field] ?? field;
    if (isScalar(value)) out[name] = value;
    else if (Array.isArray(value) && value.every(isScalar)) out[name] = [...value];
    else throw new MappingError(`Field ${field} is not a scalar or a list of scalars: it cannot be published`);
  }
  return out;
};

/** A scalar at a nested path (e.g. `['category', 'code']`), or undefined when absent. */
export const publicPath = (source: unknown, path: readonly string[]): Scalar | undefined => {
  let value: unknown = source;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  if (value === undefined) return undefined;
  if (!isScalar(value)) throw new MappingError(`${path.join('.')} is not a scalar: it cannot be published`);
  return value;
};

export interface EventMappingSpec {
  /** Kebab-case past tense name in the CloudEvents type. */
  name: string;
  /** Default 1. */
  version?: number;
  /** Scalar fields copied as they are. */
  fields?: readonly string[];
  /** Source field → public name. */
  rename?: Readonly<Record<string, string>>;
  /** Anything else (nested scalars, derived values); merged over `fields`. */
  extra?: (data: unknown, event: RelayedEvent) => PublicData;
}

/**
 * Mappings of one aggregate's events, written as a table:
 *   defineIntegrationEvents('union', 'labor-dispute', {
 *     DisputeFiled: { name: 'filed', fields: ['disputeId', 'category', 'filedAt'] },
 *   })
 */
export const defineIntegrationEvents = (
  context: string,
  aggregate: string,
  specs: Readonly<Record<string, EventMappingSpec>>,
): IntegrationEventMapping[] =>
  Object.entries(specs).map(([eventType, spec]) => ({
    eventType,
    context,
    aggregate,
    name: spec.name,
    version: spec.version ?? 1,
    data: (event: RelayedEvent) => ({
      ...pickPublic(event.data, spec.fields ?? [], spec.rename),
      ...(spec.extra ? spec.extra(event.data, event) : {}),
    }),
  }));

/** The aggregate id of a stream of the mapping's aggregate type (the CloudEvents subject). */
export const subjectOf = (mapping: Pick<IntegrationEventMapping, 'context' | 'aggregate'>, streamId: string): string => {
  const id = streamIdFor(mapping.context, mapping.aggregate).idOf(streamId);
  if (id === undefined) {
    throw new MappingError(`Stream ${streamId} is not a ${mapping.context}.${mapping.aggregate} stream`);
  }
  return id;
};
