import { IncidentCategoryRow } from './catalogue/category.entity';
import { GRID_READ_MODEL_ENTITIES } from './read-model/grid.entities';
import { INCIDENT_READ_MODEL_ENTITIES } from './read-model/incident.entities';

/** Every table of the community context, for the read store's DataSource. */
export const COMMUNITY_READ_MODEL_ENTITIES = [...GRID_READ_MODEL_ENTITIES, ...INCIDENT_READ_MODEL_ENTITIES, IncidentCategoryRow];
