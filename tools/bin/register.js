'use strict';
// Runs the TypeScript sources directly: @swc-node/register compiles each file on load with the
// root tsconfig.json, so the @gongzhi/* path aliases and decorator metadata (which NestJS
// dependency injection and @nestjs/graphql need) behave exactly as in jest and tsc.
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || path.join(root, 'tsconfig.json');
// Source maps keep stack traces in the log pointing at the .ts lines.
process.setSourceMapsEnabled?.(true);
require('@swc-node/register');

module.exports = { root };
