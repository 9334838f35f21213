// A cursor over one line of policy text: whitespace, words, quoted or bare values. Every
// failure is a PolicySyntaxFailure carrying the 1-based column of the offending character.

/** Characters that end a word or a bare value; `#` starts a comment outside quotes. */
const DELIMITER = /[\s(),=#"]/;

export class PolicySyntaxFailure extends Error {
  constructor(
    readonly column: number,
    message: string,
  ) {
    super(message);
  }
}

export class LineScanner {
  position = 0;

  constructor(readonly text: string) {}

  get column(): number {
    return this.position + 1;
  }

  /** The current character, or '' at the end of the line. */
  peek(): string {
    return this.text[this.position] ?? '';
  }

  /** At the end of the line or at a comment: nothing more to read. */
  atEnd(): boolean {
    return this.position >= this.text.length || this.peek() === '#';
  }

  skipSpace(): void {
    while (this.position < this.text.length && /\s/.test(this.peek())) this.position++;
  }

  fail(message: string, column = this.column): never {
    throw new PolicySyntaxFailure(column, message);
  }

  /** Consumes `char` or fails with "expected ... <what is here>". */
  expect(char: string, context: string): void {
    if (this.peek() !== char) this.fail(`expected "${char}" ${context}, found ${this.describeHere()}`);
    this.position++;
  }

  /** A run of non-delimiter characters (possibly empty). */
  readWord(): string {
    const start = this.position;
    while (this.position < this.text.length && !DELIMITER.test(this.peek())) this.position++;
    return this.text.slice(start, this.position);
  }

  /** A `"quoted"` value (escapes `\"` and `\\`) or a bare word; undefined if neither is here. */
  readValue(): string | undefined {
    if (this.peek() !== '"') {
      const word = this.readWord();
      return word === '' ? undefined : word;
    }
    const opening = this.column;
    this.position++;
    let value = '';
    for (;;) {
      const char = this.peek();
      if (char === '') this.fail('unterminated string: missing closing "', opening);
      this.position++;
      if (char === '"') return value;
      if (char === '\\') value += this.readEscape();
      else value += char;
    }
  }

  private readEscape(): string {
    const char = this.peek();
    if (char !== '"' && char !== '\\') this.fail('unknown escape: only \\" and \\\\ are allowed in a quoted value', this.column - 1);
    this.position++;
    return char;
  }

  /** The current token for an error message: `")"`, `"foo"`, or "end of line". */
  describeHere(): string {
    if (this.position >= this.text.length) return 'end of line';
    if (this.peek() === '#') return 'a comment';
    const word = this.text.slice(this.position).match(/^[^\s(),=#"]+/)?.[0];
    return JSON.stringify(word ?? this.peek());
  }
}
