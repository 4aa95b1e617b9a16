#!/usr/bin/env node
// The CLI runs the TypeScript service layer directly through tsx (no build step needed).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../main/cli/index.ts');
process.exitCode = await main(process.argv.slice(2));
