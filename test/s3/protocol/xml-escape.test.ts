import t from 'tap';
import { escapeXml } from '../../../src/s3/protocol/xml-escape.js';

t.test('plain text is returned as is', async (t) => {
  const text = 'plain text é 日本 😀';
  t.equal(escapeXml(text), text);
});

t.test('markup, controls, and characters XML 1.0 lacks become references', async (t) => {
  t.equal(escapeXml(`a&b<c>d"e'f`), 'a&amp;b&lt;c&gt;d&quot;e&apos;f');
  t.equal(escapeXml('\x00\x01\t\n\r\x1f\x7f'), '&#x0;&#x1;&#x9;&#xA;&#xD;&#x1F;&#x7F;');
  t.equal(escapeXml('\uD83D\uDE00 \uD83D \uDE00'), '\uD83D\uDE00 &#xD83D; &#xDE00;');
  t.equal(escapeXml('\uFFFE\uFFFF\u0085\u2028'), '&#xFFFE;&#xFFFF;&#x85;&#x2028;');
  // The same string twice: the global regex keeps no state between calls.
  t.equal(escapeXml('x&'), 'x&amp;');
  t.equal(escapeXml('x&'), 'x&amp;');
});
