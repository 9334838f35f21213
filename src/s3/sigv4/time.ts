// Request times: SigV4's basic ISO 8601 form, HTTP dates, and the allowed clock skew.

export const MAX_SKEW_MS = 15 * 60 * 1000;
export const MAX_PRESIGNED_SECONDS = 7 * 24 * 3600;

/** YYYYMMDDTHHMMSSZ → epoch milliseconds, or NaN. */
export function parseAmzDate(amzDate: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!m) return NaN;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return toAmzDate(ms) === amzDate ? ms : NaN; // refuses 20261399T…: Date.UTC would roll it over
}

export function toAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** An HTTP date (RFC 1123 and friends) or a basic ISO 8601 one → epoch milliseconds, or NaN. */
export function parseHttpDate(value: string): number {
  const basic = parseAmzDate(value.trim());
  return Number.isNaN(basic) ? Date.parse(value) : basic;
}

export const isoTime = (ms: number): string => new Date(ms).toISOString();
