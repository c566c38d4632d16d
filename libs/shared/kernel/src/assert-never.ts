/**
 * For the `default` branch of an exhaustive switch: the compiler rejects the call when a case is
 * missing, and at run time an unknown value (an event type written by newer code) fails loudly
 * instead of being ignored.
 */
export const assertNever = (value: never, message?: string): never => {
  const shown = typeof value === 'object' && value !== null && 'type' in value ? (value as { type: unknown }).type : value;
  throw new Error(message ?? `Unexpected value: ${JSON.stringify(shown)}`);
};
