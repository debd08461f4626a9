/**
 * Quote-request events of the demo's `quote_activity` aggregation view (schema/index.ts): a deterministic
 * backlog for the last day (ids fixed by customer and minute, so a second `npm start` pushes replays that
 * count once), and a small live generator for `featuregraph demo --quote-stream`.
 */
import { DEMO_CUSTOMER_IDS } from './demo-data.js';

const CHANNELS = ['web', 'app', 'broker'] as const;
const MIN = 60_000;

/** A number in [0, 1) fixed by its arguments (splitmix-style hash). */
const hash = (a: number, b: number): number => {
  let h = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) / 4_294_967_296;
};

export interface QuoteEvent {
  readonly customer_id: string;
  readonly request_id: string;
  readonly event_timestamp: string;
  readonly channel: string;
}

/** The backlog: per customer and minute of the last day before `now`, a request with probability 1/30. */
export const demoQuoteBacklog = (now: Date): QuoteEvent[] => {
  const end = Math.floor(now.getTime() / MIN);
  const out: QuoteEvent[] = [];
  for (const [c, id] of DEMO_CUSTOMER_IDS.entries())
    for (let m = end - 24 * 60; m < end; m++)
      if (hash(c, m) < 1 / 30)
        out.push({
          customer_id: id,
          request_id: `q-${id}-${m}`,
          event_timestamp: new Date(m * MIN + Math.floor(hash(m, c) * MIN)).toISOString(),
          channel: CHANNELS[m % 3]!,
        });
  return out;
};

/** Push a few live requests every `intervalMs` (a few customers at a time) until stopped. */
export const startQuoteStream = (push: (events: QuoteEvent[]) => Promise<unknown>, intervalMs = 1000): (() => void) => {
  let n = 0;
  const timer = setInterval(() => {
    const now = Date.now();
    const events = Array.from({ length: 3 }, (_, i) => {
      const c = DEMO_CUSTOMER_IDS[Math.floor(Math.random() * Math.min(10, DEMO_CUSTOMER_IDS.length))]!;
      return {
        customer_id: c,
        request_id: `live-${now}-${n++}-${i}`,
        event_timestamp: new Date(now).toISOString(),
        channel: CHANNELS[n % 3]!,
      };
    });
    void push(events).catch((err: unknown) => console.error(`quote stream: ${err instanceof Error ? err.message : String(err)}`));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
};
