// Globs where `*` matches any run of characters (including `/` and nothing) and every other
// character is literal. Compiled once into a matcher that never backtracks: a RegExp of
// several `.*` can take polynomial time on a crafted path (a policy author, or an agent's
// creator, could otherwise stall the event loop), while matching the literal segments
// leftmost-first with indexOf is O(length × segments) and exact for `*`-only globs.

export type GlobMatcher = (subject: string) => boolean;

export function compileGlob(pattern: string): GlobMatcher {
  const segments = pattern.split('*');
  if (segments.length === 1) return (subject) => subject === pattern;
  const head = segments[0] ?? '';
  const tail = segments[segments.length - 1] ?? '';
  const middle = segments.slice(1, -1).filter((s) => s !== '');
  return (subject) => {
    const end = subject.length - tail.length;
    if (end < head.length || !subject.startsWith(head) || !subject.endsWith(tail)) return false;
    let position = head.length;
    for (const segment of middle) {
      const found = subject.indexOf(segment, position);
      if (found === -1 || found + segment.length > end) return false;
      position = found + segment.length;
    }
    return true;
  };
}

/** True for `*`, `**`, ...: the glob matches everything, including "no value at all". */
export function isMatchAll(pattern: string): boolean {
  return pattern.length > 0 && /^\*+$/.test(pattern);
}
