// Command-line flags of one command, taken out of argv; what is left goes to loadConfig,
// which knows the server-wide settings (--data-dir, --database-url, ...).

export type FlagSpec = Record<string, 'string' | 'boolean'>;

export class UsageError extends Error {}

export interface TakenFlags {
  values: Record<string, string | boolean | undefined>;
  rest: string[];
}

export function takeFlags(argv: string[], spec: FlagSpec): TakenFlags {
  const values: TakenFlags['values'] = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = arg.startsWith('--') ? splitFlag(arg.slice(2)) : [null, undefined];
    const kind = name === null ? undefined : spec[name];
    if (name === null || kind === undefined) {
      rest.push(arg);
      continue;
    }
    if (kind === 'boolean') {
      values[name] = inline === undefined ? true : inline !== 'false';
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    values[name] = value;
  }
  return { values, rest };
}

function splitFlag(flag: string): [string, string | undefined] {
  const eq = flag.indexOf('=');
  return eq < 0 ? [flag, undefined] : [flag.slice(0, eq), flag.slice(eq + 1)];
}

export function requireString(values: TakenFlags['values'], name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}
