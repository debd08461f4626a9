import { spawn } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '../../bin/featuregraph.js');

/**
 * Run the `featuregraph` command on the embedded default: no DATABASE_URL/REDIS_URL, the given data dir and
 * extra environment; stdout and stderr collected together.
 */
export const runCli = (args: readonly string[], dataDir: string, env: Record<string, string> = {}) => {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, FEATUREGRAPH_DATA_DIR: dataDir, ...env };
  delete childEnv.DATABASE_URL;
  delete childEnv.REDIS_URL;
  delete childEnv.REDIS_CLUSTER_NODES;
  const child = spawn(process.execPath, [BIN, ...args], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  return { child, output: () => out, exited };
};
