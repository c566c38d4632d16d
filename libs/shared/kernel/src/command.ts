import type { Actor } from './event';

/** The actor as a decider sees it: roles are included for rules that depend on them. */
export interface CommandActor extends Actor {
  roles?: readonly string[];
}

/**
 * Supplied by the command processor. `now` is the only clock a decider may use, so deciders stay
 * pure and tests control time.
 */
export interface CommandMetadata {
  /** ISO-8601 instant. */
  now: string;
  commandId: string;
  actor: CommandActor;
  /** Org unit path the command acts in, when known before the aggregate is loaded. */
  orgUnitPath?: string;
}

/** A domain command: `type` is an imperative name equal to the TypeScript type's name. */
export interface Command<Type extends string = string, Data = Record<string, unknown>> {
  readonly type: Type;
  readonly data: Data;
  readonly metadata: CommandMetadata;
}

export type AnyCommand = Command<string, unknown>;

/** A command as a caller sends it, before the processor adds metadata. */
export type CommandInput<C extends AnyCommand = AnyCommand> = C extends AnyCommand ? { readonly type: C['type']; readonly data: C['data'] } : never;
