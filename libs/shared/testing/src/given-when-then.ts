import type { AnyCommand, AnyEvent, CommandInput, CommandMetadata, Decider, EventMetadata, NewEvent } from '@gongzhi/kernel';
import { eventIdFor } from '@gongzhi/eventsourcing';
import { aCommandMetadata, anEventMetadata } from './fixtures';

/** A past event as a test writes it: metadata optional, and partial when given. */
export type GivenEvent<E extends AnyEvent> = E extends AnyEvent
  ? { readonly type: E['type']; readonly data: E['data']; readonly metadata?: Partial<EventMetadata> }
  : never;

/** A command as a test writes it: metadata optional (TEST_NOW, a test actor), partial when given. */
export type WhenCommand<C extends AnyCommand> = C extends AnyCommand
  ? CommandInput<C> & { readonly metadata?: Partial<CommandMetadata> }
  : never;

/** An expected event: metadata, if present, is ignored (the processor stamps it, not the decider). */
export type ExpectedEvent<E extends AnyEvent> = NewEvent<E> | E;

type ErrorClass = abstract new (...args: any[]) => Error;
/** An error class, a DomainError code such as 'UNION.DISPUTE_NOT_FILED', or a predicate. */
export type ExpectedError = ErrorClass | string | ((error: unknown) => boolean);

const toNewEvent = <E extends AnyEvent>(e: ExpectedEvent<E>): NewEvent<E> => ({ type: e.type, data: e.data }) as NewEvent<E>;

const describeExpected = (expected: ExpectedError | undefined): string =>
  expected === undefined ? 'an error' : typeof expected === 'string' ? `code ${expected}` : expected.name || 'a matching error';

type Decided<E extends AnyEvent> = { ok: true; events: NewEvent<E>[] } | { ok: false; error: unknown };

export class DeciderOutcome<S, C extends AnyCommand, E extends AnyEvent> {
  private result?: Decided<E>;

  constructor(
    private readonly decider: Decider<S, C, E>,
    private readonly history: E[],
    private readonly command: C,
  ) {}

  /** The events decide returned; fails if it threw. Compares type and data, in order. */
  then(expected: ExpectedEvent<E>[]): NewEvent<E>[] {
    if (typeof expected === 'function' || !Array.isArray(expected)) {
      // Guards against `await given(…).when(…)`: this object is not a promise.
      throw new TypeError('given(…).when(…) is not a promise: call .then([expected events]) on it');
    }
    const events = this.decided();
    expect(events).toEqual(expected.map(toNewEvent));
    return events;
  }

  /** decide accepted the command and returned no events. */
  thenNothing(): void {
    this.then([]);
  }

  /** decide threw the expected error; returns it for further checks (its details). */
  thenThrows(expected?: ExpectedError): Error {
    const result = this.run();
    if (result.ok) {
      throw new Error(`Expected decide to throw ${describeExpected(expected)}, but it returned ${JSON.stringify(result.events)}`);
    }
    const error = result.error as Error;
    const code = (error as { code?: unknown } | undefined)?.code;
    const shown = `${(error as Error | undefined)?.name ?? typeof error}${typeof code === 'string' ? ` (${code})` : ''}: ${(error as Error | undefined)?.message ?? String(error)}`;
    const matches =
      expected === undefined ||
      (typeof expected === 'string' ? code === expected : isClass(expected) ? error instanceof expected : (expected as (e: unknown) => boolean)(error));
    if (!matches) {
      throw new Error(`Expected decide to throw ${describeExpected(expected)}, but it threw ${shown}`, { cause: error });
    }
    return error;
  }

  /** The state after folding the given events and the decided ones. */
  thenState(expected: S): S {
    const events = this.decided();
    let state = this.history.reduce((s, e) => this.decider.evolve(s, e), this.decider.initialState);
    events.forEach((e, i) => {
      state = this.decider.evolve(state, { ...e, metadata: this.decidedMetadata(i) } as unknown as E);
    });
    expect(state).toEqual(expected);
    return state;
  }

  private decidedMetadata(index: number): EventMetadata {
    const m = this.command.metadata;
    return anEventMetadata({
      commandId: m.commandId,
      causationId: m.commandId,
      actor: { userId: m.actor.userId, ...(m.actor.orgUnitId ? { orgUnitId: m.actor.orgUnitId } : {}) },
      ...(m.orgUnitPath ? { orgUnitPath: m.orgUnitPath } : {}),
      occurredAt: m.now,
      eventId: eventIdFor(m.commandId, index),
    });
  }

  private decided(): NewEvent<E>[] {
    const result = this.run();
    if (!result.ok) throw result.error;
    return result.events;
  }

  private run(): Decided<E> {
    if (!this.result) {
      try {
        const state = this.history.reduce((s, e) => this.decider.evolve(s, e), this.decider.initialState);
        this.result = { ok: true, events: this.decider.decide(this.command, state) };
      } catch (error) {
        this.result = { ok: false, error };
      }
    }
    return this.result;
  }
}

const isClass = (f: unknown): f is ErrorClass =>
  typeof f === 'function' && (f.prototype instanceof Error || f === Error || /^class[\s{]/.test(Function.prototype.toString.call(f)));

export class DeciderScenario<S, C extends AnyCommand, E extends AnyEvent> {
  private readonly history: E[];

  constructor(
    private readonly decider: Decider<S, C, E>,
    events: GivenEvent<E>[],
  ) {
    this.history = events.map(
      (e, i) => ({ type: e.type, data: e.data, metadata: anEventMetadata({ commandId: `given-${i}`, causationId: `given-${i}`, ...e.metadata }) }) as unknown as E,
    );
  }

  when(command: WhenCommand<C>): DeciderOutcome<S, C, E> {
    const full = { type: command.type, data: command.data, metadata: aCommandMetadata(command.metadata) } as unknown as C;
    return new DeciderOutcome(this.decider, this.history, full);
  }
}

/**
 * Decider tests without I/O (STYLE.md "Tests"):
 *   given(disputeDecider, [filed]).when(startMediation).then([mediationStarted]);
 *   given(disputeDecider, [filed, started]).when(startMediation).thenThrows(DisputeNotFiled);
 * Metadata is filled from the fixtures (TEST_NOW, a test actor and org unit), so only what the
 * rule depends on needs writing; pass partial metadata to change it (`metadata: { now }`).
 */
export const given = <S, C extends AnyCommand, E extends AnyEvent>(
  decider: Decider<S, C, E>,
  events: GivenEvent<E>[] = [],
): DeciderScenario<S, C, E> => new DeciderScenario(decider, events);

/** Binds a decider once per spec file: `const given = forDecider(disputeDecider); given([filed]).when(…)`. */
export const forDecider =
  <S, C extends AnyCommand, E extends AnyEvent>(decider: Decider<S, C, E>) =>
  (events: GivenEvent<E>[] = []): DeciderScenario<S, C, E> =>
    new DeciderScenario(decider, events);
