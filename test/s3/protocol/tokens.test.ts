import t from 'tap';
import {
  decodeContinuationToken, encodeContinuationToken, encodeIfAsked, encodeKeyForUrl, parseEncodingType, parseListLimit,
} from '../../../src/s3/protocol/tokens.js';

t.test('continuation tokens round-trip keys and prefixes', async (t) => {
  for (const after of ['', 'a', 'dir/', 'é/😀 \x00\r&+/=', 'x'.repeat(1024)]) {
    for (const kind of ['key', 'prefix'] as const) {
      const token = encodeContinuationToken({ after, kind });
      t.match(token, /^[A-Za-z0-9_-]+$/);
      t.same(decodeContinuationToken(token), { after, kind });
    }
  }
  t.not(encodeContinuationToken({ after: 'a/', kind: 'key' }), encodeContinuationToken({ after: 'a/', kind: 'prefix' }));
});

t.test('tokens we did not issue are InvalidArgument', async (t) => {
  const wrongVersion = Buffer.from('2ka').toString('base64url');
  const wrongKind = Buffer.from('1xa').toString('base64url');
  const badUtf8 = Buffer.from([0x31, 0x6b, 0xff]).toString('base64url');
  const padded = `${Buffer.from('1ka').toString('base64url')}=`;
  const nonCanonical = Buffer.from('1kab').toString('base64url').replace(/.$/, (c) => String.fromCharCode(c.charCodeAt(0) + 1));
  for (const token of ['', 'not a token', 'abc+/', wrongVersion, wrongKind, badUtf8, padded, nonCanonical, 'MQ']) {
    t.throws(
      () => decodeContinuationToken(token),
      {
        code: 'InvalidArgument',
        status: 400,
        message: 'The continuation token provided is incorrect',
        extra: { ArgumentName: 'continuation-token', ArgumentValue: token },
      },
      token,
    );
  }
});

t.test('encoding-type', async (t) => {
  t.equal(parseEncodingType(undefined), undefined);
  t.equal(parseEncodingType('url'), 'url');
  t.equal(parseEncodingType('URL'), 'url');
  for (const bad of ['', 'base64', 'urls']) {
    t.throws(() => parseEncodingType(bad), { code: 'InvalidArgument', message: 'Invalid Encoding Method specified in Request', extra: { ArgumentName: 'encoding-type' } });
  }
});

t.test('keys are URL-encoded as S3 does it', async (t) => {
  t.equal(encodeKeyForUrl('dir/sub dir/file.txt'), 'dir/sub+dir/file.txt');
  t.equal(encodeKeyForUrl('a+b%c&d=e?f#g'), 'a%2Bb%25c%26d%3De%3Ff%23g');
  t.equal(encodeKeyForUrl("Az09-_.*~!'()"), "Az09-_.*%7E%21%27%28%29");
  t.equal(encodeKeyForUrl('é\x01\r\n😀'), '%C3%A9%01%0D%0A%F0%9F%98%80');
  t.equal(encodeKeyForUrl('lone\uD800'), 'lone%EF%BF%BD');
  const key = "every ~!*'() +%&/é😀\x00";
  t.equal(decodeURIComponent(encodeKeyForUrl(key).replaceAll('+', ' ')), key);
  t.equal(encodeIfAsked('a b', 'url'), 'a+b');
  t.equal(encodeIfAsked('a b', undefined), 'a b');
  t.equal(encodeIfAsked(undefined, 'url'), undefined);
});

t.test('max-keys and its siblings', async (t) => {
  t.equal(parseListLimit(undefined), 1000);
  t.equal(parseListLimit('0'), 0);
  t.equal(parseListLimit('1'), 1);
  t.equal(parseListLimit('+7'), 7);
  t.equal(parseListLimit('1000'), 1000);
  t.equal(parseListLimit('1001'), 1000);
  t.equal(parseListLimit('2147483647'), 1000);
  t.equal(parseListLimit('5', 'max-parts'), 5);
  t.throws(() => parseListLimit('-1'), {
    code: 'InvalidArgument',
    message: 'Argument maxKeys must be an integer between 0 and 2147483647',
    extra: { ArgumentName: 'maxKeys', ArgumentValue: '-1' },
  });
  t.throws(() => parseListLimit('-1', 'max-uploads'), { message: 'Argument max-uploads must be an integer between 0 and 2147483647' });
  for (const bad of ['', 'abc', '1.5', '1e3', '2147483648', ' 5', '0x10']) {
    t.throws(() => parseListLimit(bad), {
      code: 'InvalidArgument',
      message: 'Provided max-keys not an integer or within integer range',
      extra: { ArgumentName: 'max-keys', ArgumentValue: bad },
    }, bad);
  }
  t.throws(() => parseListLimit('x', 'max-parts'), { message: 'Provided max-parts not an integer or within integer range' });
});
