import type { AnyCommand } from './command';
import type { AnyEvent, NewEvent } from './event';

/**
 * An aggregate as two pure functions (the "decider" pattern): `decide` turns a command and the
 * current state into new events or throws a DomainError; `evolve` folds one event into the state.
 * No I/O, no clock (time arrives as `command.metadata.now`), no randomness, so a replay always
 * rebuilds the same state.
 */
export interface Decider<State, C extends AnyCommand, E extends AnyEvent> {
  decide(command: C, state: State): NewEvent<E>[];
  evolve(state: State, event: E): State;
  readonly initialState: State;
}

/** The state type of a decider. */
export type DeciderState<D> = D extends Decider<infer S, any, any> ? S : never;
/** The command union of a decider. */
export type DeciderCommand<D> = D extends Decider<any, infer C, any> ? C : never;
/** The event union of a decider. */
export type DeciderEvent<D> = D extends Decider<any, any, infer E> ? E : never;

/** Folds events into a state, starting from the decider's initial state unless one is given. */
export const fold = <S, E extends AnyEvent>(
  decider: Pick<Decider<S, any, E>, 'evolve' | 'initialState'>,
  events: Iterable<E>,
  from: S = decider.initialState,
): S => {
  let state = from;
  for (const event of events) state = decider.evolve(state, event);
  return state;
};
