/**
 * The TypeORM DataSource of the read store the org tables live in. OrgModule binds it to the
 * app's default `DataSource` unless told otherwise (`OrgModule.forRoot({ readStore })`).
 */
export const ORG_READ_STORE = Symbol('ORG_READ_STORE');
