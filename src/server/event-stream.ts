/** One server-sent event: its `event:` name (if any) and its `data:` lines joined. */
export interface ServerSentEvent {
  readonly event: string | undefined;
  readonly data: string;
}

/** The event of one block (the lines between blank lines); null for a comment-only block (a keep-alive ping). */
const parseBlock = (block: string): ServerSentEvent | null => {
  let event: string | undefined;
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':') || line === '') continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return event !== undefined || data.length ? { event, data: data.join('\n') } : null;
};

/**
 * The events of a `text/event-stream` body (the SSE format Yoga answers subscriptions with). Not an async
 * generator on purpose: `return()` must cancel the body at once, even while a read is pending (an async
 * generator's `return` would wait for the next event, which may never come).
 */
export const readEventStream = (body: ReadableStream<Uint8Array>): AsyncIterableIterator<ServerSentEvent> => {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const ready: ServerSentEvent[] = [];
  let buffer = '';
  let ended = false;
  const end = async (): Promise<IteratorResult<ServerSentEvent>> => {
    if (!ended) {
      ended = true;
      await reader.cancel().catch(() => undefined);
    }
    return { value: undefined, done: true };
  };
  const it: AsyncIterableIterator<ServerSentEvent> = {
    async next() {
      for (;;) {
        const e = ready.shift();
        if (e) return { value: e, done: false };
        if (ended) return { value: undefined, done: true };
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch {
          return end();
        }
        if (chunk.done) return end();
        buffer += decoder.decode(chunk.value, { stream: true }).replace(/\r\n?/g, '\n');
        for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
          const ev = parseBlock(buffer.slice(0, i));
          buffer = buffer.slice(i + 2);
          if (ev) ready.push(ev);
        }
      }
    },
    return: end,
    [Symbol.asyncIterator]: () => it,
  };
  return it;
};
