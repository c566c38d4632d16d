/**
 * The TypeORM DataSource of the read store holding UNION_READ_MODEL_ENTITIES. UnionModule binds
 * it to the app's default `DataSource`.
 */
export const UNION_READ_STORE = Symbol('UNION_READ_STORE');

/** The labor-dispute projection instance; the app registers it with a ProjectionRunner. */
export const LABOR_DISPUTE_PROJECTION = Symbol('LABOR_DISPUTE_PROJECTION');
