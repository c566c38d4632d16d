/**
 * A rule of the domain refused the command. Kernel's DomainError carries a stable dotted code
 * such as 'UNION.MEDIATION_WINDOW_CLOSED' or 'ORG.PARENT_NOT_FOUND'.
 */
const RULE_CODE = /^[A-Z][A-Z0-9_]*(\.[A-Z0-9_]+)+$/;

/** Infrastructure errors also carry dotted codes; they are never a domain rule. */
const INFRASTRUCTURE_PREFIXES = ['EVENT_STORE.', 'MESSAGING.', 'PROJECTION.', 'EVENTSOURCING.'];

export const isDomainError = (e: unknown): boolean => {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code !== 'string' || !RULE_CODE.test(code)) return false;
  return !INFRASTRUCTURE_PREFIXES.some((p) => code.startsWith(p));
};
