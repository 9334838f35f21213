import { loadConfig } from '../../config.js';
import { openRuntime } from '../../runtime.js';
import type { Command } from '../command.js';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'apply pending catalog migrations and exit',
  usage: 'Usage: trove migrate [--data-dir DIR | --database-url URL]\n\nApplies pending migrations (serve also does at start-up).',
  async run(argv, env) {
    // Opening the runtime migrates; it also refuses a data directory a server holds.
    const runtime = await openRuntime(loadConfig(argv, env));
    const { rows } = await runtime.services.db.query<{ version: number }>('SELECT max(version) AS version FROM schema_migrations');
    await runtime.close();
    process.stdout.write(`catalog at migration ${rows[0]?.version ?? 0}\n`);
  },
};
