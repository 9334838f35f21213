// Parsing once per distinct policy text. Authorization reads the same few texts on every
// request; the cached result is frozen, so evaluate.ts can also compile each statement's
// globs once (it keys that cache by statement object).
import { parsePolicy, type ParsedPolicy } from './parse.js';

const MAX_CACHED = 1000;
const cache = new Map<string, ParsedPolicy>();

/** `parsePolicy`, memoized by text (least recently used evicted) and deeply frozen. */
export function loadPolicy(text: string): ParsedPolicy {
  const hit = cache.get(text);
  if (hit) {
    cache.delete(text);
    cache.set(text, hit);
    return hit;
  }
  const parsed = freeze(parsePolicy(text));
  cache.set(text, parsed);
  if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string);
  return parsed;
}

function freeze(parsed: ParsedPolicy): ParsedPolicy {
  for (const statement of parsed.statements) {
    if (statement.at) Object.freeze(statement.at);
    Object.freeze(statement);
  }
  parsed.errors.forEach((e) => Object.freeze(e));
  Object.freeze(parsed.statements);
  Object.freeze(parsed.errors);
  return Object.freeze(parsed);
}
