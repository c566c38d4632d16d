import type { ApolloServerPlugin } from '@apollo/server';
import { findPersonalPatterns } from '@gongzhi/privacy';

export const REDACTED = '<redacted>';

/**
 * graphql-js quotes the offending value in some client errors: `Variable "$input" got invalid
 * value "11010519491231002X" at "input.idNumber"; …` and `Expected value of type "Int", found
 * "…"`. Clients send personal data in variables, so those quotes are cut, whatever they hold.
 */
const QUOTED_VALUE_PATTERNS: Array<[RegExp, string]> = [
  [/(Variable "\$[^"]+" got invalid value )(.*?)((?: at "[^"]*")?; |$)/gs, `$1${REDACTED}$3`],
  [/(Expected value of type "[^"]+", found )(.*?)([.;](?: |$)|$)/gs, `$1${REDACTED}$3`],
  // Built-in scalars: `String cannot represent a non string value: …`, `ID cannot represent value: …`.
  [/(cannot represent (?:[\w -]+ )?value: )(.*?)(; |$)/gs, `$1${REDACTED}$3`],
];

/** Cuts quoted input values out of an error message and masks anything left that looks like an ID number or phone. */
export const redactPersonalData = (text: string): string => {
  let out = text;
  for (const [pattern, replacement] of QUOTED_VALUE_PATTERNS) out = out.replace(pattern, replacement);
  const hits = findPersonalPatterns(out);
  for (const hit of [...hits].sort((a, b) => b.index - a.index)) {
    out = out.slice(0, hit.index) + REDACTED + out.slice(hit.index + hit.length);
  }
  return out;
};

const redactDeep = (value: unknown, depth = 0): unknown => {
  if (depth > 6) return value;
  if (typeof value === 'string') return redactPersonalData(value);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, redactDeep(v, depth + 1)]));
  }
  return value;
};

/**
 * RELIABILITY.md P-3 for the API edge: no ID number or phone in any error a client receives.
 * Runs on every response after the error formatter; `data` is left alone (masking there is the
 * resolvers' job, through PersonalDataReader).
 */
export const personalDataRedactionPlugin = (): ApolloServerPlugin => ({
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
        response.body.singleResult.errors = response.body.singleResult.errors.map((e) => ({
          ...e,
          message: redactPersonalData(e.message),
          ...(e.extensions ? { extensions: redactDeep(e.extensions) as Record<string, unknown> } : {}),
        }));
      },
    };
  },
});
