import { performance } from 'node:perf_hooks';
import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  EVENT_STORE,
  isConcurrencyError,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type JsonObject,
  type JsonValue,
  type RecordedEvent,
} from '@gongzhi/event-store';
import {
  isDomainError,
  isIsoInstant,
  type AnyCommand,
  type AnyEvent,
  type CommandInput,
  type CommandMetadata,
  type Decider,
  type EventMetadata,
  type NewEvent,
} from '@gongzhi/kernel';
import { v7 as uuidv7 } from 'uuid';
import { readWholeStream, toDomainEvent } from './aggregate-reader';
import { systemClock, type Clock } from './clock';
import {
  CommandConflictError,
  InvalidRequestContextError,
  MissingOrgUnitPathError,
  isCommandConflictError,
} from './errors';
import { eventIdFor } from './event-ids';
import { decodeRecorded, type EventTransformer } from './event-transformer';
import { noopObserver, type CommandObserver, type CommandOutcome } from './metrics';
import type { CommandResult, HandleOptions, RequestContext } from './request-context';
import { UpcasterRegistry } from './upcasting';

export const DEFAULT_MAX_RETRIES = 3;

export interface CommandProcessorOptions {
  upcasters?: UpcasterRegistry;
  /** Source of `now` when the request context brings none. */
  clock?: Clock;
  observer?: CommandObserver;
  /** Re-read-and-re-decide rounds after a lost race, when the processor chose the revision. */
  maxRetries?: number;
  /** Encodes new events' data before the append and decodes stored data before folding. */
  transformer?: EventTransformer;
}

export const COMMAND_PROCESSOR_OPTIONS = Symbol('COMMAND_PROCESSOR_OPTIONS');

const UUID_SUFFIX = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** The UUID ending a stream id, else the part after its last '-' (pass aggregateId for such ids). */
export const aggregateIdFromStreamId = (streamId: string): string => {
  const uuid = UUID_SUFFIX.exec(streamId);
  if (uuid) return uuid[1];
  const dash = streamId.lastIndexOf('-');
  return dash >= 0 ? streamId.slice(dash + 1) : streamId;
};

/**
 * Load → fold → decide → append, for every command of every context:
 * - the stream is read (a missing stream is the decider's initial state), old event schemas are
 *   upcast, `evolve` folds them, `decide` gets the command with `now`, `commandId` and the actor;
 * - the new events get metadata and ids derived from the commandId, and are appended with the
 *   revision that was read, so a concurrent writer makes the append fail instead of interleaving;
 * - a lost race is retried (re-read, re-decide) up to `maxRetries` times, then reported as a
 *   CommandConflictError; when the caller named the expected revision there is no retry;
 * - a command whose commandId was already processed returns its original result, whether the
 *   resend arrives at once or after the stream moved on, and appends nothing.
 * Domain errors pass through unchanged.
 */
@Injectable()
export class CommandProcessor {
  private readonly upcasters: UpcasterRegistry;
  private readonly clock: Clock;
  private readonly observer: CommandObserver;
  private readonly maxRetries: number;
  private readonly transformer?: EventTransformer;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() @Inject(COMMAND_PROCESSOR_OPTIONS) options: CommandProcessorOptions = {},
  ) {
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
    this.clock = options.clock ?? systemClock;
    this.observer = options.observer ?? noopObserver;
    const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    if (!Number.isSafeInteger(maxRetries) || maxRetries < 0) throw new RangeError(`maxRetries must be an integer ≥ 0`);
    this.maxRetries = maxRetries;
    this.transformer = options.transformer;
  }

  async handle<S, C extends AnyCommand, E extends AnyEvent>(
    decider: Decider<S, C, E>,
    streamId: string,
    command: CommandInput<C>,
    ctx: RequestContext,
    options: HandleOptions<S> = {},
  ): Promise<CommandResult> {
    const started = performance.now();
    const progress = { attempts: 0 };
    try {
      const result = await this.process(decider, streamId, command, ctx, options, progress);
      const outcome: CommandOutcome = result.idempotentReplay ? 'replayed' : result.events.length === 0 ? 'no_op' : 'appended';
      this.observe(command.type, streamId, outcome, started, progress.attempts, result.events.length);
      return result;
    } catch (e) {
      const outcome: CommandOutcome = isDomainError(e) ? 'rejected' : isCommandConflictError(e) ? 'conflict' : 'failed';
      const code = typeof (e as { code?: unknown })?.code === 'string' ? (e as { code: string }).code : undefined;
      this.observe(command.type, streamId, outcome, started, progress.attempts, 0, code);
      throw e;
    }
  }

  private async process<S, C extends AnyCommand, E extends AnyEvent>(
    decider: Decider<S, C, E>,
    streamId: string,
    command: CommandInput<C>,
    ctx: RequestContext,
    options: HandleOptions<S>,
    progress: { attempts: number },
  ): Promise<CommandResult> {
    validateContext(ctx);
    if (!command || typeof command.type !== 'string' || command.type.length === 0) {
      throw new TypeError('A command needs a type');
    }
    const callerRevision = options.expectedRevision;
    if (callerRevision !== undefined && (!Number.isSafeInteger(callerRevision) || callerRevision < -1)) {
      throw new RangeError(`expectedRevision must be an integer ≥ -1, got ${callerRevision}`);
    }
    const idempotent = ctx.commandId !== undefined;
    const commandId = ctx.commandId ?? uuidv7();
    // Fixed once, so every retry decides with the same time and stamps the same occurredAt.
    const now = ctx.now ?? this.clock.now().toISOString();
    const aggregateId = options.aggregateId ?? aggregateIdFromStreamId(streamId);
    const base = { aggregateId, streamId };

    for (;;) {
      progress.attempts++;
      const stored = await readWholeStream(this.store, streamId);
      const current = stored.length === 0 ? -1 : stored[stored.length - 1].revision;

      if (idempotent) {
        const original = findOriginalResult(stored, commandId);
        if (original) return { ...base, ...original, idempotentReplay: true };
      }
      if (callerRevision !== undefined && callerRevision !== current) {
        throw new CommandConflictError(streamId, callerRevision, current, progress.attempts);
      }

      let state = decider.initialState;
      for (const recorded of await decodeRecorded(stored, this.transformer)) {
        state = decider.evolve(state, toDomainEvent<E>(recorded, this.upcasters));
      }

      const orgUnitPath =
        (typeof options.orgUnitPath === 'function' ? options.orgUnitPath(state) : options.orgUnitPath) ??
        ctx.actor.orgUnitPath;
      const metadata: CommandMetadata = {
        now,
        commandId,
        actor: withoutUndefined({ userId: ctx.actor.userId, orgUnitId: ctx.actor.orgUnitId, roles: [...ctx.actor.roles] }),
        ...(orgUnitPath !== undefined ? { orgUnitPath } : {}),
      };
      const decided: NewEvent<E>[] = decider.decide({ type: command.type, data: command.data, metadata } as C, state);
      if (!Array.isArray(decided)) throw new TypeError(`decide(${command.type}) must return an array of events`);
      if (decided.length === 0) return { ...base, revision: current, idempotentReplay: false, events: [] };
      if (orgUnitPath === undefined) throw new MissingOrgUnitPathError(streamId, command.type);

      const toAppend: EventToAppend[] = [];
      for (const [index, event] of decided.entries()) {
        const eventId = eventIdFor(commandId, index);
        const eventMetadata: EventMetadata = {
          eventId,
          commandId,
          correlationId: ctx.correlationId,
          causationId: ctx.causationId ?? commandId,
          actor: withoutUndefined({ userId: ctx.actor.userId, orgUnitId: ctx.actor.orgUnitId }),
          orgUnitPath,
          occurredAt: now,
          schemaVersion: this.upcasters.currentVersion(event.type),
        };
        const data = this.transformer
          ? await this.transformer.encode({ id: eventId, streamId, type: event.type, data: event.data, metadata: eventMetadata })
          : (event.data as JsonValue);
        toAppend.push({ id: eventId, type: event.type, data, metadata: eventMetadata as unknown as JsonObject });
      }

      const expectedRevision: ExpectedRevision = callerRevision ?? current;
      try {
        const appended = await this.store.appendToStream(streamId, toAppend, { expectedRevision });
        const first = appended.nextExpectedRevision - (toAppend.length - 1);
        if (appended.idempotentReplay) {
          // A copy of this command won the race between our read and our append: report what it
          // stored, which may differ from what this attempt decided.
          const original = findOriginalResult(await readWholeStream(this.store, streamId), commandId);
          if (original) return { ...base, ...original, idempotentReplay: true };
        }
        return {
          ...base,
          revision: appended.nextExpectedRevision,
          idempotentReplay: appended.idempotentReplay,
          events: toAppend.map((e, i) => ({ id: e.id, type: e.type, revision: first + i, position: appended.positions[i] })),
        };
      } catch (e) {
        if (!isConcurrencyError(e)) throw e;
        const actual = e.actual === 'no_stream' ? -1 : e.actual;
        // The caller decided on the revision it named; re-deciding on a newer state behind its back
        // would apply the command to something the caller never saw.
        if (callerRevision !== undefined || progress.attempts > this.maxRetries) {
          throw new CommandConflictError(streamId, current, actual, progress.attempts, { cause: e });
        }
      }
    }
  }

  private observe(
    commandType: string,
    streamId: string,
    outcome: CommandOutcome,
    started: number,
    attempts: number,
    eventCount: number,
    errorCode?: string,
  ): void {
    try {
      this.observer.onCommand({
        commandType,
        streamId,
        outcome,
        durationMs: performance.now() - started,
        attempts,
        eventCount,
        ...(errorCode !== undefined ? { errorCode } : {}),
      });
    } catch {
      // Metrics must never change a command's result.
    }
  }
}

/**
 * The events a command appended, found by their derived ids: the first id locates the batch, the
 * following ids must follow it in the stream. Undefined when the command appended nothing here.
 */
const findOriginalResult = (
  stored: RecordedEvent[],
  commandId: string,
): Pick<CommandResult, 'revision' | 'events'> | undefined => {
  // Derived once: a name-based UUID costs a SHA-1, and every command scans its whole stream.
  const firstId = eventIdFor(commandId, 0);
  const start = stored.findIndex((e) => e.id === firstId);
  if (start === -1) return undefined;
  const events: CommandResult['events'] = [];
  for (let i = start; i < stored.length && stored[i].id === eventIdFor(commandId, i - start); i++) {
    events.push({ id: stored[i].id, type: stored[i].type, revision: stored[i].revision, position: stored[i].position });
  }
  return { revision: events[events.length - 1].revision, events };
};

const withoutUndefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

const validateContext = (ctx: RequestContext): void => {
  if (!ctx || typeof ctx !== 'object') throw new InvalidRequestContextError('A request context is required');
  const actor = ctx.actor;
  if (!actor || typeof actor.userId !== 'string' || actor.userId.length === 0) {
    throw new InvalidRequestContextError('The request context has no actor');
  }
  if (!Array.isArray(actor.roles)) throw new InvalidRequestContextError('The actor has no roles list');
  if (typeof ctx.correlationId !== 'string' || ctx.correlationId.length === 0) {
    throw new InvalidRequestContextError('The request context has no correlationId');
  }
  if (ctx.commandId !== undefined && (typeof ctx.commandId !== 'string' || ctx.commandId.length === 0 || ctx.commandId.length > 200)) {
    throw new InvalidRequestContextError('commandId must be a non-empty string of at most 200 characters');
  }
  if (ctx.now !== undefined && !isIsoInstant(ctx.now)) {
    throw new InvalidRequestContextError('now must be an ISO-8601 instant with an offset');
  }
};
