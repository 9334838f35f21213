// The pool's tasks when Trove runs from its TypeScript source (the test suites): a worker
// thread does not inherit the process's TypeScript loader on Node 20, so this registers it
// before loading tasks.ts. Built Trove loads tasks.js and never this file.
import { register } from 'tsx/esm/api';

register();
const { hashStream } = await import('./tasks.ts');
export { hashStream };
