import { InvalidIdentifier } from './errors';

/**
 * Stream ids are `<context>.<aggregate>-<id>` (e.g. `union.labor-dispute-7f3c…`). Context and
 * aggregate are kebab-case names fixed in code; the id is opaque. Stream ids end up in logs, Kafka
 * keys and URLs, so the id must never carry personal data (an ID number, a phone): use a UUID.
 */
const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
export const MAX_AGGREGATE_ID_LENGTH = 128;

const checkName = (kind: 'context' | 'aggregate', value: string): void => {
  if (typeof value !== 'string' || !NAME.test(value)) {
    throw new InvalidIdentifier(`Invalid ${kind} name ${JSON.stringify(value)}: use kebab-case`, { [kind]: value });
  }
};

export const isValidAggregateId = (id: unknown): id is string =>
  typeof id === 'string' && id.length <= MAX_AGGREGATE_ID_LENGTH && ID.test(id);

const checkId = (id: string): void => {
  if (!isValidAggregateId(id)) {
    throw new InvalidIdentifier(
      `Invalid aggregate id: use letters, digits, '-' or '_' (at most ${MAX_AGGREGATE_ID_LENGTH})`,
      // The offending value is left out: it may be user input carrying personal data.
      { length: typeof id === 'string' ? (id as string).length : undefined },
    );
  }
};

export const streamId = (context: string, aggregate: string, id: string): string => {
  checkName('context', context);
  checkName('aggregate', aggregate);
  checkId(id);
  return `${context}.${aggregate}-${id}`;
};

export interface StreamIdFactory {
  (id: string): string;
  readonly context: string;
  readonly aggregate: string;
  /** `<context>.<aggregate>-`: every stream of this aggregate type starts with it. */
  readonly prefix: string;
  /** The aggregate id of one of this factory's stream ids, or undefined for any other stream. */
  idOf(streamId: string): string | undefined;
  /** Whether the stream belongs to this aggregate type. */
  owns(streamId: string): boolean;
}

/**
 * One factory per aggregate type, so the context and aggregate names are written once:
 *   export const disputeStream = streamIdFor('union', 'labor-dispute');
 *   disputeStream(id)                    // 'union.labor-dispute-<id>'
 *   disputeStream.idOf(event.streamId)   // <id>
 * `idOf` needs the aggregate name because both it and the id may contain '-'.
 */
export const streamIdFor = (context: string, aggregate: string): StreamIdFactory => {
  checkName('context', context);
  checkName('aggregate', aggregate);
  const prefix = `${context}.${aggregate}-`;
  const idOf = (s: string): string | undefined => {
    if (typeof s !== 'string' || !s.startsWith(prefix)) return undefined;
    const id = s.slice(prefix.length);
    return isValidAggregateId(id) ? id : undefined;
  };
  return Object.assign((id: string) => streamId(context, aggregate, id), {
    context,
    aggregate,
    prefix,
    idOf,
    owns: (s: string) => idOf(s) !== undefined,
  });
};

/** The context of a stream id (the part before the first '.'), or undefined if it has none. */
export const contextOf = (streamId: string): string | undefined => {
  const dot = streamId.indexOf('.');
  if (dot <= 0) return undefined;
  const context = streamId.slice(0, dot);
  return NAME.test(context) ? context : undefined;
};
