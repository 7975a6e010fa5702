// A small RFC 8259 JSON parser for signed documents. JSON.parse keeps the *last* of duplicate keys,
// so `{"conditions":[...],"conditions":[]}` would silently drop every condition (threats §B7.1,
// §C1.10; MinIO `sanitizePolicy`). This parser rejects duplicate keys at every level, bounds the
// nesting depth before recursing (threats §C1.11), keeps number text verbatim so callers can demand
// exact integers, and stores object members in a Map (no prototype keys such as `__proto__`).
// Error texts follow OSS's "Invalid JSON: …" phrasing (oss-protocol §4.6).

export type JsonNode =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'number'; readonly text: string }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'null' }
  | { readonly type: 'array'; readonly items: readonly JsonNode[] }
  | { readonly type: 'object'; readonly members: ReadonlyMap<string, JsonNode> };

export type StrictJsonFailure = 'syntax' | 'duplicate-key' | 'too-deep';

export class StrictJsonError extends Error {
  constructor(
    readonly failure: StrictJsonFailure,
    message: string,
  ) {
    super(message);
    this.name = 'StrictJsonError';
  }
}

export interface StrictJsonOptions {
  /** Deepest allowed nesting of arrays/objects; the top-level container is depth 1. */
  readonly maxDepth: number;
}

const numberPattern = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const simpleEscapes: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

function describeChar(ch: string): string {
  return /^[\x21-\x7e]$/.test(ch) ? ch : `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

class StrictJsonParser {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  parseDocument(): JsonNode {
    this.skipWhitespace();
    const value = this.parseValue(0);
    this.skipWhitespace();
    if (this.pos < this.text.length) this.unexpected();
    return value;
  }

  private fail(message: string): never {
    throw new StrictJsonError('syntax', `Invalid JSON: ${message}`);
  }

  private unexpected(): never {
    const ch = this.text[this.pos];
    this.fail(ch === undefined ? 'unexpected end of input' : `unknown char ${describeChar(ch)}`);
  }

  private skipWhitespace(): void {
    const text = this.text;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
      this.pos++;
    }
  }

  private parseValue(depth: number): JsonNode {
    switch (this.text[this.pos]) {
      case '{':
        return this.parseObject(depth + 1);
      case '[':
        return this.parseArray(depth + 1);
      case '"':
        return { type: 'string', value: this.parseString() };
      case 't':
        return this.parseLiteral('true', { type: 'boolean', value: true });
      case 'f':
        return this.parseLiteral('false', { type: 'boolean', value: false });
      case 'n':
        return this.parseLiteral('null', { type: 'null' });
      default:
        return this.parseNumber();
    }
  }

  private enter(depth: number): void {
    if (depth > this.maxDepth) {
      throw new StrictJsonError('too-deep', `Invalid JSON: nesting deeper than ${this.maxDepth} levels`);
    }
    this.pos++;
    this.skipWhitespace();
  }

  private parseObject(depth: number): JsonNode {
    this.enter(depth);
    const members = new Map<string, JsonNode>();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return { type: 'object', members };
    }
    for (;;) {
      if (this.text[this.pos] !== '"') this.unexpected();
      const key = this.parseString();
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') this.fail(': expected');
      this.pos++;
      this.skipWhitespace();
      if (members.has(key)) {
        throw new StrictJsonError('duplicate-key', `Invalid JSON: duplicate key ${JSON.stringify(key)}`);
      }
      members.set(key, this.parseValue(depth));
      if (this.closeOrContinue('}', ', or } expected')) return { type: 'object', members };
    }
  }

  private parseArray(depth: number): JsonNode {
    this.enter(depth);
    const items: JsonNode[] = [];
    if (this.text[this.pos] === ']') {
      this.pos++;
      return { type: 'array', items };
    }
    for (;;) {
      items.push(this.parseValue(depth));
      if (this.closeOrContinue(']', ', or ] expected')) return { type: 'array', items };
    }
  }

  /** After a member/element: true when the container closed, false after a comma. */
  private closeOrContinue(close: string, message: string): boolean {
    this.skipWhitespace();
    const ch = this.text[this.pos];
    if (ch !== ',' && ch !== close) this.fail(message);
    this.pos++;
    this.skipWhitespace();
    return ch === close;
  }

  private parseString(): string {
    const text = this.text;
    let out = '';
    let start = ++this.pos;
    for (;;) {
      if (this.pos >= text.length) this.fail('unterminated string');
      const c = text.charCodeAt(this.pos);
      if (c === 0x22) {
        out += text.slice(start, this.pos++);
        return out;
      }
      if (c === 0x5c) {
        out += text.slice(start, this.pos) + this.parseEscape();
        start = this.pos;
      } else if (c < 0x20) {
        this.fail('control character in string');
      } else {
        this.pos++;
      }
    }
  }

  private parseEscape(): string {
    const ch = this.text[this.pos + 1];
    const simple = ch === undefined ? undefined : simpleEscapes[ch];
    if (simple !== undefined) {
      this.pos += 2;
      return simple;
    }
    const hex = this.text.slice(this.pos + 2, this.pos + 6);
    if (ch !== 'u' || !/^[0-9A-Fa-f]{4}$/.test(hex)) this.fail('invalid escape in string');
    this.pos += 6;
    return String.fromCharCode(parseInt(hex, 16));
  }

  private parseLiteral(word: string, node: JsonNode): JsonNode {
    if (!this.text.startsWith(word, this.pos)) this.unexpected();
    this.pos += word.length;
    return node;
  }

  private parseNumber(): JsonNode {
    numberPattern.lastIndex = this.pos;
    const match = numberPattern.exec(this.text);
    if (!match) this.unexpected();
    this.pos += match[0].length;
    return { type: 'number', text: match[0] };
  }
}

/** Parses one JSON text; throws StrictJsonError on bad syntax, duplicate keys or excess nesting. */
export function parseStrictJson(text: string, options: StrictJsonOptions): JsonNode {
  return new StrictJsonParser(text, options.maxDepth).parseDocument();
}
