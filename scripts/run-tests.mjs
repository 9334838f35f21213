#!/usr/bin/env node
// Runs compiled tap test files (`*.test.js` under the given files or directories), several at a
// time, each as a plain `node` process, and prints their TAP as one stream with tap's closing
// summary line ("# { total: N, pass: P, fail: F }").
//
// Why not tap's own runner: on Node 20 it loads three module hooks into every test process (its
// mock and process-info loaders, and the TypeScript loader), each running off-thread and seeing
// every module that loads. That cost about two seconds of CPU per file, and in CI, where the
// cores are the limit, it was minutes. The files are tap files all the same: `npx tap
// test/x.test.ts` still runs one from its source.
//
// Usage: node scripts/run-tests.mjs [--jobs N] [--timeout SECONDS] PATH...
import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Parser } from 'tap-parser';

const { jobs, timeoutMs, paths } = parseArgs(process.argv.slice(2));
const files = (await Promise.all(paths.map(testFiles))).flat().sort();
if (files.length === 0) {
  console.error(`run-tests: no *.test.js under ${paths.join(' ')}`);
  process.exit(1);
}

const totals = { total: 0, pass: 0, fail: 0, skip: 0, todo: 0 };
const started = performance.now();
let next = 0;
let reported = 0;
console.log('TAP version 14');
await Promise.all(Array.from({ length: Math.min(jobs, files.length) }, async () => {
  while (next < files.length) {
    const file = files[next++];
    const result = await runFile(file);
    report(++reported, file, result);
  }
}));
console.log(`1..${files.length}`);
// The line CI reads, in tap's own form: "# { total: 12, pass: 11, fail: 1 }" (zero counts left out).
const counted = Object.entries(totals).filter(([key, n]) => n > 0 || key === 'total' || key === 'pass');
console.log(`# { ${counted.map(([key, n]) => `${key}: ${n}`).join(', ')} }`);
console.log(`# time=${(performance.now() - started).toFixed(3)}ms`);
process.exit(totals.fail > 0 ? 1 : 0);

function parseArgs(argv) {
  const options = { jobs: 4, timeoutMs: 300_000, paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--jobs') options.jobs = positive(argv[++i], arg);
    else if (arg === '--timeout') options.timeoutMs = positive(argv[++i], arg) * 1000;
    else options.paths.push(arg);
  }
  if (options.paths.length === 0) {
    console.error('usage: run-tests.mjs [--jobs N] [--timeout SECONDS] PATH...');
    process.exit(2);
  }
  return options;
}

function positive(value, flag) {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`run-tests: ${flag} needs a positive number, not ${value}`);
    process.exit(2);
  }
  return n;
}

async function testFiles(path) {
  if (!(await stat(path)).isDirectory()) return [path];
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.test.js')).map((e) => join(e.parentPath, e.name));
}

/**
 * Runs one file; counts its test points at every depth, as tap's summary does. A file that exits
 * non-zero, is killed by the timeout or ends without its plan is one more failure.
 */
function runFile(file) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const counts = { total: 0, pass: 0, fail: 0, skip: 0, todo: 0 };
    const parser = new Parser();
    countPoints(parser, counts);
    let complete;
    parser.on('complete', (results) => (complete = results));
    const output = [];
    const child = spawn(process.execPath, ['--enable-source-maps', file], {
      stdio: ['ignore', 'pipe', 'pipe'],
      // tap's own timeout (30 s by default outside its runner) reports which test was running.
      env: { ...process.env, TAP: '1', TAP_TIMEOUT: String(timeoutMs / 1000) },
    });
    child.stdout.on('data', (chunk) => {
      output.push(chunk);
      parser.write(chunk);
    });
    child.stderr.on('data', (chunk) => output.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }, timeoutMs + 10_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      parser.end();
      const problems = [];
      if (timedOut) problems.push(`timed out after ${timeoutMs / 1000} s`);
      if (code !== 0) problems.push(`exited with ${signal ?? `code ${code}`}`);
      if (!complete?.ok && counts.fail === 0) problems.push('ended without passing its plan');
      if (problems.length) {
        counts.total++;
        counts.fail++;
      }
      resolve({ output: Buffer.concat(output).toString(), counts, problems, ms: performance.now() - t0 });
    });
  });
}

function countPoints(parser, counts) {
  parser.on('assert', (point) => {
    counts.total++;
    if (point.todo) counts.todo++;
    else if (point.skip) counts.skip++;
    else if (point.ok) counts.pass++;
    else counts.fail++;
  });
  parser.on('child', (child) => countPoints(child, counts));
}

function report(n, file, { output, counts, problems, ms }) {
  const name = relative(process.cwd(), file);
  console.log(`# Subtest: ${name}`);
  for (const line of output.trimEnd().split('\n')) console.log(line ? `    ${line}` : '');
  if (problems.length) console.log(`    # ${name}: ${problems.join('; ')}`);
  const ok = counts.fail === 0;
  console.log(`${ok ? 'ok' : 'not ok'} ${n} - ${name} # time=${ms.toFixed(3)}ms`);
  console.log('');
  for (const key of Object.keys(totals)) totals[key] += counts[key];
}
