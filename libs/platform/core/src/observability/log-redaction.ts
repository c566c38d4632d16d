import { stdSerializers } from 'pino';
import { findPersonalPatterns } from '@gongzhi/privacy';

export const REDACTED = '[redacted]';

/**
 * Fields of database errors that carry row values: TypeORM's QueryFailedError keeps the bound
 * `parameters` (and copies the driver error's fields onto itself); PostgreSQL's `detail` quotes
 * the conflicting values ("Key (id_number)=(…) already exists"). The SQL text stays: it holds
 * placeholders only (query() with template strings is banned by the lint).
 */
const VALUE_FIELDS = new Set(['parameters', 'detail']);

const redactValueFields = (value: unknown, depth: number): unknown => {
  if (depth > 4 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => redactValueFields(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = VALUE_FIELDS.has(k) ? REDACTED : redactValueFields(v, depth + 1);
  return out;
};

/** pino's error serializer, minus the values a failed query was run with (nested causes included). */
export const serializeError = (err: unknown): unknown => {
  const serialized = err instanceof Error ? stdSerializers.err(err) : err;
  return redactValueFields(serialized, 0);
};

/** True when `index` lies inside a string of the JSON text `json`. */
const insideJsonString = (json: string, index: number): boolean => {
  let inside = false;
  for (let i = 0; i < index; i++) {
    const c = json[i];
    if (c === '\\' && inside) i++;
    else if (c === '"') inside = !inside;
  }
  return inside;
};

/**
 * The last line of defence on every log line (pino's streamWrite hook): anything shaped like an
 * ID number or a mobile number is replaced before the line is written, wherever it came from (a
 * driver message quoting a value, a third-party log call). Structured redaction above stays the
 * primary control; this catches what it cannot know about. The line stays valid JSON.
 */
export const scrubPersonalPatterns = (line: string): string => {
  const hits = findPersonalPatterns(line);
  if (hits.length === 0) return line;
  let out = line;
  let lastStart = Number.POSITIVE_INFINITY;
  for (const hit of [...hits].sort((a, b) => b.index - a.index)) {
    if (hit.index + hit.length > lastStart) continue; // overlaps one already replaced
    const replacement = insideJsonString(line, hit.index) ? REDACTED : JSON.stringify(REDACTED);
    out = out.slice(0, hit.index) + replacement + out.slice(hit.index + hit.length);
    lastStart = hit.index;
  }
  return out;
};
