import { loadConfig } from '../../config.js';
import { collectBlobGarbage } from '../../core/gc.js';
import { openRuntime } from '../../runtime.js';
import { takeFlags } from '../args.js';
import type { Command } from '../command.js';

export const gcCommand: Command = {
  name: 'gc',
  summary: 'delete blobs nothing references any more',
  usage: 'Usage: trove gc [--json] [--gc-grace SECONDS] [settings]\n\nDeletes unreferenced blobs older than the grace period (TROVE_GC_GRACE).',
  async run(argv, env) {
    const { values, rest } = takeFlags(argv, { json: 'boolean' });
    const config = loadConfig(rest, env);
    const runtime = await openRuntime(config);
    try {
      const stats = await collectBlobGarbage(runtime.services, config.gcGraceSeconds * 1000);
      process.stdout.write(values.json ? `${JSON.stringify(stats)}\n` : `scanned ${stats.scanned}, deleted ${stats.deleted}, kept ${stats.kept}\n`);
    } finally {
      await runtime.close();
    }
  },
};
