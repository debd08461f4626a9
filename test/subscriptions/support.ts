import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** What a subscriber received: results in order, and the first error (as the client reported it). */
export interface Received {
  readonly results: {
    data?: Record<string, unknown> | null;
    errors?: readonly { message: string; extensions?: Record<string, unknown> }[];
  }[];
  error: unknown;
  completed: boolean;
  /** Resolves once `n` results have arrived (or the subscription ended). */
  atLeast(n: number, timeoutMs?: number): Promise<void>;
  dispose(): void;
}

const collector = (): Omit<Received, 'dispose'> & { push(r: Received['results'][number]): void; end(): void } => {
  const results: Received['results'][number][] = [];
  const waiters: (() => void)[] = [];
  const self = {
    results,
    error: undefined as unknown,
    completed: false,
    push(r: Received['results'][number]) {
      results.push(r);
      for (const w of waiters.splice(0)) w();
    },
    end() {
      self.completed = true;
      for (const w of waiters.splice(0)) w();
    },
    async atLeast(n: number, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (results.length < n && !self.completed) {
        if (Date.now() > until) throw new Error(`received ${results.length} of ${n} results in ${timeoutMs} ms`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 50);
        });
      }
    },
  };
  return self;
};

/** Subscribe over SSE with graphql-sse's client (distinct connections mode, what Yoga serves). */
export const subscribeSse = (url: string, query: string, headers: Record<string, string> = {}): Received => {
  const client = createSseClient({ url, headers, retryAttempts: 0 });
  const c = collector();
  const dispose = client.subscribe(
    { query },
    {
      next: (r) => c.push(r as Received['results'][number]),
      error: (e) => {
        c.error = e;
        c.end();
      },
      complete: () => c.end(),
    },
  );
  return Object.assign(c, {
    dispose: () => {
      dispose();
      client.dispose();
    },
  });
};

/** A graphql-ws client on the server's WebSocket endpoint; `connectionParams` carries the API key. */
export const wsClient = (url: string, connectionParams: Record<string, string> = {}): Client =>
  createWsClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: true });

export const subscribeWs = (client: Client, query: string): Received => {
  const c = collector();
  const dispose = client.subscribe(
    { query },
    {
      next: (r) => c.push(r as Received['results'][number]),
      error: (e) => {
        c.error = e;
        c.end();
      },
      complete: () => c.end(),
    },
  );
  return Object.assign(c, { dispose });
};

/**
 * Wait until a subscription is live: push a marker row (through `push`) until one arrives, since a
 * subscription delivers only changes written after it started. Returns how many results that took.
 */
export const untilLive = async (subs: readonly Received[], push: (i: number) => Promise<void>, timeoutMs = 15_000): Promise<void> => {
  const until = Date.now() + timeoutMs;
  for (let i = 0; ; i++) {
    await push(i);
    await new Promise((r) => setTimeout(r, 100));
    if (subs.every((s) => s.results.length > 0)) return;
    if (Date.now() > until)
      throw new Error(`subscriptions not live after ${timeoutMs} ms: ${subs.map((s) => s.results.length).join(', ')}`);
  }
};

/** A subscription request over SSE as a raw HTTP exchange: for refusals, which graphql-sse reports without a body. */
export const sseRaw = async (
  url: string,
  query: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> => {
  const ac = new AbortController();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query }),
    signal: ac.signal,
  });
  const reader = res.body!.getReader();
  let text = '';
  const until = Date.now() + 2000;
  while (Date.now() < until && !/event: complete|"errors"/.test(text)) {
    const r = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), 200))]);
    if (r === null) continue;
    if (r.done) break;
    text += new TextDecoder().decode(r.value);
  }
  ac.abort();
  return { status: res.status, text };
};
