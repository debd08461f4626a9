/** Closed-loop load with wrk (Debian package `wrk`): POST bodies cycled by a generated Lua script. */
import { spawnSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';

export interface WrkResult {
  readonly requests: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
}

/** Fails with a clear message when wrk is missing: the benchmark installs nothing by itself. */
export const assertWrk = () => {
  const r = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  if (r.error) throw new Error('bench:online needs wrk on the PATH (Debian: apt-get install -y wrk)');
};

const luaString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** A wrk script that POSTs `bodies` round-robin as JSON, with `headers`. */
export const writeWrkScript = (file: string, path: string, bodies: readonly string[], headers: Readonly<Record<string, string>> = {}) => {
  writeFileSync(
    file,
    [
      'wrk.method = "POST"',
      'wrk.headers["Content-Type"] = "application/json"',
      ...Object.entries(headers).map(([k, v]) => `wrk.headers[${luaString(k)}] = ${luaString(v)}`),
      `local bodies = { ${bodies.map(luaString).join(',\n')} }`,
      'local i = 0',
      'request = function()',
      '  i = i + 1',
      '  if i > #bodies then i = 1 end',
      `  return wrk.format(nil, ${luaString(path)}, nil, bodies[i])`,
      'end',
      '',
    ].join('\n'),
  );
};

const toMs = (v: string, unit: string): number => Number(v) * ({ us: 0.001, ms: 1, s: 1000 }[unit] ?? NaN);

export const parseWrk = (out: string): WrkResult => {
  const pct = (p: string) => {
    const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(out);
    return m ? toMs(m[1]!, m[2]!) : NaN;
  };
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const sockErrors = sock ? sock.slice(1).reduce((n, x) => n + Number(x), 0) : 0;
  return {
    requests,
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN),
    p50Ms: pct('50'),
    p99Ms: pct('99'),
    errors: non2xx + sockErrors,
  };
};

export const runWrk = (url: string, script: string, opts: { seconds: number; connections: number; threads?: number }): Promise<WrkResult> =>
  new Promise((resolve, reject) => {
    const args = [
      '-t',
      String(opts.threads ?? 1),
      '-c',
      String(opts.connections),
      '-d',
      `${opts.seconds}s`,
      '--latency',
      '-s',
      script,
      url,
    ];
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(parseWrk(out)) : reject(new Error(`wrk exited with ${code}: ${out}`))));
  });
