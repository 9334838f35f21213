import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import type { BlobStore } from '../../src/blobstore/blob-store.js';
import { openBlobStore } from '../../src/blobstore/open.js';
import { S3BlobStore } from '../../src/blobstore/s3-store.js';
import type { Config } from '../../src/config.js';

// Compile-time: the store opens straight from the parsed configuration.
const fromConfig: (c: Config['blobStore']) => Promise<BlobStore> = openBlobStore;

t.test('fs settings open a filesystem store and create its directories', async (t) => {
  const root = join(t.testdir(), 'blobs-root');
  const store = await fromConfig({ kind: 'fs', root });
  t.equal(store.kind, 'fs');
  t.ok((await stat(join(root, 'blobs'))).isDirectory());
  t.ok((await stat(join(root, 'tmp'))).isDirectory());
  t.equal(store.presignPut, undefined, 'no presigned URLs on the filesystem');
});

t.test('s3 settings open an S3 store (no request is made until used)', async (t) => {
  const store = await fromConfig({
    kind: 's3',
    bucket: 'b',
    prefix: 'x',
    endpoint: 'http://127.0.0.1:1',
    region: 'us-east-1',
    credentials: undefined,
    forcePathStyle: true,
  });
  t.ok(store instanceof S3BlobStore);
  t.equal(store.kind, 's3');
  await store.close();
});
