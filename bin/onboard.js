#!/usr/bin/env node
'use strict';
// Runs the compiled CLI; `npm start` and `npm test` build dist/ first.
require('../dist/src/cli/main.js').main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
