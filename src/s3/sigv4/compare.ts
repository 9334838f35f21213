// Signature comparison that takes the same time wherever the first difference is.
// The default import (not a named one) is deliberate: the test counts the calls through it.
import crypto from 'node:crypto';

export function constantTimeEqual(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  // Lengths are public (a signature's length is fixed by its algorithm); contents are not.
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
