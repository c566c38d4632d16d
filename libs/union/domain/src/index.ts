export * from './labor-dispute.types';
export * from './labor-dispute.policies';
export * from './labor-dispute.events';
export * from './labor-dispute.commands';
export * from './labor-dispute.errors';
export * from './labor-dispute.state';
export * from './labor-dispute.decider';
export * from './labor-dispute.streams';
export { creditCodeCheckChar, isValidCreditCode } from './validation';
