// `after` and `amount` as every paginated list accepts them (default 100, at most 1000).
import { ApiError } from './errors.js';

export const MAX_PER_PAGE = 1000;

export interface PageQuery {
  after?: string;
  amount?: number | string;
}

export function pageParams(query: PageQuery, defaultAmount = 100): { after: string | null; limit: number } {
  const amount = query.amount === undefined || query.amount === '' ? defaultAmount : Number(query.amount);
  if (!Number.isInteger(amount) || amount < 1) throw new ApiError(400, 'BAD_REQUEST', 'amount must be a positive integer');
  return { after: query.after || null, limit: Math.min(amount, MAX_PER_PAGE) };
}
