/**
 * The TypeORM DataSource of the read store holding the league tables. YouthLeagueModule binds it
 * to the app's default `DataSource` unless told otherwise.
 */
export const LEAGUE_READ_STORE = Symbol('LEAGUE_READ_STORE');
