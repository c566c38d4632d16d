import { deadLetter } from './dead-letter';
import { ConsumerHaltedError, isNonRetriableError, isRetriableError } from './errors';
import {
  DEFAULT_RETRY_POLICY,
  type ConsumedMessage,
  type ConsumerEvent,
  type MessageHandler,
  type MessagePublisher,
  type RetryPolicy,
} from './types';

/**
 * One message through the handler under the retry/dead-letter policy of `RetryPolicy`. Shared by
 * every adapter (kafkajs, in-memory) so they fail the same way. The caller commits the offset
 * only for 'handled' and 'dead-lettered'; 'aborted' means the consumer is stopping and the
 * message must be delivered again.
 */
export type MessageOutcome = 'handled' | 'dead-lettered' | 'aborted';

export interface ProcessMessageDeps {
  handler: MessageHandler;
  retry?: RetryPolicy;
  deadLetterTopic?: string;
  /** Needed when `deadLetterTopic` is set. */
  deadLetterPublisher?: MessagePublisher;
  signal: AbortSignal;
  generation: number;
  heartbeat: () => Promise<void>;
  onEvent?: (event: ConsumerEvent) => void;
  /** Injectable for tests; must resolve early (not reject) when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const HEARTBEAT_SLICE_MS = 1000;

export const abortableSleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

const ABORTED = Symbol('aborted');

/** Settles with the handler's result, or with ABORTED as soon as the signal aborts. */
const untilAborted = <T>(work: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> => {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.resolve(ABORTED);
  }
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      // The abandoned handler may still settle later; its outcome no longer matters.
      work.catch(() => undefined);
      resolve(ABORTED);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
};

const emit = (deps: ProcessMessageDeps, event: ConsumerEvent) => {
  try {
    deps.onEvent?.(event);
  } catch {
    // An observer must not change delivery.
  }
};

export const backoffDelay = (policy: Required<RetryPolicy>, attempt: number): number =>
  Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, attempt - 1));

export const processMessage = async (message: ConsumedMessage, deps: ProcessMessageDeps): Promise<MessageOutcome> => {
  const policy: Required<RetryPolicy> = { ...DEFAULT_RETRY_POLICY, ...deps.retry };
  const sleep = deps.sleep ?? abortableSleep;
  // Sleeps in slices so the group coordinator keeps seeing this member during long backoffs.
  const pause = async (ms: number) => {
    let left = ms;
    while (left > 0 && !deps.signal.aborted) {
      const slice = Math.min(left, HEARTBEAT_SLICE_MS);
      await sleep(slice, deps.signal);
      left -= slice;
      if (!deps.signal.aborted) await deps.heartbeat();
    }
  };

  let attempt = 1;
  let failure: unknown;
  for (;;) {
    if (deps.signal.aborted) return 'aborted';
    try {
      const result = await untilAborted(
        Promise.resolve().then(() =>
          deps.handler(message, {
            topic: message.topic,
            partition: message.partition,
            offset: message.offset,
            attempt,
            generation: deps.generation,
            signal: deps.signal,
            heartbeat: deps.heartbeat,
          }),
        ),
        deps.signal,
      );
      return result === ABORTED ? 'aborted' : 'handled';
    } catch (error) {
      if (deps.signal.aborted) return 'aborted';
      const transient = isRetriableError(error) && policy.retriableForever;
      const giveUp = isNonRetriableError(error) || (!transient && attempt > policy.retries);
      if (giveUp) {
        failure = error;
        break;
      }
      const nextDelayMs = backoffDelay(policy, attempt);
      emit(deps, { type: 'handler-failed', message, attempt, error, nextDelayMs });
      await pause(nextDelayMs);
      attempt += 1;
    }
  }

  if (!deps.deadLetterTopic || !deps.deadLetterPublisher) {
    throw new ConsumerHaltedError(message.topic, message.partition, message.offset, { cause: failure });
  }
  // The dead letter must be acknowledged before the offset is committed; a broker outage here
  // is retried until it passes or the consumer stops (then the message is redelivered).
  let dlqAttempt = 1;
  for (;;) {
    if (deps.signal.aborted) return 'aborted';
    try {
      await deadLetter(deps.deadLetterPublisher, deps.deadLetterTopic, message, { error: failure, attempts: attempt });
      emit(deps, { type: 'dead-lettered', message, attempt, error: failure, deadLetterTopic: deps.deadLetterTopic });
      return 'dead-lettered';
    } catch (error) {
      emit(deps, { type: 'dead-letter-failed', message, error });
      await pause(backoffDelay(policy, dlqAttempt));
      dlqAttempt += 1;
    }
  }
};
