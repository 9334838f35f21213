#!/usr/bin/env node
// The `trove` command: picks the sub-command and prints help and usage errors.
import { ConfigError } from '../config.js';
import { DataDirLockedError } from '../datadir.js';
import { TroveError } from '../errors.js';
import { UsageError } from './args.js';
import type { Command } from './command.js';
import { createKeyCommand, rotateKeysCommand } from './commands/admin.js';
import { gcCommand } from './commands/gc.js';
import { migrateCommand } from './commands/migrate.js';
import { runCommand } from './commands/run.js';
import { serveCommand } from './commands/serve.js';
import { sessionCommands } from './commands/session.js';

const COMMANDS: Command[] = [serveCommand, migrateCommand, gcCommand, createKeyCommand, rotateKeysCommand, ...sessionCommands, runCommand];

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return ['Usage: trove <command> [flags]   (trove <command> --help for its flags)', '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`), ''].join('\n');
}

function findCommand(argv: string[]): { command: Command; rest: string[] } | null {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ');
    const command = COMMANDS.find((c) => c.name === name);
    if (command) return { command, rest: argv.slice(words) };
  }
  return null;
}

async function main(argv: string[]): Promise<number> {
  const found = findCommand(argv);
  if (!found) {
    const asked = argv[0] === undefined || argv[0] === '--help' || argv[0] === 'help';
    (asked ? process.stdout : process.stderr).write(overview());
    return asked ? 0 : 2;
  }
  const own = found.rest.includes('--') ? found.rest.slice(0, found.rest.indexOf('--')) : found.rest;
  if (own.includes('--help') || own.includes('-h')) {
    process.stdout.write(`${found.command.usage}\n`);
    return 0;
  }
  await found.command.run(found.rest, process.env);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (err: unknown) => {
    const usage = err instanceof UsageError || err instanceof ConfigError || err instanceof DataDirLockedError;
    const domain = err instanceof TroveError;
    process.stderr.write(`trove: ${usage || domain ? (err as Error).message : (err as Error).stack ?? String(err)}\n`);
    process.exit(usage ? 2 : 1);
  },
);
