#!/usr/bin/env node
// kaoreader CLI entry: loads the TypeScript sources through tsx (no build step on the device).
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
