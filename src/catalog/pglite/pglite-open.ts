// Opening PGlite the way the catalog needs it, on whichever thread runs it (pglite-local.ts,
// pglite-thread.ts). Parsers make its rows look like pg's (int8 as number).
import { PGlite } from '@electric-sql/pglite';
import { INT8_OID, parseInt8 } from '../db.js';

export interface OpenOptions {
  /** undefined: in memory. */
  dataDir: string | undefined;
  /** A gzipped dump to start an in-memory catalog from. */
  image: Uint8Array | undefined;
}

// PostgreSQL touches all of its buffer pool at start: PGlite's default of 128 MB is most of the
// process's memory. The data directory's files stay in the operating system's page cache, so a
// smaller pool costs a read call on a miss, not a disk read.
const SHARED_BUFFERS = '16MB';

export async function openPglite({ dataDir, image }: OpenOptions): Promise<PGlite> {
  const pglite = new PGlite({
    ...(dataDir ? { dataDir } : {}),
    ...(image && !dataDir ? { loadDataDir: new Blob([image]) } : {}),
    parsers: { [INT8_OID]: parseInt8 },
    postgresqlconf: [`shared_buffers = ${SHARED_BUFFERS}`],
  });
  await pglite.waitReady;
  // This session is the only one the catalog will ever have: the triggers that keep
  // in-process caches of repositories exact fire only where this is set (migration 0003).
  await pglite.exec(`SET trove.single_process = 'on'`);
  // Inlined string literals are exact only with standard strings (backslash is not an escape).
  const { rows } = await pglite.query<{ on: string }>(`SELECT current_setting('standard_conforming_strings') AS on`);
  if (rows[0]?.on !== 'on') throw new Error('the embedded catalog needs standard_conforming_strings = on');
  return pglite;
}
