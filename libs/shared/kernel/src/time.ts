/**
 * A full ISO-8601 instant with an explicit offset (`2024-03-01T08:00:00.000Z`, `…+08:00`).
 * Domain time travels as such strings; a bare date or a local time would be read in whatever
 * zone the server runs in.
 */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export const isIsoInstant = (value: unknown): value is string =>
  typeof value === 'string' && INSTANT.test(value) && !Number.isNaN(Date.parse(value));
