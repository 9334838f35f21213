// The shape of one `trove` sub-command.

export interface Command {
  /** e.g. "serve" or "admin create-key". */
  name: string;
  summary: string;
  usage: string;
  run(argv: string[], env: NodeJS.ProcessEnv): Promise<void>;
}
