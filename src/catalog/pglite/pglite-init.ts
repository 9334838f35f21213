// Creates a new PGlite data directory, in a process of its own (see initDataDir).
// Usage: node pglite-init.js <dataDir>
import { PGlite } from '@electric-sql/pglite';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: pglite-init <dataDir>');
const pglite = new PGlite({ dataDir });
await pglite.waitReady;
await pglite.close();
