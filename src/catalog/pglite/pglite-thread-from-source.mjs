// The catalog's thread when Trove runs from its TypeScript source (the test suites): a worker
// thread does not inherit the process's TypeScript loader on Node 20, so this registers it
// before loading pglite-thread.ts. Built Trove runs pglite-thread.js and never this file.
import { register } from 'tsx/esm/api';

register();
await import('./pglite-thread.ts');
