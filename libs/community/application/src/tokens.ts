/**
 * The TypeORM DataSource of the read store the community tables live in. CommunityModule binds
 * it to the app's default `DataSource` unless told otherwise (`CommunityModule.forRoot({ readStore })`).
 */
export const COMMUNITY_READ_STORE = Symbol('COMMUNITY_READ_STORE');

/** The projection instances, wired by CommunityModule; register them with a ProjectionRunner. */
export const COMMUNITY_GRID_PROJECTION = Symbol('COMMUNITY_GRID_PROJECTION');
export const COMMUNITY_INCIDENT_PROJECTION = Symbol('COMMUNITY_INCIDENT_PROJECTION');
