import type { ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { revocable, type LiveStream } from '../../src/server/plugins/use-api-keys.js';

const principal = { name: 'k', scopes: ['read:*'] };

describe('a subscription stream that ends when its key is revoked (useApiKeys)', () => {
  it('forgets the stream when its source ends, fails, or is revoked, and a failing return() is not an unhandled rejection', async () => {
    const live = new Set<LiveStream>();
    // Ends by itself.
    async function* two() {
      yield { data: { n: 1 } } as ExecutionResult;
      yield { data: { n: 2 } } as ExecutionResult;
    }
    const a = revocable(two(), principal, live);
    expect(live.size).toBe(1);
    expect((await a.next()).value).toEqual({ data: { n: 1 } });
    await a.next();
    expect((await a.next()).done).toBe(true);
    expect(live.size).toBe(0);
    // Fails (a slow subscriber, a store): the consumer does not call return() after a throw.
    async function* failing(): AsyncGenerator<ExecutionResult> {
      yield { data: { n: 1 } };
      throw new Error('SLOW_SUBSCRIBER');
    }
    const b = revocable(failing(), principal, live);
    await b.next();
    await expect(b.next()).rejects.toThrow('SLOW_SUBSCRIBER');
    expect(live.size).toBe(0);
    // Revoked while waiting, with a source whose return() rejects.
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const pending: AsyncIterator<ExecutionResult> = {
        next: () => new Promise(() => undefined),
        return: () => Promise.reject(new Error('return failed')),
      };
      const c = revocable({ [Symbol.asyncIterator]: () => pending }, principal, live);
      const waiting = c.next();
      for (const s of live) s.stop();
      const last = await waiting;
      expect(JSON.stringify(last.value)).toContain('UNAUTHENTICATED');
      expect((await c.next()).done).toBe(true);
      expect(live.size).toBe(0);
      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
