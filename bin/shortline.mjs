#!/usr/bin/env node
// The `shortline` command. Sources are TypeScript; tsx compiles them on load so a clone runs
// without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
