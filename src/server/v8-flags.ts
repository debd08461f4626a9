import { setFlagsFromString } from 'node:v8';

let tuned = false;

/**
 * Turn V8's allocation-site pretenuring off in a serving process (docs/production.md, "Memory and GC").
 *
 * Pushes hold their batches across awaits, so V8 learns to allocate objects from the sites that pushes share
 * with reads (the HTTP parser's, the response's, the Redis client's) straight in the old generation. Reads then
 * leave such objects there when they die, and each young object one points to is kept through scavenges (and
 * promoted) until a full GC. A process started with either form of the flag keeps its own choice.
 */
export const tuneV8ForServing = (): void => {
  if (tuned) return;
  tuned = true;
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => a.includes('allocation-site-pretenuring'));
  if (!given) setFlagsFromString('--no-allocation-site-pretenuring');
};
