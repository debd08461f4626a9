#!/usr/bin/env node
// The compiled CLI (npm run build, run by `prepare` on install). TypeScript definitions modules are loaded
// through tsx on demand (src/definitions/load.ts).
import '../dist/src/cli/main.js';
