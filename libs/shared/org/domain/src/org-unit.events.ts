import type { Event } from '@gongzhi/kernel';

/** The kinds of organization the platform knows (DOMAIN.md: mass organizations, offices, partners). */
export const ORG_UNIT_KINDS = [
  'trade-union-federation',
  'enterprise-union',
  'league-committee',
  'street-office',
  'community',
  'grid',
  'government-organ',
  'party-organization',
  'social-organization',
  'foundation',
  'enterprise',
] as const;
export type OrgUnitKind = (typeof ORG_UNIT_KINDS)[number];

/**
 * `path` is the unit's materialized path when the event was decided: `/<root id>/…/<own id>/`.
 * Every id is closed by a slash, so a prefix match never confuses `/a/b1/` with `/a/b10/`.
 */
export type OrgUnitCreated = Event<
  'OrgUnitCreated',
  { orgUnitId: string; name: string; kind: OrgUnitKind; code: string | null; parentId: string | null; path: string }
>;

export type OrgUnitRenamed = Event<'OrgUnitRenamed', { orgUnitId: string; name: string; previousName: string }>;

/**
 * The whole subtree moves with the unit: every path starting with `previousPath` now starts with
 * `path`. Read models of every context rewrite their `owning_org_path` prefixes from this event.
 */
export type OrgUnitMoved = Event<
  'OrgUnitMoved',
  { orgUnitId: string; fromParentId: string | null; toParentId: string | null; previousPath: string; path: string }
>;

export type OrgUnitRetired = Event<'OrgUnitRetired', { orgUnitId: string; path: string; reason: string | null }>;

export type OrgUnitEvent = OrgUnitCreated | OrgUnitRenamed | OrgUnitMoved | OrgUnitRetired;

export const ORG_UNIT_EVENT_TYPES: readonly OrgUnitEvent['type'][] = [
  'OrgUnitCreated',
  'OrgUnitRenamed',
  'OrgUnitMoved',
  'OrgUnitRetired',
];
