// `trove serve`: config → data-dir lock → catalog → blob store → bootstrap → app → listen,
// then periodic garbage collection, and on SIGTERM/SIGINT a bounded graceful close.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { buildApp } from './app.js';
import { redactedConfig, type Config } from './config.js';
import { bootstrap, type AdminCredentials } from './core/bootstrap.js';
import { collectBlobGarbage } from './core/gc.js';
import type { Services } from './core/services.js';
import { createLogger } from './logging.js';
import { openRuntime } from './runtime.js';

export const ADMIN_CREDENTIALS_FILE = 'admin-credentials.json';

export async function serve(config: Config): Promise<void> {
  const log = createLogger(config.logLevel);
  log.info({ config: redactedConfig(config) }, 'starting');
  const runtime = await openRuntime(config);
  const { services } = runtime;
  const result = await bootstrap(services, config.adminBootstrap ?? null);
  if (result.generated) await announceCredentials(config, result.generated);

  const https = config.tls
    ? { key: await readFile(config.tls.keyPath), cert: await readFile(config.tls.certPath) }
    : null;
  const app = await buildApp({ services, logger: log, https, publicUrl: config.publicUrl, s3Region: config.s3Region, rateLimitPerMinute: config.rateLimitPerMinute });
  await app.listen({ host: config.host, port: config.port });

  const gcTimer = config.gcIntervalSeconds > 0
    ? setInterval(() => void runGc(config, services, log), config.gcIntervalSeconds * 1000).unref()
    : null;

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    if (gcTimer) clearInterval(gcTimer);
    // Stop accepting, let in-flight requests finish, but never wait past the bound.
    const force = setTimeout(() => app.server.closeAllConnections(), config.shutdownTimeoutMs).unref();
    await app.close().catch((err: unknown) => log.error({ err }, 'error while closing the server'));
    clearTimeout(force);
    await runtime.close();
    log.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

/** Prints generated admin credentials once and keeps them in a 0600 file of the data dir. */
async function announceCredentials(config: Config, credentials: AdminCredentials): Promise<void> {
  const file = join(config.dataDir, ADMIN_CREDENTIALS_FILE);
  const body = JSON.stringify({ access_key_id: credentials.accessKeyId, secret_access_key: credentials.secretAccessKey }, null, 2);
  await writeFile(file, `${body}\n`, { mode: 0o600, flag: 'wx' }).catch(() => {});
  process.stdout.write(
    `\nCreated the organization "default" and the admin user.\n` +
    `  access key id:     ${credentials.accessKeyId}\n` +
    `  secret access key: ${credentials.secretAccessKey}\n` +
    `These are shown once; they are also in ${file} (mode 0600).\n\n`,
  );
}

async function runGc(config: Config, services: Services, log: Logger): Promise<void> {
  try {
    const stats = await collectBlobGarbage(services, config.gcGraceSeconds * 1000);
    log.info({ gc: stats }, 'garbage collection done');
  } catch (err) {
    log.error({ err }, 'garbage collection failed');
  }
}
