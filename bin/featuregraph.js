#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so definitions modules can be TypeScript too.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
