import { isPersonalValue } from '@gongzhi/kernel';
import { findPersonalPatterns, isEncryptedEnvelope } from '@gongzhi/privacy';

/**
 * The last check before anything is handed to the broker (DESIGN.md: personal data never goes to
 * Kafka). Mappings copy whitelisted scalars, so this should never fire; it is there for the
 * mapping that gets it wrong. It refuses:
 * - an encrypted envelope (`{ $pii: 'enc', … }`) or a PersonalData / ErasedPersonalData marker,
 *   or any other object carrying the `$pii` marker, at any depth;
 * - a string that looks like a PRC ID number (checksum and date valid) or a mobile number.
 * Findings name the path and the kind, never the value.
 */
export interface PersonalDataFinding {
  /** JSON path inside the payload, e.g. `data.reporter.name`. */
  path: string;
  kind: 'encrypted-envelope' | 'personal-data' | 'pii-marker' | 'id-number' | 'mobile';
}

const MAX_DEPTH = 32;

export const findPersonalData = (value: unknown, root = '$'): PersonalDataFinding[] => {
  const findings: PersonalDataFinding[] = [];
  const walk = (v: unknown, path: string, depth: number) => {
    if (depth > MAX_DEPTH) {
      findings.push({ path, kind: 'pii-marker' });
      return;
    }
    if (typeof v === 'string') {
      for (const hit of findPersonalPatterns(v)) findings.push({ path, kind: hit.kind });
      return;
    }
    if (typeof v !== 'object' || v === null) return;
    if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, `${path}[${i}]`, depth + 1));
      return;
    }
    if (isEncryptedEnvelope(v)) findings.push({ path, kind: 'encrypted-envelope' });
    else if (isPersonalValue(v)) findings.push({ path, kind: 'personal-data' });
    else if ('$pii' in v) findings.push({ path, kind: 'pii-marker' });
    else for (const [key, item] of Object.entries(v)) walk(item, `${path}.${key}`, depth + 1);
  };
  walk(value, root, 0);
  return findings;
};

export class PersonalDataLeakError extends Error {
  readonly code = 'INTEGRATION.PERSONAL_DATA_REFUSED';
  readonly retriable = false;
  constructor(
    readonly eventType: string,
    readonly findings: readonly PersonalDataFinding[],
  ) {
    super(
      `Refused to publish ${eventType}: personal data at ${findings
        .slice(0, 5)
        .map((f) => `${f.path} (${f.kind})`)
        .join(', ')}`,
    );
    this.name = 'PersonalDataLeakError';
  }
}

/** Throws PersonalDataLeakError when `payload` holds anything personal (see findPersonalData). */
export const assertNoPersonalData = (eventType: string, payload: unknown, root = '$'): void => {
  const findings = findPersonalData(payload, root);
  if (findings.length > 0) throw new PersonalDataLeakError(eventType, findings);
};
