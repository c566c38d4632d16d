#!/usr/bin/env node
'use strict';
// The `gongzhi` command (`npx gongzhi …` from the repository).
const path = require('node:path');
const { root } = require('./register');

require(path.join(root, 'apps', 'cli', 'src', 'main.ts'));
