// Every task the pool runs, by name (piscina's `name` run option).
export { hashStream } from './hash-stream.js';
