// Compiles the test suites and the code they import (tsc -p tsconfig.test.json, which also
// type-checks everything) into build/, laid out as the repository is, and puts beside them what
// they read at run time: the non-TypeScript files of src/, test/ and conformance/ (migrations,
// Python scripts) are copied, and node_modules/, dist/ and bin/ are linked, so a path a file
// finds relative to itself (`../../dist/...`) means the same in build/ as in the source tree.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const OUT = 'build';
rmSync(OUT, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.test.json'], { stdio: 'inherit' });

for (const root of ['src', 'test', 'conformance']) {
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name.endsWith('.ts') || entry.name.endsWith('.md')) continue;
    const from = join(entry.parentPath, entry.name);
    mkdirSync(join(OUT, entry.parentPath), { recursive: true });
    cpSync(from, join(OUT, from));
  }
}
for (const link of ['node_modules', 'dist', 'bin', 'package.json']) symlinkSync(join('..', link), join(OUT, link));
