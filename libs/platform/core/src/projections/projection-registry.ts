import type { EntityClass, Projection } from '@gongzhi/projections';
import { ORG_PROJECTION, ORG_READ_MODEL_ENTITIES } from '@gongzhi/org';
import { SUBJECT_ERASURE_PROJECTION } from '@gongzhi/privacy';
import { DEADLINE_ENTITIES, OPEN_CLOCKS_PROJECTION } from '@gongzhi/deadlines';
import { LABOR_DISPUTE_PROJECTION, UNION_READ_MODEL_ENTITIES } from '@gongzhi/union';
import { LEAGUE_PROJECTION_TOKENS, LEAGUE_READ_MODEL_ENTITIES } from '@gongzhi/youth-league';
import { MOBILIZATION_ENTITIES, MOBILIZATION_PROJECTION } from '@gongzhi/mobilization';
import { COMMUNITY_GRID_PROJECTION, COMMUNITY_INCIDENT_PROJECTION, COMMUNITY_READ_MODEL_ENTITIES } from '@gongzhi/community';

/**
 * Every projection of the platform: the token its context module provides it under, and its
 * entities (needed before the modules exist, to open the read store). A new context adds a line.
 */
export const PROJECTION_TOKENS: readonly symbol[] = [ORG_PROJECTION, SUBJECT_ERASURE_PROJECTION, OPEN_CLOCKS_PROJECTION, LABOR_DISPUTE_PROJECTION, ...LEAGUE_PROJECTION_TOKENS, MOBILIZATION_PROJECTION, COMMUNITY_GRID_PROJECTION, COMMUNITY_INCIDENT_PROJECTION];

export const READ_MODEL_ENTITIES: EntityClass[] = [...ORG_READ_MODEL_ENTITIES, ...DEADLINE_ENTITIES, ...UNION_READ_MODEL_ENTITIES, ...LEAGUE_READ_MODEL_ENTITIES, ...MOBILIZATION_ENTITIES, ...COMMUNITY_READ_MODEL_ENTITIES];

export const PROJECTIONS = Symbol('PROJECTIONS');

export const collectProjections = (...projections: Projection[]): Projection[] => projections;
