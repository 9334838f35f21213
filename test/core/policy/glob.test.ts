import t from 'tap';
import { compileGlob, isMatchAll } from '../../../src/core/policy/glob.js';

t.test('a pattern without * matches exactly', async (t) => {
  const exact = compileGlob('data/file.csv');
  t.equal(exact('data/file.csv'), true);
  t.equal(exact('data/file.csvx'), false);
  t.equal(exact('xdata/file.csv'), false);
  t.equal(exact('data/file_csv'), false, '. is literal');
});

t.test('* matches any run of characters, including / and nothing', async (t) => {
  const prefix = compileGlob('raw/*');
  t.equal(prefix('raw/'), true);
  t.equal(prefix('raw/a/b/c.txt'), true);
  t.equal(prefix('raw'), false);
  t.equal(prefix('rawx/a'), false);
  const middle = compileGlob('a*b*c');
  for (const yes of ['abc', 'aXbYc', 'abbc', 'a/b/c', 'acbc']) t.equal(middle(yes), true, yes);
  for (const no of ['ab', 'bc', 'acb', 'abcx', 'xabc']) t.equal(middle(no), false, no);
  const overlapping = compileGlob('ab*ba');
  t.equal(overlapping('aba'), false, 'head and tail may not share characters');
  t.equal(overlapping('abba'), true);
  const middleAndTail = compileGlob('a*b*b');
  t.equal(middleAndTail('ab'), false, 'a middle segment may not reach into the tail');
  t.equal(middleAndTail('abb'), true);
  t.equal(compileGlob('*')(''), true);
  t.equal(compileGlob('**x**')('x'), true);
});

t.test('regular-expression characters are literal', async (t) => {
  for (const name of ['a.b', 'a+b', 'a?b', '(a)', '[ab]', 'a|b', 'a^b$', 'a{2}', 'a\\b', 'a\\*']) {
    t.equal(compileGlob(name)(name), true, `${name} matches itself`);
  }
  t.equal(compileGlob('a.b')('axb'), false);
  t.equal(compileGlob('a?b')('ab'), false);
  t.equal(compileGlob('[ab]')('a'), false);
  t.equal(compileGlob('a|b')('a'), false);
  t.equal(compileGlob('a+*')('aaa'), false);
  t.equal(compileGlob('a\\*')('a\\anything'), true, '\\ does not escape *: * is always a wildcard');
});

t.test('pathological patterns stay linear (no backtracking blow-up)', async (t) => {
  const pattern = `${'*a'.repeat(30)}*b`;
  const subject = 'a'.repeat(50_000);
  // Not timed: a backtracking matcher would not finish this within the suite's timeout.
  t.equal(compileGlob(pattern)(subject), false);
  t.equal(compileGlob(pattern)(`${subject}b`), true);
});

t.test('isMatchAll', async (t) => {
  t.equal(isMatchAll('*'), true);
  t.equal(isMatchAll('***'), true);
  t.equal(isMatchAll(''), false);
  t.equal(isMatchAll('*/*'), false);
});
