/** What every benchmarked server child reads from its environment, and how it tells the driver its port. */
import type { Server } from 'node:http';

export const benchEnv = () => {
  const project = process.env.FG_BENCH_PROJECT;
  if (!project) throw new Error('FG_BENCH_PROJECT is not set (run bench/online.ts, not this file)');
  return { project, redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' };
};

/** Print the bound port as one JSON line for the driver; exit on SIGTERM. */
export const announce = (server: Server) => {
  const addr = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof addr === 'object' && addr ? addr.port : 0, pid: process.pid })}\n`);
};
