#!/usr/bin/env node
'use strict';
// `npm run schema` (write apps/platform/schema.graphql) and `npm run schema:check` (fail if stale).
const path = require('node:path');
const { root } = require('./register');

require(path.join(root, 'apps', 'platform', 'src', 'schema.main.ts'));
