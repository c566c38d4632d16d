import { GraphQLDateTime } from 'graphql-scalars';

/** RFC 3339 date-time; serializes Date values and ISO strings alike. */
export const DateTimeScalar = GraphQLDateTime;

/**
 * For `buildSchemaOptions.scalarsMap`: a `Date`-typed field maps to the same DateTime scalar as
 * explicit `@Field(() => DateTimeScalar)` fields, so the schema has one DateTime, not two.
 */
export const gongzhiScalarsMap = [{ type: Date, scalar: GraphQLDateTime }];
