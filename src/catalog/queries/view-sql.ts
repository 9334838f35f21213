// One view's SQL: the placeholders of its repository, commit and session, and the conditions
// that select what the view sees.
import type { Params } from './params.js';

export interface View {
  repoId: string;
  /** The commit sequence number to read at, or 'head' for whatever is latest. */
  seq: number | 'head';
  /** A session whose staged changes overlay the commit. */
  sessionId?: string | null;
}

/** The placeholders one view's SQL needs, allocated once per query. */
export class ViewSql {
  readonly repo: string;
  private readonly seq: string | null;
  readonly session: string | null;

  constructor(readonly view: View, readonly p: Params) {
    this.repo = p.add(view.repoId);
    this.seq = view.seq === 'head' ? null : p.add(view.seq);
    this.session = view.sessionId ? p.add(view.sessionId) : null;
  }

  visible(alias: string): string {
    if (this.seq === null) return `${alias}.to_seq IS NULL`;
    return `${alias}.from_seq <= ${this.seq} AND (${alias}.to_seq IS NULL OR ${alias}.to_seq > ${this.seq})`;
  }

  notShadowed(alias: string): string {
    if (!this.session) return '';
    return `AND NOT EXISTS (SELECT 1 FROM staged_changes sh WHERE sh.session_id = ${this.session} AND sh.path = ${alias}.path)`;
  }
}
