// Data the clients move: one large random file (multipart, ≥ 100 MiB) and a folder of 500 small
// files for sync, made once per test file. Names include spaces, '+', '%', '~' and unicode,
// since clients encode keys differently and the gateway must take each form as sent.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { once } from 'node:events';

export const MiB = 1024 * 1024;
/** Just over 100 MiB, and not a multiple of any client's part size: the last part is short. */
export const BIG_SIZE = 100 * MiB + 12_345;
export const SYNC_FILES = 500;

export interface BigFile {
  path: string;
  size: number;
  sha256: string;
  md5: string;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function makeBigFile(dir: string, size = BIG_SIZE): Promise<BigFile> {
  const path = join(dir, 'big.bin');
  const out = createWriteStream(path);
  const hash = createHash('sha256');
  const md5 = createHash('md5');
  for (let left = size; left > 0; left -= MiB) {
    const chunk = randomBytes(Math.min(MiB, left));
    hash.update(chunk);
    md5.update(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { path, size, sha256: hash.digest('hex'), md5: md5.digest('hex') };
}

const ODD_NAMES = ['with space.txt', 'plus+sign.txt', 'percent%20kept.txt', 'tilde~file.txt', 'unicodé-ß-日本.txt'];

/** SYNC_FILES files in nested folders; returns the folder and the relative paths (with '/'). */
export async function makeSyncFolder(dir: string): Promise<{ path: string; files: string[] }> {
  const root = join(dir, 'folder');
  const files: string[] = [];
  for (let i = 0; files.length < SYNC_FILES - ODD_NAMES.length; i++) files.push(`d${i % 10}/sub${i % 3}/file-${i}.txt`);
  files.push(...ODD_NAMES.map((n) => `odd/${n}`));
  for (const sub of new Set(files.map((f) => f.slice(0, f.lastIndexOf('/'))))) await mkdir(join(root, sub), { recursive: true });
  await Promise.all(files.map((f, i) => writeFile(join(root, f), `file ${i}: ${f}\n`)));
  return { path: root, files: files.sort() };
}

/** Every file under `dir`, as sorted relative paths with '/'. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/')).sort();
}

export interface Fixtures {
  big: BigFile;
  folder: { path: string; files: string[] };
}

export async function makeFixtures(dir: string): Promise<Fixtures> {
  return { big: await makeBigFile(dir), folder: await makeSyncFolder(dir) };
}
