export * from './read-model-oracle';
