#!/usr/bin/env node
'use strict';
// `npm start`: the embedded platform (SQLite event and read stores under ./data by default).
const path = require('node:path');
const { root } = require('./register');

require(path.join(root, 'apps', 'platform', 'src', 'main.ts'));
