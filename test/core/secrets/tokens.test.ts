import { createHmac } from 'node:crypto';
import t from 'tap';
import {
  newAccessKeyId,
  newLookupKey,
  newToken,
  TOKEN_PREFIXES,
  tokenHint,
  tokenLookupHash,
  tokenPrefixOf,
} from '../../../src/core/secrets/tokens.js';

const COUNT = 10_000;

t.test('access key ids: TK + 18 upper-case alphanumerics, unique', async (t) => {
  const ids = Array.from({ length: COUNT }, newAccessKeyId);
  t.ok(ids.every((id) => /^TK[A-Z0-9]{18}$/.test(id)), 'format');
  t.equal(new Set(ids).size, COUNT, 'unique');
  const used = new Set(ids.flatMap((id) => [...id.slice(2)]));
  t.equal(used.size, 36, 'the whole alphabet appears');
});

t.test('tokens: prefix + 43 base62 characters, unique, whole alphabet', async (t) => {
  for (const prefix of TOKEN_PREFIXES) {
    const tokens = Array.from({ length: COUNT }, () => newToken(prefix));
    t.ok(tokens.every((tok) => new RegExp(`^${prefix}[0-9A-Za-z]{43}$`).test(tok)), `${prefix} format`);
    t.equal(new Set(tokens).size, COUNT, `${prefix} unique`);
    t.equal(new Set(tokens.flatMap((tok) => [...tok.slice(4)])).size, 62, `${prefix} alphabet`);
  }
});

t.test('tokens: no modulo bias', async (t) => {
  // 10k tokens = 430k characters, ~6,935 per symbol. With the biased `byte % 62` the first
  // 8 symbols would get 5/4 of the others' share (~8,600 vs ~6,900): far outside this band.
  const counts = new Map<string, number>();
  for (let i = 0; i < COUNT; i++) for (const c of newToken('tuk-').slice(4)) counts.set(c, (counts.get(c) ?? 0) + 1);
  const expected = (COUNT * 43) / 62;
  for (const [c, n] of counts) t.ok(Math.abs(n - expected) < expected * 0.08, `${c}: ${n}`);
});

t.test('tokenPrefixOf recognises our three kinds only', async (t) => {
  t.equal(tokenPrefixOf(newToken('tuk-')), 'tuk-');
  t.equal(tokenPrefixOf(newToken('trk-')), 'trk-');
  t.equal(tokenPrefixOf(newToken('tak-')), 'tak-');
  for (const other of ['tok-abc', 'abc', '', 'tuk-', 'tuk-abc def', 'TUK-abc']) t.equal(tokenPrefixOf(other), undefined, other);
});

t.test('tokenHint is the last four characters', async (t) => {
  t.equal(tokenHint('tuk-abcdefWXYZ'), 'WXYZ');
  const tok = newToken('tak-');
  t.equal(tokenHint(tok), tok.slice(-4));
});

t.test('lookup hash: HMAC-SHA256 hex under the lookup key', async (t) => {
  const lookupKey = newLookupKey();
  t.equal(lookupKey.length, 32);
  t.not(newLookupKey().toString('hex'), lookupKey.toString('hex'));
  const tok = newToken('tuk-');
  const hash = tokenLookupHash(lookupKey, tok);
  t.match(hash, /^[0-9a-f]{64}$/);
  t.equal(hash, createHmac('sha256', lookupKey).update(tok).digest('hex'));
  t.equal(tokenLookupHash(lookupKey, tok), hash, 'deterministic');
  t.not(tokenLookupHash(newLookupKey(), tok), hash, 'depends on the key');
  t.not(tokenLookupHash(lookupKey, newToken('tuk-')), hash, 'depends on the token');
});
