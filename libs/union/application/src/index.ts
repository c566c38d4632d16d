export * from './tokens';
export * from './write/commands';
export * from './write/labor-dispute.handlers';
export * from './read-model/labor-dispute.entities';
export * from './read-model/labor-dispute.projection';
export * from './queries/labor-dispute.queries';
export * from './queries/deadline-policies';
export * from './union.module';
