// Start-up settings, parsed once into a typed, frozen Config. One table (SETTINGS) defines
// every setting: its environment variable, its flag (derived from the variable:
// TROVE_DATA_DIR -> --data-dir), its default, its parser and its help line. Flags win over
// the environment. Secrets are never echoed in errors, and redactedConfig() is the only
// form of the Config that may be logged.
import { resolve } from 'node:path';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type CatalogConfig = { kind: 'pglite'; dir: string } | { kind: 'postgres'; url: string };

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export type BlobStoreConfig =
  | { kind: 'fs'; root: string }
  | {
      kind: 's3';
      bucket: string;
      /** '' or a key prefix without leading or trailing '/'. */
      prefix: string;
      endpoint: string | undefined;
      region: string;
      /** undefined = the AWS SDK's default credential chain. */
      credentials: S3Credentials | undefined;
      forcePathStyle: boolean;
    };

export interface EncryptionConfig {
  /** 32 bytes; undefined = the embedded key file, which the keyring loader creates. */
  key: Buffer | undefined;
  /** Older keys, kept to decrypt what they encrypted until it is re-encrypted. */
  previousKeys: readonly Buffer[];
}

export interface Config {
  /** Absolute path. */
  dataDir: string;
  host: string;
  port: number;
  catalog: CatalogConfig;
  blobStore: BlobStoreConfig;
  encryption: EncryptionConfig;
  adminBootstrap: S3Credentials | undefined;
  /** Without a trailing '/'. */
  publicUrl: string | undefined;
  s3Region: string | undefined;
  tls: { certPath: string; keyPath: string } | undefined;
  logLevel: LogLevel;
  gcIntervalSeconds: number;
  gcGraceSeconds: number;
  shutdownTimeoutMs: number;
  /** REST requests per minute per key; 0 = no limit. */
  rateLimitPerMinute: number;
}

// ---- value parsers: each throws a plain message; the caller adds the setting's name ----

type Parser<T> = (raw: string) => T;

const text: Parser<string> = (raw) => raw;
const token: Parser<string> = (raw) => {
  if (/\s/.test(raw)) throw new Error('must not contain whitespace');
  return raw;
};
const region: Parser<string> = (raw) => {
  if (!/^[A-Za-z0-9_-]+$/.test(raw)) throw new Error(`must be a region name such as us-east-1 (got "${raw}")`);
  return raw;
};
const integer =
  (min: number, max: number): Parser<number> =>
  (raw) => {
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) throw new Error(`must be an integer from ${min} to ${max} (got "${raw}")`);
    return n;
  };
const seconds: Parser<number> = (raw) => {
  if (!/^\d+(\.\d+)?$/.test(raw)) throw new Error(`must be a number of seconds (got "${raw}")`);
  return Number(raw);
};
const BOOL_WORDS = ['true', '1', 'yes', 'false', '0', 'no'];
const bool: Parser<boolean> = (raw) => {
  const at = BOOL_WORDS.indexOf(raw.toLowerCase());
  if (at >= 0) return at < 3;
  throw new Error(`must be true or false (got "${raw}")`);
};
const oneOf =
  <T extends string>(values: readonly T[]): Parser<T> =>
  (raw) => {
    if (!(values as readonly string[]).includes(raw)) throw new Error(`must be one of ${values.join(', ')} (got "${raw}")`);
    return raw as T;
  };
const httpUrl: Parser<string> = (raw) => {
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.search || url.hash)
    throw new Error(`must be an http:// or https:// URL without query or fragment (got "${raw}")`);
  return url.href.replace(/\/+$/, '');
};
// The URL may hold a password: never echo it.
const postgresUrl: Parser<string> = (raw) => {
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  if (!url || !['postgres:', 'postgresql:'].includes(url.protocol)) throw new Error('must be a postgres:// or postgresql:// URL');
  return raw;
};
const s3Location: Parser<{ bucket: string; prefix: string }> = (raw) => {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(raw);
  if (!match?.[1]) throw new Error(`must be s3://bucket or s3://bucket/prefix; leave it unset for the filesystem (got "${raw}")`);
  return { bucket: match[1], prefix: (match[2] ?? '').replace(/^\/+|\/+$/g, '') };
};
// A key is a secret: messages say what is wrong, never what was given.
const key: Parser<Buffer> = (raw) => {
  const bytes = /^[A-Za-z0-9+/_-]{43}=?$/.test(raw) ? Buffer.from(raw, 'base64') : undefined;
  if (bytes?.length !== 32) throw new Error('must be 32 bytes in base64 (generate one with: openssl rand -base64 32)');
  return bytes;
};
const keyList: Parser<Buffer[]> = (raw) =>
  raw
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '')
    .map(key);

// ---- the table ----

interface SettingDef<T> {
  env: `TROVE_${string}`;
  parse: Parser<T>;
  help: string;
  /** Parsed like a given value; shown in the help. */
  default?: string;
  /** Help text for a default that depends on other settings. */
  defaultHelp?: string;
  metavar?: string;
  /** Never echoed in errors nor logged. */
  secret?: true;
  /** The flag may stand alone (= true). */
  flagOnly?: true;
}

const SETTINGS = {
  dataDir: { env: 'TROVE_DATA_DIR', parse: text, default: './data', metavar: 'path', help: 'Directory for the embedded catalog, blobs, encryption key and lock' },
  host: { env: 'TROVE_HOST', parse: token, default: '127.0.0.1', metavar: 'address', help: 'Address to listen on (0.0.0.0 = every interface)' },
  port: { env: 'TROVE_PORT', parse: integer(1, 65535), default: '9000', metavar: 'number', help: 'TCP port to listen on' },
  databaseUrl: { env: 'TROVE_DATABASE_URL', parse: postgresUrl, secret: true, metavar: 'url', defaultHelp: 'embedded PGlite in <data-dir>/catalog', help: 'PostgreSQL connection URL for the catalog' },
  blobStore: { env: 'TROVE_BLOB_STORE', parse: s3Location, metavar: 's3://bucket/prefix', defaultHelp: 'the filesystem under <data-dir>/blobs', help: 'Where object contents are stored' },
  blobS3Endpoint: { env: 'TROVE_BLOB_S3_ENDPOINT', parse: httpUrl, metavar: 'url', defaultHelp: 'AWS', help: 'S3 endpoint of the blob store (MinIO, R2, ...)' },
  blobS3Region: { env: 'TROVE_BLOB_S3_REGION', parse: region, default: 'us-east-1', metavar: 'region', help: 'Region of the blob store bucket' },
  blobS3AccessKeyId: { env: 'TROVE_BLOB_S3_ACCESS_KEY_ID', parse: token, metavar: 'id', defaultHelp: 'the AWS default credential chain', help: 'Access key id for the blob store bucket (with the secret)' },
  blobS3SecretAccessKey: { env: 'TROVE_BLOB_S3_SECRET_ACCESS_KEY', parse: text, secret: true, metavar: 'secret', help: 'Secret access key for the blob store bucket (with the id)' },
  blobS3ForcePathStyle: { env: 'TROVE_BLOB_S3_FORCE_PATH_STYLE', parse: bool, default: 'false', flagOnly: true, metavar: 'bool', help: 'Address the bucket as endpoint/bucket (MinIO and most S3-compatibles)' },
  encryptionKey: { env: 'TROVE_ENCRYPTION_KEY', parse: key, secret: true, metavar: 'base64', defaultHelp: 'generated once into <data-dir>/encryption.key (embedded catalog only)', help: 'AES-256 key (32 bytes, base64) encrypting stored secrets; required with TROVE_DATABASE_URL' },
  encryptionPreviousKeys: { env: 'TROVE_ENCRYPTION_PREVIOUS_KEYS', parse: keyList, secret: true, metavar: 'base64,...', defaultHelp: 'none', help: 'Older keys, comma-separated: they still decrypt, only the current key encrypts' },
  adminAccessKeyId: { env: 'TROVE_ADMIN_ACCESS_KEY_ID', parse: token, metavar: 'id', help: 'Bootstrap administrator access key id (with the secret)' },
  adminSecretAccessKey: { env: 'TROVE_ADMIN_SECRET_ACCESS_KEY', parse: text, secret: true, metavar: 'secret', help: 'Bootstrap administrator secret access key (with the id)' },
  publicUrl: { env: 'TROVE_PUBLIC_URL', parse: httpUrl, metavar: 'url', help: 'URL clients reach this server at (for links and presigned URLs)' },
  s3Region: { env: 'TROVE_S3_REGION', parse: region, metavar: 'region', defaultHelp: 'any region the client signs with', help: 'Pins the region SigV4 signatures must use' },
  tlsCert: { env: 'TROVE_TLS_CERT', parse: text, metavar: 'path', defaultHelp: 'plain HTTP', help: 'PEM certificate file for HTTPS (with the key)' },
  tlsKey: { env: 'TROVE_TLS_KEY', parse: text, metavar: 'path', help: 'PEM private key file for HTTPS (with the certificate)' },
  logLevel: { env: 'TROVE_LOG_LEVEL', parse: oneOf(LOG_LEVELS), default: 'info', metavar: 'level', help: `Log level: ${LOG_LEVELS.join(', ')}` },
  gcInterval: { env: 'TROVE_GC_INTERVAL', parse: integer(0, 2 ** 31), default: '3600', metavar: 'seconds', help: 'Seconds between blob garbage collections (0 disables)' },
  gcGrace: { env: 'TROVE_GC_GRACE', parse: integer(0, 2 ** 31), default: '86400', metavar: 'seconds', help: 'Minimum age in seconds of an unreferenced blob before it is collected' },
  rateLimit: { env: 'TROVE_RATE_LIMIT', parse: integer(0, 2 ** 31), default: '1200', metavar: 'requests', help: 'REST requests per minute per API key, shared by every process through the catalog (0 disables)' },
  shutdownTimeout: { env: 'TROVE_SHUTDOWN_TIMEOUT', parse: seconds, default: '10', metavar: 'seconds', help: 'Seconds to let requests finish on SIGTERM before closing' },
} satisfies Record<string, SettingDef<unknown>>;

type Settings = typeof SETTINGS;
type Name = keyof Settings;
type Parsed<K extends Name> = Settings[K] extends { parse: Parser<infer T> } ? T : never;
type Values = { [K in Name]: Settings[K] extends { default: string } ? Parsed<K> : Parsed<K> | undefined };

const NAMES = Object.keys(SETTINGS) as Name[];
const def = (name: Name): SettingDef<unknown> => SETTINGS[name];
const flagOf = (name: Name): string => `--${def(name).env.slice('TROVE_'.length).toLowerCase().replaceAll('_', '-')}`;
const label = (name: Name): string => `${def(name).env} (${flagOf(name)})`;

// ---- collecting raw text: environment first, flags over it ----

function flagValues(argv: readonly string[]): Map<Name, string> {
  const byFlag = new Map(NAMES.map((n) => [flagOf(n), n]));
  const values = new Map<Name, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) throw new ConfigError(`unexpected argument "${arg}"`);
    const [flag, inline] = splitOnce(arg, '=');
    const name = byFlag.get(flag);
    if (!name) throw new ConfigError(`unknown flag ${flag} (see --help)`);
    if (values.has(name)) throw new ConfigError(`${flag} is given more than once`);
    const next = argv[i + 1];
    const nextIsValue = next !== undefined && !next.startsWith('--') && (!def(name).flagOnly || BOOL_WORDS.includes(next.toLowerCase()));
    const value = inline ?? (nextIsValue ? argv[++i] : def(name).flagOnly ? 'true' : undefined);
    if (!value) throw new ConfigError(`${flag} needs a value`);
    values.set(name, value);
  }
  return values;
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const at = s.indexOf(sep);
  return at < 0 ? [s, undefined] : [s.slice(0, at), s.slice(at + 1)];
}

function parseValues(argv: readonly string[], env: NodeJS.ProcessEnv): { values: Values; given: Set<Name> } {
  const fromFlags = flagValues(argv);
  const values: Record<string, unknown> = {};
  const given = new Set<Name>();
  for (const name of NAMES) {
    const fromEnv = env[def(name).env] || undefined; // an empty variable counts as unset
    const raw = fromFlags.get(name) ?? fromEnv;
    if (raw !== undefined) given.add(name);
    const text = raw ?? def(name).default;
    if (text === undefined) continue;
    try {
      values[name] = def(name).parse(text);
    } catch (err) {
      const where = fromFlags.has(name) ? flagOf(name) : def(name).env;
      throw new ConfigError(`invalid ${where}: ${(err as Error).message}`);
    }
  }
  return { values: values as Values, given };
}

// ---- assembling the typed Config and checking settings against each other ----

function pair<T>(v: Values, a: Name, b: Name, make: (x: string, y: string) => T): T | undefined {
  const [x, y] = [v[a], v[b]] as [string | undefined, string | undefined];
  if (x === undefined && y === undefined) return undefined;
  if (x === undefined || y === undefined)
    throw new ConfigError(`${label(a)} and ${label(b)} must be set together (only ${label(x === undefined ? b : a)} is set)`);
  return make(x, y);
}

function blobStoreOf(v: Values, given: Set<Name>, dataDir: string): BlobStoreConfig {
  const credentials = pair(v, 'blobS3AccessKeyId', 'blobS3SecretAccessKey', (accessKeyId, secretAccessKey) => ({ accessKeyId, secretAccessKey }));
  if (v.blobStore) {
    const { bucket, prefix } = v.blobStore;
    return { kind: 's3', bucket, prefix, endpoint: v.blobS3Endpoint, region: v.blobS3Region, credentials, forcePathStyle: v.blobS3ForcePathStyle };
  }
  const stray = NAMES.filter((n) => n.startsWith('blobS3') && given.has(n));
  if (stray.length > 0) throw new ConfigError(`${stray.map(label).join(', ')} apply only with ${label('blobStore')} set to s3://bucket/prefix`);
  return { kind: 'fs', root: resolve(dataDir, 'blobs') };
}

function assemble(v: Values, given: Set<Name>): Config {
  const dataDir = resolve(v.dataDir);
  if (v.databaseUrl !== undefined && v.encryptionKey === undefined)
    throw new ConfigError(
      `${label('encryptionKey')} is required with ${label('databaseUrl')}: the generated key file only exists for the embedded catalog. ` +
        'Generate a key with: openssl rand -base64 32',
    );
  return {
    dataDir,
    host: v.host,
    port: v.port,
    catalog: v.databaseUrl ? { kind: 'postgres', url: v.databaseUrl } : { kind: 'pglite', dir: resolve(dataDir, 'catalog') },
    blobStore: blobStoreOf(v, given, dataDir),
    encryption: { key: v.encryptionKey, previousKeys: v.encryptionPreviousKeys ?? [] },
    adminBootstrap: pair(v, 'adminAccessKeyId', 'adminSecretAccessKey', (accessKeyId, secretAccessKey) => ({ accessKeyId, secretAccessKey })),
    publicUrl: v.publicUrl,
    s3Region: v.s3Region,
    tls: pair(v, 'tlsCert', 'tlsKey', (cert, key) => ({ certPath: resolve(cert), keyPath: resolve(key) })),
    logLevel: v.logLevel,
    gcIntervalSeconds: v.gcInterval,
    gcGraceSeconds: v.gcGrace,
    shutdownTimeoutMs: Math.round(v.shutdownTimeout * 1000),
    rateLimitPerMinute: v.rateLimit,
  };
}

// Buffers cannot be frozen (V8 refuses typed arrays with elements); everything else is.
function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  for (const child of Object.values(value)) deepFreeze(child);
  return Object.freeze(value);
}

/** argv = the flags after the command (`trove serve <argv>`); handle --help before calling. */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv): Readonly<Config> {
  const { values, given } = parseValues(argv, env);
  return deepFreeze(assemble(values, given));
}

/** Every setting with its flag, variable, default and meaning, for `trove serve --help`. */
export function configHelp(): string {
  const lines = ['Settings (each one a flag or an environment variable; flags win):', ''];
  for (const name of NAMES) {
    const d = def(name);
    const fallback = d.default ?? d.defaultHelp ?? 'unset';
    lines.push(`  ${flagOf(name)} <${d.metavar ?? 'value'}>`.padEnd(44) + d.env);
    lines.push(`      ${d.help}. Default: ${fallback}.${d.secret ? ' Secret: prefer the variable (flags show in ps).' : ''}`);
  }
  return lines.join('\n') + '\n';
}

const REDACTED = '[redacted]';

function redactUrl(raw: string): string {
  const url = new URL(raw);
  // Brackets would be percent-encoded inside a URL.
  if (url.password) url.password = 'REDACTED';
  for (const k of [...url.searchParams.keys()]) if (/pass|secret|key/i.test(k)) url.searchParams.set(k, 'REDACTED');
  return url.href;
}

/** The Config with every secret replaced, safe to log at start-up. */
export function redactedConfig(config: Config): Record<string, unknown> {
  const { catalog, blobStore, encryption, adminBootstrap } = config;
  return {
    ...config,
    catalog: catalog.kind === 'postgres' ? { kind: 'postgres', url: redactUrl(catalog.url) } : catalog,
    blobStore:
      blobStore.kind === 's3' && blobStore.credentials
        ? { ...blobStore, credentials: { accessKeyId: blobStore.credentials.accessKeyId, secretAccessKey: REDACTED } }
        : blobStore,
    encryption: { key: encryption.key ? REDACTED : 'embedded key file', previousKeys: encryption.previousKeys.length },
    adminBootstrap: adminBootstrap && { accessKeyId: adminBootstrap.accessKeyId, secretAccessKey: REDACTED },
  };
}
