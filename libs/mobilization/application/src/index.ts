export * from './fact-mappers';
export * from './mobilization.entities';
export * from './mobilization.errors';
export * from './mobilization.projection';
export * from './mobilization-view';
export * from './mobilization.module';
