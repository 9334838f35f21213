// authorize() against a brute-force reference written from the rules, not from the code:
// globs by memoized character-by-character matching, decisions by collecting every match.
// Random statements also go through formatStatement → parsePolicy, so the round trip is tested.
import t, { type Test } from 'tap';
import type { Action, ActionPattern } from '../../../src/core/policy/actions.js';
import { authorize, type AuthorizationRequest } from '../../../src/core/policy/evaluate.js';
import { compileGlob } from '../../../src/core/policy/glob.js';
import { parsePolicy } from '../../../src/core/policy/parse.js';
import { formatPolicy, type Statement } from '../../../src/core/policy/statement.js';

function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x ^= x + Math.imul(x ^ (x >>> 7), 61 | x);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function referenceGlob(pattern: string, subject: string): boolean {
  const memo = new Map<string, boolean>();
  const match = (p: number, s: number): boolean => {
    const key = `${p},${s}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (p === pattern.length) result = s === subject.length;
    else if (pattern[p] === '*') result = match(p + 1, s) || (s < subject.length && match(p, s + 1));
    else result = s < subject.length && pattern[p] === subject[s] && match(p + 1, s + 1);
    memo.set(key, result);
    return result;
  };
  return match(0, 0);
}

function referenceMatches(s: Statement, r: AuthorizationRequest): boolean {
  if (s.action !== '*' && s.action !== r.action) return false;
  if (s.repository !== undefined) {
    if (r.repository === undefined) {
      if (!/^\*+$/.test(s.repository)) return false;
    } else if (!referenceGlob(s.repository, `${r.org}/${r.repository}`)) return false;
  }
  if (s.path !== undefined && (r.path === undefined || !referenceGlob(s.path, r.path))) return false;
  return true;
}

function referenceDecide(policies: Statement[][], r: AuthorizationRequest): { allowed: boolean; requiresApproval: boolean } {
  const matching = policies.flat().filter((s) => referenceMatches(s, r));
  const allows = matching.filter((s) => s.effect === 'allow');
  if (matching.some((s) => s.effect === 'deny') || allows.length === 0) return { allowed: false, requiresApproval: false };
  return { allowed: true, requiresApproval: allows.every((s) => s.approval) };
}

function referenceAgent(inline: Statement[], creator: Statement[][], r: AuthorizationRequest) {
  if (inline.length === 0) return { allowed: false, requiresApproval: false };
  const own = referenceDecide([inline], r);
  const theirs = referenceDecide(creator, r);
  if (!own.allowed || !theirs.allowed) return { allowed: false, requiresApproval: false };
  return { allowed: true, requiresApproval: own.requiresApproval || theirs.requiresApproval };
}

const ACTION_CHOICES: ActionPattern[] = ['GetObject', 'PutObject', 'ListRepositories', 'ManageKeys', '*'];
const REQUEST_ACTIONS: Action[] = ['GetObject', 'PutObject', 'ListRepositories', 'ManageKeys'];
const OBJECT = new Set<ActionPattern>(['GetObject', 'PutObject']);

function generator(random: () => number) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const text = (alphabet: string, min: number, max: number): string =>
    Array.from({ length: min + Math.floor(random() * (max - min + 1)) }, () => pick([...alphabet])).join('');
  const statement = (): Statement => {
    const action = pick(ACTION_CHOICES);
    const s: Statement = { effect: random() < 0.25 ? 'deny' : 'allow', action, approval: false };
    if (action !== 'ManageKeys' && random() < 0.5) s.repository = random() < 0.15 ? '*' : `${text('ab.*', 1, 3)}/${text('ab.*+"\\', 1, 3)}`;
    if (OBJECT.has(action) && random() < 0.5) s.path = text('ab*ab*/."\\(', 1, 6);
    if (s.effect === 'allow' && random() < 0.35) s.approval = true;
    return s;
  };
  const statements = (max: number): Statement[] => Array.from({ length: Math.floor(random() * (max + 1)) }, statement);
  const request = (): AuthorizationRequest => {
    const r: AuthorizationRequest = { action: pick(REQUEST_ACTIONS), org: pick(['a', 'b', 'a.b', 'ab']) };
    if (random() < 0.8) r.repository = text('ab.+"\\', 1, 3);
    if (random() < 0.8) r.path = text('abab/.(', 0, 6);
    return r;
  };
  return { statements, request };
}

/** Through the parser, as production does; also checks the text round trip. */
function roundTrip(t: Test, statements: Statement[]): readonly Statement[] {
  const parsed = parsePolicy(formatPolicy(statements));
  t.same(parsed.errors, []);
  t.same(parsed.statements.map(({ at: _at, ...rest }) => rest), statements);
  return parsed.statements;
}

t.test('globs agree with the reference on random patterns and subjects', async (t) => {
  const seed = Date.now();
  const random = randomSource(seed);
  const draw = (alphabet: string, max: number): string =>
    Array.from({ length: Math.floor(random() * (max + 1)) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
  let mismatches = 0;
  let matched = 0;
  for (let i = 0; i < 20_000; i++) {
    const pattern = draw('ab**.', 6);
    const subject = draw('ab.', 7);
    const expected = referenceGlob(pattern, subject);
    if (expected) matched++;
    if (compileGlob(pattern)(subject) !== expected && ++mismatches <= 3) t.fail(`seed ${seed}: ${JSON.stringify({ pattern, subject, expected })}`);
  }
  t.equal(mismatches, 0, `seed ${seed}`);
  t.ok(matched > 1000, `matches exercised (${matched})`);
});

t.test('principals: authorize agrees with the reference on random policies', async (t) => {
  const seed = Date.now();
  const random = randomSource(seed);
  const { statements, request } = generator(random);
  let mismatches = 0;
  let allowed = 0;
  let tainted = 0;
  for (let round = 0; round < 300; round++) {
    const generated = Array.from({ length: 1 + Math.floor(random() * 3) }, () => statements(6));
    const parsed = generated.map((p) => roundTrip(t, p));
    for (let i = 0; i < 40; i++) {
      const r = request();
      const expected = referenceDecide(generated, r);
      const actual = authorize({ kind: 'principal', policies: parsed }, r);
      if (expected.allowed) allowed++;
      if (expected.requiresApproval) tainted++;
      if (actual.allowed !== expected.allowed || actual.requiresApproval !== expected.requiresApproval) {
        mismatches++;
        if (mismatches <= 3) t.fail(`seed ${seed}: ${JSON.stringify({ generated, r, expected, actual })}`);
      }
    }
  }
  t.equal(mismatches, 0, `seed ${seed}`);
  t.ok(allowed > 500 && tainted > 50 && allowed < 11_000, `both outcomes exercised (allowed ${allowed}, tainted ${tainted})`);
});

t.test('agents: authorize agrees with the reference on random inline and creator policies', async (t) => {
  const seed = Date.now() + 1;
  const random = randomSource(seed);
  const { statements, request } = generator(random);
  let mismatches = 0;
  let allowed = 0;
  for (let round = 0; round < 300; round++) {
    const inline = statements(5);
    const creator = Array.from({ length: Math.floor(random() * 3) }, () => statements(6));
    const grants = { kind: 'agent' as const, inline: roundTrip(t, inline), creatorPolicies: creator.map((p) => roundTrip(t, p)) };
    for (let i = 0; i < 40; i++) {
      const r = request();
      const expected = referenceAgent(inline, creator, r);
      const actual = authorize(grants, r);
      if (expected.allowed) allowed++;
      if (actual.allowed !== expected.allowed || actual.requiresApproval !== expected.requiresApproval) {
        mismatches++;
        if (mismatches <= 3) t.fail(`seed ${seed}: ${JSON.stringify({ inline, creator, r, expected, actual })}`);
      }
    }
  }
  t.equal(mismatches, 0, `seed ${seed}`);
  t.ok(allowed > 100, `agents were allowed sometimes (${allowed})`);
});
