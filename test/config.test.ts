import { resolve } from 'node:path';
import t from 'tap';
import { ConfigError, configHelp, loadConfig, redactedConfig } from '../src/config.js';

const KEY = Buffer.alloc(32, 7);
const KEY_B64 = KEY.toString('base64');
const OLD_KEY = Buffer.alloc(32, 9);

const ALL_ENV_VARS = [
  'TROVE_DATA_DIR', 'TROVE_HOST', 'TROVE_PORT', 'TROVE_DATABASE_URL', 'TROVE_BLOB_STORE',
  'TROVE_BLOB_S3_ENDPOINT', 'TROVE_BLOB_S3_REGION', 'TROVE_BLOB_S3_ACCESS_KEY_ID',
  'TROVE_BLOB_S3_SECRET_ACCESS_KEY', 'TROVE_BLOB_S3_FORCE_PATH_STYLE', 'TROVE_ENCRYPTION_KEY',
  'TROVE_ENCRYPTION_PREVIOUS_KEYS', 'TROVE_ADMIN_ACCESS_KEY_ID', 'TROVE_ADMIN_SECRET_ACCESS_KEY',
  'TROVE_PUBLIC_URL', 'TROVE_RATE_LIMIT', 'TROVE_S3_REGION', 'TROVE_TLS_CERT', 'TROVE_TLS_KEY', 'TROVE_LOG_LEVEL',
  'TROVE_GC_INTERVAL', 'TROVE_GC_GRACE', 'TROVE_SHUTDOWN_TIMEOUT',
];

const flagOf = (env: string): string => `--${env.slice(6).toLowerCase().replaceAll('_', '-')}`;

t.test('defaults', async (t) => {
  const c = loadConfig([], {});
  t.equal(c.dataDir, resolve('data'));
  t.equal(c.host, '127.0.0.1');
  t.equal(c.port, 9000);
  t.same(c.catalog, { kind: 'pglite', dir: resolve('data', 'catalog') });
  t.same(c.blobStore, { kind: 'fs', root: resolve('data', 'blobs') });
  t.same(c.encryption, { key: undefined, previousKeys: [] });
  t.equal(c.adminBootstrap, undefined);
  t.equal(c.publicUrl, undefined);
  t.equal(c.s3Region, undefined);
  t.equal(c.tls, undefined);
  t.equal(c.logLevel, 'info');
  t.equal(c.gcIntervalSeconds, 3600);
  t.equal(c.gcGraceSeconds, 86400);
  t.equal(c.shutdownTimeoutMs, 10_000);
});

t.test('every setting from the environment', async (t) => {
  const c = loadConfig([], {
    TROVE_DATA_DIR: '/srv/trove',
    TROVE_HOST: '0.0.0.0',
    TROVE_PORT: '8080',
    TROVE_DATABASE_URL: 'postgres://trove:pw@db:5432/trove',
    TROVE_BLOB_STORE: 's3://my-bucket/some/prefix/',
    TROVE_BLOB_S3_ENDPOINT: 'http://minio:9000/',
    TROVE_BLOB_S3_REGION: 'eu-west-3',
    TROVE_BLOB_S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
    TROVE_BLOB_S3_SECRET_ACCESS_KEY: 'blob secret',
    TROVE_BLOB_S3_FORCE_PATH_STYLE: 'true',
    TROVE_ENCRYPTION_KEY: KEY_B64,
    TROVE_ENCRYPTION_PREVIOUS_KEYS: ` ${OLD_KEY.toString('base64')} ,${OLD_KEY.toString('base64url')}`,
    TROVE_ADMIN_ACCESS_KEY_ID: 'TKADMIN',
    TROVE_ADMIN_SECRET_ACCESS_KEY: 'admin secret',
    TROVE_PUBLIC_URL: 'https://trove.example.com/',
    TROVE_S3_REGION: 'us-west-2',
    TROVE_TLS_CERT: '/etc/trove/cert.pem',
    TROVE_TLS_KEY: '/etc/trove/key.pem',
    TROVE_LOG_LEVEL: 'debug',
    TROVE_GC_INTERVAL: '0',
    TROVE_GC_GRACE: '60',
    TROVE_SHUTDOWN_TIMEOUT: '2.5',
  });
  t.equal(c.dataDir, '/srv/trove');
  t.equal(c.host, '0.0.0.0');
  t.equal(c.port, 8080);
  t.same(c.catalog, { kind: 'postgres', url: 'postgres://trove:pw@db:5432/trove' });
  t.same(c.blobStore, {
    kind: 's3',
    bucket: 'my-bucket',
    prefix: 'some/prefix',
    endpoint: 'http://minio:9000',
    region: 'eu-west-3',
    credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'blob secret' },
    forcePathStyle: true,
  });
  t.ok(c.encryption.key?.equals(KEY));
  t.equal(c.encryption.previousKeys.length, 2);
  t.ok(c.encryption.previousKeys.every((k) => k.equals(OLD_KEY)));
  t.same(c.adminBootstrap, { accessKeyId: 'TKADMIN', secretAccessKey: 'admin secret' });
  t.equal(c.publicUrl, 'https://trove.example.com');
  t.equal(c.s3Region, 'us-west-2');
  t.same(c.tls, { certPath: '/etc/trove/cert.pem', keyPath: '/etc/trove/key.pem' });
  t.equal(c.logLevel, 'debug');
  t.equal(c.gcIntervalSeconds, 0);
  t.equal(c.gcGraceSeconds, 60);
  t.equal(c.shutdownTimeoutMs, 2500);
});

t.test('flags, in both spellings, win over the environment', async (t) => {
  const env = { TROVE_PORT: '1111', TROVE_HOST: 'envhost', TROVE_LOG_LEVEL: 'warn' };
  const c = loadConfig(['--port=2222', '--host', 'flaghost', '--data-dir', 'rel/dir'], env);
  t.equal(c.port, 2222);
  t.equal(c.host, 'flaghost');
  t.equal(c.logLevel, 'warn', 'the environment still applies where no flag is given');
  t.equal(c.dataDir, resolve('rel/dir'));
});

// A valid value for every variable; together they form one consistent configuration.
const SAMPLES: Record<string, string> = {
  TROVE_DATA_DIR: '/srv/trove', TROVE_HOST: '0.0.0.0', TROVE_PORT: '8080', TROVE_RATE_LIMIT: '77',
  TROVE_DATABASE_URL: 'postgres://trove:pw@db/trove', TROVE_BLOB_STORE: 's3://bucket/prefix',
  TROVE_BLOB_S3_ENDPOINT: 'http://minio:9000', TROVE_BLOB_S3_REGION: 'eu-west-1',
  TROVE_BLOB_S3_ACCESS_KEY_ID: 'BLOBID', TROVE_BLOB_S3_SECRET_ACCESS_KEY: 'blob-secret',
  TROVE_BLOB_S3_FORCE_PATH_STYLE: 'true', TROVE_ENCRYPTION_KEY: KEY_B64,
  TROVE_ENCRYPTION_PREVIOUS_KEYS: OLD_KEY.toString('base64'), TROVE_ADMIN_ACCESS_KEY_ID: 'ADMINID',
  TROVE_ADMIN_SECRET_ACCESS_KEY: 'admin-secret', TROVE_PUBLIC_URL: 'https://trove.example.com',
  TROVE_S3_REGION: 'us-west-2', TROVE_TLS_CERT: '/etc/cert.pem', TROVE_TLS_KEY: '/etc/key.pem',
  TROVE_LOG_LEVEL: 'trace', TROVE_GC_INTERVAL: '7', TROVE_GC_GRACE: '8', TROVE_SHUTDOWN_TIMEOUT: '9',
};

const outcome = (load: () => unknown): string => {
  try {
    return JSON.stringify(load());
  } catch (err) {
    return (err as Error).message;
  }
};

t.test('every environment variable has a flag that sets the same thing', async (t) => {
  t.same(Object.keys(SAMPLES).sort(), [...ALL_ENV_VARS].sort());
  const fromEnv = loadConfig([], SAMPLES);
  for (const env of ALL_ENV_VARS) {
    const { [env]: value, ...rest } = SAMPLES;
    t.same(loadConfig([flagOf(env), value as string], rest), fromEnv, `${flagOf(env)} <value>`);
    t.same(loadConfig([`${flagOf(env)}=${value}`], rest), fromEnv, `${flagOf(env)}=<value>`);
    t.not(outcome(() => loadConfig([], rest)), JSON.stringify(fromEnv), `${env} matters`);
  }
});

t.test('boolean flags', async (t) => {
  const base = { TROVE_BLOB_STORE: 's3://b' };
  const pathStyle = (argv: string[], env: NodeJS.ProcessEnv) => {
    const c = loadConfig(argv, { ...base, ...env });
    return c.blobStore.kind === 's3' && c.blobStore.forcePathStyle;
  };
  t.equal(pathStyle([], {}), false);
  t.equal(pathStyle(['--blob-s3-force-path-style'], {}), true, 'alone means true');
  t.equal(pathStyle(['--blob-s3-force-path-style', 'false'], { TROVE_BLOB_S3_FORCE_PATH_STYLE: '1' }), false);
  t.equal(pathStyle(['--blob-s3-force-path-style', '--port', '1'], {}), true, 'followed by another flag');
  t.equal(pathStyle([], { TROVE_BLOB_S3_FORCE_PATH_STYLE: 'YES' }), true);
});

t.test('an empty environment variable counts as unset', async (t) => {
  t.equal(loadConfig([], { TROVE_PORT: '', TROVE_PUBLIC_URL: '' }).port, 9000);
});

t.test('the config is frozen', async (t) => {
  const c = loadConfig([], {});
  t.ok(Object.isFrozen(c));
  t.ok(Object.isFrozen(c.blobStore));
  t.throws(() => {
    (c as { port: number }).port = 1;
  });
});

const invalid: Array<[string, string[], NodeJS.ProcessEnv, RegExp]> = [
  ['port not a number', [], { TROVE_PORT: 'http' }, /invalid TROVE_PORT: must be an integer from 1 to 65535 \(got "http"\)/],
  ['port out of range (flag named)', ['--port', '70000'], {}, /invalid --port: .*65535/],
  ['negative gc interval', [], { TROVE_GC_INTERVAL: '-1' }, /invalid TROVE_GC_INTERVAL/],
  ['fractional gc grace', [], { TROVE_GC_GRACE: '1.5' }, /invalid TROVE_GC_GRACE/],
  ['shutdown timeout', [], { TROVE_SHUTDOWN_TIMEOUT: 'soon' }, /invalid TROVE_SHUTDOWN_TIMEOUT/],
  ['log level', [], { TROVE_LOG_LEVEL: 'loud' }, /invalid TROVE_LOG_LEVEL: must be one of fatal, error/],
  ['boolean', [], { TROVE_BLOB_STORE: 's3://b', TROVE_BLOB_S3_FORCE_PATH_STYLE: 'maybe' }, /TROVE_BLOB_S3_FORCE_PATH_STYLE: must be true or false/],
  ['blob store scheme', [], { TROVE_BLOB_STORE: 'gs://bucket' }, /invalid TROVE_BLOB_STORE: must be s3:\/\/bucket/],
  ['public url', [], { TROVE_PUBLIC_URL: 'trove.example.com' }, /invalid TROVE_PUBLIC_URL/],
  ['s3 region', [], { TROVE_S3_REGION: 'us/east' }, /invalid TROVE_S3_REGION/],
  ['short key', [], { TROVE_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') }, /invalid TROVE_ENCRYPTION_KEY: must be 32 bytes in base64/],
  ['bad previous key', [], { TROVE_ENCRYPTION_PREVIOUS_KEYS: `${KEY_B64},nope` }, /invalid TROVE_ENCRYPTION_PREVIOUS_KEYS/],
  ['database url scheme', [], { TROVE_DATABASE_URL: 'mysql://u:pw@h/db', TROVE_ENCRYPTION_KEY: KEY_B64 }, /TROVE_DATABASE_URL: must be a postgres/],
  ['database url without key', [], { TROVE_DATABASE_URL: 'postgres://h/db' }, /TROVE_ENCRYPTION_KEY \(--encryption-key\) is required with TROVE_DATABASE_URL/],
  ['unknown flag', ['--prot', '9000'], {}, /unknown flag --prot/],
  ['positional argument', ['serve'], {}, /unexpected argument "serve"/],
  ['flag without value', ['--port'], {}, /--port needs a value/],
  ['flag followed by a flag', ['--host', '--port=1'], {}, /--host needs a value/],
  ['flag given twice', ['--port=1', '--port=2'], {}, /--port is given more than once/],
  ['s3 setting without s3 blob store', [], { TROVE_BLOB_S3_ENDPOINT: 'http://minio:9000' }, /TROVE_BLOB_S3_ENDPOINT .* apply only with TROVE_BLOB_STORE/],
];

t.test('invalid values are ConfigErrors naming the variable or flag', async (t) => {
  for (const [name, argv, env, message] of invalid) {
    t.throws(() => loadConfig(argv, env), { name: 'ConfigError', message }, name);
  }
  t.throws(() => loadConfig(['--port', 'x'], {}), ConfigError);
});

t.test('paired settings: both or neither', async (t) => {
  const pairs: Array<[string, string, NodeJS.ProcessEnv]> = [
    ['TROVE_ADMIN_ACCESS_KEY_ID', 'TROVE_ADMIN_SECRET_ACCESS_KEY', {}],
    ['TROVE_TLS_CERT', 'TROVE_TLS_KEY', {}],
    ['TROVE_BLOB_S3_ACCESS_KEY_ID', 'TROVE_BLOB_S3_SECRET_ACCESS_KEY', { TROVE_BLOB_STORE: 's3://b' }],
  ];
  for (const [a, b, base] of pairs) {
    t.throws(() => loadConfig([], { ...base, [a]: 'x' }), { message: new RegExp(`${a} .* and ${b} .* must be set together \\(only ${a} `) });
    t.throws(() => loadConfig([], { ...base, [b]: 'x' }), { message: new RegExp(`only ${b} `) });
    t.doesNotThrow(() => loadConfig([], { ...base, [a]: 'x', [b]: 'y' }));
    t.doesNotThrow(() => loadConfig([], base));
  }
  const c = loadConfig(['--blob-store', 's3://b'], {});
  t.equal(c.blobStore.kind === 's3' && c.blobStore.credentials, undefined, 'no credentials = the default chain');
});

t.test('errors never echo secrets', async (t) => {
  const secret = 'Sup3rS3cretPassw0rd';
  for (const env of [
    { TROVE_DATABASE_URL: `mysql://u:${secret}@h/db` },
    { TROVE_DATABASE_URL: `postgres://u:${secret}@h/db` },
    { TROVE_ENCRYPTION_KEY: secret },
    { TROVE_ENCRYPTION_PREVIOUS_KEYS: secret },
  ]) {
    const err = t.throws(() => loadConfig([], env)) as Error;
    t.notMatch(err.message, secret);
  }
});

t.test('redactedConfig hides every secret and keeps the rest', async (t) => {
  const secrets = ['dbpassword', 'blobsecret', 'adminsecret', 'querypass'];
  const c = loadConfig([], {
    TROVE_DATABASE_URL: 'postgres://trove:dbpassword@db/trove?sslpassword=querypass',
    TROVE_ENCRYPTION_KEY: KEY_B64,
    TROVE_ENCRYPTION_PREVIOUS_KEYS: OLD_KEY.toString('base64'),
    TROVE_BLOB_STORE: 's3://bucket',
    TROVE_BLOB_S3_ACCESS_KEY_ID: 'BLOBID',
    TROVE_BLOB_S3_SECRET_ACCESS_KEY: 'blobsecret',
    TROVE_ADMIN_ACCESS_KEY_ID: 'ADMINID',
    TROVE_ADMIN_SECRET_ACCESS_KEY: 'adminsecret',
  });
  const logged = JSON.stringify(redactedConfig(c));
  for (const s of [...secrets, KEY_B64, KEY.toString('hex'), OLD_KEY.toString('base64')]) t.notMatch(logged, s);
  t.notMatch(logged, /"type":"Buffer"/);
  for (const visible of ['BLOBID', 'ADMINID', 'db/trove', '"port":9000']) t.match(logged, visible);
});

t.test('help lists every setting with its variable, flag and default', async (t) => {
  const help = configHelp();
  for (const env of ALL_ENV_VARS) {
    t.match(help, env);
    t.match(help, flagOf(env));
  }
  t.same([...new Set(help.match(/TROVE_[A-Z0-9_]+/g))].sort(), [...ALL_ENV_VARS].sort(), 'and no others');
  for (const fallback of ['./data', '127.0.0.1', '9000', 'us-east-1', '3600', '86400']) t.match(help, `Default: ${fallback}`);
});

t.test('the rate limit is a non-negative integer, 1200 by default, 0 disables it', async (t) => {
  t.equal(loadConfig([], {}).rateLimitPerMinute, 1200);
  t.equal(loadConfig(['--rate-limit', '0'], {}).rateLimitPerMinute, 0);
  t.equal(loadConfig([], { TROVE_RATE_LIMIT: '50' }).rateLimitPerMinute, 50);
  t.throws(() => loadConfig([], { TROVE_RATE_LIMIT: '-1' }), /TROVE_RATE_LIMIT/);
});
