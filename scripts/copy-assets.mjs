// After tsc: copies the non-TypeScript files the compiled server reads at run time (SQL
// migrations), and makes the empty embedded catalog that new data directories are copied from
// (dist/catalog-template): initdb runs once here, not at every first start, where it costs 4-5 s
// of CPU. The template is remade only when PGlite's version changes.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

cpSync('src/catalog/migrations', 'dist/catalog/migrations', { recursive: true });

const TEMPLATE = 'dist/catalog-template';
const STAMP = `${TEMPLATE}.pglite-version`;
const version = JSON.parse(readFileSync('node_modules/@electric-sql/pglite/package.json', 'utf8')).version;
const current = existsSync(`${TEMPLATE}/PG_VERSION`) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === version;
if (!current) {
  const made = `${TEMPLATE}.new-${process.pid}`;
  rmSync(made, { recursive: true, force: true });
  execFileSync(process.execPath, ['--liftoff-only', 'dist/catalog/pglite/pglite-init.js', made], { stdio: 'inherit' });
  rmSync(TEMPLATE, { recursive: true, force: true });
  renameSync(made, TEMPLATE);
  writeFileSync(STAMP, version);
}
