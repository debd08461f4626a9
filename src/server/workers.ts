import cluster, { type Worker } from 'node:cluster';
import type { RunningServer } from './serve.js';

export interface WorkersOptions {
  /** Worker processes; 1 serves in this process. */
  readonly workers: number;
  /**
   * Node/V8 flags the workers run with, after this process's own. Default: a 32 MiB young generation —
   * a request's garbage dies young, and larger semi-spaces mean fewer scavenges and less of it promoted
   * (it cut CPU per 100-entity request by about a third in bench:online).
   */
  readonly nodeFlags?: readonly string[];
  /** Told about worker exits and restarts. */
  readonly log?: (msg: string) => void;
}

export type ServedBy =
  | { readonly primary: true; readonly port: number; close(): Promise<void> }
  | { readonly primary: false; readonly running: RunningServer };

export const DEFAULT_WORKER_FLAGS = ['--max-semi-space-size=32'] as const;

/**
 * Serve with node:cluster: the primary forks `workers` copies of this command, which all `serve` on the same
 * port (the primary hands connections out round-robin), restarts a worker that dies, and stops them all on
 * SIGTERM/SIGINT. With one worker `serve` simply runs here. Resolves in the primary once every worker listens.
 */
export const serveWithWorkers = async (opts: WorkersOptions, serve: () => Promise<RunningServer>): Promise<ServedBy> => {
  if (opts.workers <= 1 || cluster.isWorker) {
    const running = await serve();
    if (cluster.isWorker) {
      const addr = running.server.address();
      process.send?.({ featuregraphListening: typeof addr === 'object' && addr ? addr.port : 0 });
    }
    return { primary: false, running };
  }
  const log = opts.log ?? ((m: string) => console.error(m));
  cluster.setupPrimary({ execArgv: [...process.execArgv, ...(opts.nodeFlags ?? DEFAULT_WORKER_FLAGS)] });
  let stopping = false;
  let started = false;
  const fork = () => cluster.fork();
  cluster.on('exit', (w: Worker, code, signal) => {
    if (stopping || !started) return;
    log(`worker ${w.process.pid} exited (${signal ?? code}); starting another`);
    fork();
  });
  const port = await new Promise<number>((resolve, reject) => {
    let ready = 0;
    cluster.on('message', (_w, msg: { featuregraphListening?: number }) => {
      if (msg.featuregraphListening !== undefined && ++ready === opts.workers) {
        started = true;
        resolve(msg.featuregraphListening);
      }
    });
    // A worker that cannot start (bad config) would be restarted forever; fail instead.
    cluster.once('exit', (_w, code) => {
      if (ready >= opts.workers) return;
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
      reject(new Error(`a worker exited with ${code} before listening`));
    });
    for (let i = 0; i < opts.workers; i++) fork();
  });
  // The worst exit of the workers stopped by close(): a worker whose grace period cut requests exits 1, and
  // so does the primary then, as a single process would (docs/writes.md, "Clean shutdown").
  let worst = 0;
  const close = async () => {
    stopping = true;
    await Promise.all(
      Object.values(cluster.workers ?? {}).map(
        (w) =>
          new Promise<void>((res) => {
            if (!w || w.isDead()) return res();
            w.once('exit', (code: number | null, signal: string | null) => {
              worst = Math.max(worst, code ?? (signal ? 1 : 0));
              res();
            });
            w.process.kill('SIGTERM');
          }),
      ),
    );
  };
  const onSignal = () => void close().then(() => process.exit(worst));
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  return { primary: true, port, close };
};
