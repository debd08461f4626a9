import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A redis-server process this test started, on a loopback port, with its own directory. */
export interface RedisServerProcess {
  readonly port: number;
  readonly url: string;
  /** Stop it (SIGKILL: no save, no goodbye — what an outage looks like to clients). */
  kill(): Promise<void>;
  /** Start it again on the same port and directory. */
  restart(): Promise<void>;
  /** Send a signal, e.g. SIGSTOP/SIGCONT to make it hang without closing its connections. */
  signal(sig: NodeJS.Signals): void;
  /** Stop it and remove its directory. */
  destroy(): Promise<void>;
}

const canListen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

/** A free loopback port whose cluster bus port (+10000) is free too. */
export const freePort = async (taken: ReadonlySet<number> = new Set()): Promise<number> => {
  for (let i = 0; i < 200; i++) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    if (!taken.has(port) && (await canListen(port)) && (await canListen(port + 10_000))) return port;
  }
  throw new Error('no free loopback port found');
};

const redisCli = (port: number, ...args: string[]) =>
  run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { timeout: 10_000 });

const waitFor = async (what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
};

const exited = (p: ChildProcess): Promise<void> =>
  p.exitCode !== null || p.signalCode !== null ? Promise.resolve() : new Promise((r) => p.once('exit', () => r()));

/** Start `redis-server` on a free loopback port; `extra` adds flags (e.g. cluster mode). */
export const startRedisServer = async (extra: readonly string[] = [], taken?: ReadonlySet<number>): Promise<RedisServerProcess> => {
  const port = await freePort(taken);
  const dir = await mkdtemp(join(tmpdir(), `fg-redis-${port}-`));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'no',
    ...extra,
  ];
  let proc: ChildProcess | null = null;
  const start = async () => {
    const p = spawn('redis-server', args, { stdio: 'ignore' });
    proc = p;
    await waitFor(`redis-server on port ${port}`, async () => {
      if (p.exitCode !== null) throw new Error(`redis-server on port ${port} exited with ${p.exitCode}`);
      return (await redisCli(port, 'PING')).stdout.trim() === 'PONG';
    });
  };
  const kill = async () => {
    const p = proc;
    proc = null;
    if (!p) return;
    p.kill('SIGKILL');
    await exited(p);
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill,
    restart: start,
    signal: (sig) => void proc?.kill(sig),
    async destroy() {
      proc?.kill('SIGCONT');
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
};

export interface RedisClusterProcess {
  /** `host:port` of every master, for REDIS_CLUSTER_NODES. */
  readonly nodes: string[];
  readonly servers: readonly RedisServerProcess[];
  destroy(): Promise<void>;
}

/** A cluster of `masters` redis-server processes (no replicas), ready when every node reports cluster_state:ok. */
export const startRedisCluster = async (masters = 3): Promise<RedisClusterProcess> => {
  const servers: RedisServerProcess[] = [];
  const destroy = async () => {
    await Promise.all(servers.map((s) => s.destroy()));
  };
  try {
    const taken = new Set<number>();
    for (let i = 0; i < masters; i++) {
      const s = await startRedisServer(
        ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '5000'],
        taken,
      );
      taken.add(s.port);
      servers.push(s);
    }
    const nodes = servers.map((s) => `127.0.0.1:${s.port}`);
    await run('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes'], { timeout: 30_000 });
    await waitFor('cluster_state:ok on every node', async () => {
      const infos = await Promise.all(servers.map((s) => redisCli(s.port, 'CLUSTER', 'INFO')));
      return infos.every((r) => r.stdout.includes('cluster_state:ok'));
    });
    return { nodes, servers, destroy };
  } catch (err) {
    await destroy();
    throw err;
  }
};
