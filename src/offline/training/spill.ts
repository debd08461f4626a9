import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Validated rows of an entity file kept on disk between validation and loading, so a large file is parsed
 * (and validated) once, in bounded memory: each batch is one line of JSON (a string array; JSON escapes the
 * newlines a quoted CSV field may hold). `remove` deletes it; call it however the training set ends.
 */
// Spill directories not removed yet: also removed when the process exits on an error or a signal.
const open = new Set<string>();
let exitHook = false;

export const createSpill = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'featuregraph-entities-'));
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => {
      for (const d of open) rmSync(d, { recursive: true, force: true });
    });
  }
  open.add(dir);
  const file = join(dir, 'validated.jsonl');
  const out = createWriteStream(file);
  const failed = once(out, 'error').then(([err]) => Promise.reject(err as Error));
  failed.catch(() => undefined);
  return {
    async write(batch: readonly string[]): Promise<void> {
      if (!out.write(`${JSON.stringify(batch)}\n`)) await Promise.race([once(out, 'drain'), failed]);
    },
    /** Finish writing; then `batches` reads it back. */
    async close(): Promise<void> {
      await Promise.race([new Promise<void>((resolve) => out.end(resolve)), failed]);
    },
    async *batches(): AsyncIterable<string[]> {
      // Read as the loader asks (no line reader's unbounded buffer): a batch per line.
      let tail = '';
      for await (const chunk of createReadStream(file, { encoding: 'utf8' })) {
        const lines = (tail + (chunk as string)).split('\n');
        tail = lines.pop() ?? '';
        for (const line of lines) if (line !== '') yield JSON.parse(line) as string[];
      }
      if (tail !== '') yield JSON.parse(tail) as string[];
    },
    async remove(): Promise<void> {
      out.destroy();
      await rm(dir, { recursive: true, force: true });
      open.delete(dir);
    },
  };
};
