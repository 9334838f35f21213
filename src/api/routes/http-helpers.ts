// Small HTTP details shared by the REST routes: Range headers and absolute upload URLs.
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';

/** A single `bytes=a-b`, `bytes=a-` or `bytes=-n` range, or null for none (or several). */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start > end || start >= size) throw new ApiError(416, 'BAD_REQUEST', `range not satisfiable for ${size} bytes`);
  return { start, end };
}

/** Absolute, so the SDK uses it verbatim: the configured public URL, else this request's origin. */
export function uploadUrl(req: FastifyRequest, publicUrl: string | undefined, token: string): string {
  const base = publicUrl ?? `${req.protocol}://${req.host}`;
  return `${base}/api/v1/uploads/${encodeURIComponent(token)}`;
}
