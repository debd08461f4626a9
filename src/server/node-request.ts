import type { IncomingMessage } from 'node:http';

/**
 * A Node request as the Fetch API's Request reads it, for the node front (node-front.ts): what plugin hooks
 * look at (method, URL, headers, the body as text or JSON), over Node's own header object and a body that was
 * already read. What a read body cannot give (a stream, a clone) throws, so a hook that needs it shows itself.
 */

/** Headers of a Node request, read as the Fetch `Headers` interface reads them (lower-case names, lists joined). */
class NodeHeaders {
  constructor(private readonly raw: IncomingMessage['headers']) {}
  get(name: string): string | null {
    const key = name.toLowerCase();
    // Own properties only: Node's header object has a prototype (`constructor`, `toString`).
    if (!Object.hasOwn(this.raw, key)) return null;
    const v = this.raw[key];
    return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
  }
  has(name: string): boolean {
    const key = name.toLowerCase();
    return Object.hasOwn(this.raw, key) && this.raw[key] !== undefined;
  }
  forEach(fn: (value: string, name: string) => void): void {
    for (const name of Object.keys(this.raw)) fn(this.get(name)!, name);
  }
  *entries(): IterableIterator<[string, string]> {
    for (const name of Object.keys(this.raw)) yield [name, this.get(name)!];
  }
  keys(): IterableIterator<string> {
    return Object.keys(this.raw)[Symbol.iterator]();
  }
  *values(): IterableIterator<string> {
    for (const name of Object.keys(this.raw)) yield this.get(name)!;
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
  getSetCookie(): string[] {
    return [];
  }
}

const noStream = (member: string) => () => {
  throw new Error(`the node front's request has no ${member}: a hook that needs it must run on Yoga's own front`);
};

/** The request hooks see: what Fetch's Request offers for a body that was already read. */
export class NodeRequest {
  readonly headers: NodeHeaders;
  readonly signal = undefined;
  private parsed: unknown;
  constructor(
    readonly method: string,
    readonly url: string,
    raw: IncomingMessage['headers'],
    private readonly body_: string,
  ) {
    this.headers = new NodeHeaders(raw);
  }
  /** Yoga's JSON parser reads the body with it; parsed once. */
  json(): unknown {
    if (this.parsed === undefined) this.parsed = JSON.parse(this.body_);
    return this.parsed;
  }
  text(): string {
    return this.body_;
  }
  get body(): never {
    return noStream('body stream')();
  }
  arrayBuffer = noStream('arrayBuffer()');
  formData = noStream('formData()');
  blob = noStream('blob()');
  clone = noStream('clone()');
}
