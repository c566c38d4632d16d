import { v5 as uuidv5 } from 'uuid';

/** Fixed forever: changing it would give a resent command new event ids and break idempotency. */
export const EVENT_ID_NAMESPACE = 'b731aa98-bab7-4ba5-a835-efb8b564722b';

/**
 * The id of the `index`-th event a command produces. Deterministic, so a resent command carries
 * the same ids and the store's unique event id turns the resend into a replay, never a duplicate.
 */
export const eventIdFor = (commandId: string, index: number): string => uuidv5(`${commandId}/${index}`, EVENT_ID_NAMESPACE);
