import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.js';
import { listen, type RunningServer } from '../../src/server/serve.js';
import { openStores, type Stores } from './pipeline-fixture.js';

// The document from the report: 10,000 aliases, about 560 KB.
const ALIAS_BOMB = (salt: number) =>
  `{ ${Array.from({ length: 10_000 }, (_, i) => `a${i}: driver(driverId:"${1001 + salt}"){driverStats{convRate}}`).join(' ')} }`;

const readValue = async (base: string, id: string) => {
  const res = await fetch(base, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: `{ driver(driverId: "${id}") { driverStats { convRate avgDailyTrips } } }` }),
  });
  return ((await res.json()) as { data: { driver: { driverStats: unknown } } }).data.driver.driverStats;
};

describe('hostile requests', () => {
  let stores: Stores;
  let server: RunningServer;
  const logged: { id: string; text: string }[] = [];
  const base = () => server.url;
  const root = () => server.url.replace('/graphql', '');

  beforeAll(async () => {
    stores = await openStores('none');
    server = await listen(
      createApp(stores.rt, { logging: (id, e) => logged.push({ id, text: e instanceof Error ? `${e.stack}` : String(e) }) }),
      0,
      '127.0.0.1',
    );
  });
  afterAll(async () => {
    await server?.close();
    await stores?.close();
  });

  it('refuses 40 distinct 10,000-alias documents with 400s while /health keeps answering, and server memory stays put', async () => {
    // The server in its own process, so its memory and latency are its own (not this test's client's).
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', fileURLToPath(new URL('./hostile-server.ts', import.meta.url))],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const { port, pid } = await new Promise<{ port: number; pid: number }>((resolve, reject) => {
        child.stdout.once('data', (d: Buffer) => resolve(JSON.parse(d.toString()) as { port: number; pid: number }));
        child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
      });
      const url = `http://127.0.0.1:${port}/graphql`;
      // The server's resident memory after a full collection (see hostile-server.ts).
      const rss = () =>
        new Promise<number>((resolve) => {
          child.stdout.once('data', (d: Buffer) => resolve((JSON.parse(d.toString()) as { rss: number }).rss));
          process.kill(pid, 'SIGUSR2');
        });
      const post = (body: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      // Distinct documents (none answerable from a cache), built before any timing.
      const bodies = Array.from({ length: 51 }, (_, i) => JSON.stringify({ query: ALIAS_BOMB(i) }));
      expect(bodies[0]!.length).toBeGreaterThan(550_000);
      // Warm up with ten of them, five at a time, as measured below: the allocator's arenas for request bodies
      // are then in place, and what follows measures growth, i.e. what these requests leave behind.
      for (const round of [41, 46]) await Promise.all(bodies.slice(round, round + 5).map(async (b) => (await post(b)).text()));
      const rssBefore = await rss();
      const times: number[] = [];
      const health: number[] = [];
      let running = true;
      const pinger = (async () => {
        while (running) {
          const t = performance.now();
          const res = await fetch(`http://127.0.0.1:${port}/health`);
          await res.text();
          expect(res.status).toBe(200);
          health.push(performance.now() - t);
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      for (let round = 0; round < 8; round++) {
        await Promise.all(
          bodies.slice(1 + round * 5, 6 + round * 5).map(async (body) => {
            const t = performance.now();
            const res = await post(body);
            const json = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
            times.push(performance.now() - t);
            expect(res.status).toBe(400);
            expect(json.errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
            expect(json.errors[0]!.message).toMatch(/Token limit of 2000 exceeded/);
          }),
        );
      }
      running = false;
      await pinger;
      const rssAfter = await rss();
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      console.log(
        `10,000-alias document: median ${median(times).toFixed(1)} ms (5 at a time), /health median ${median(health).toFixed(1)} ms, server RSS +${((rssAfter - rssBefore) / 2 ** 20).toFixed(1)} MiB`,
      );
      // Latency is the benchmark's to measure on a quiet machine (bench:online prints alias_bomb_ms, under
      // 50 ms); here, on a shared machine, the bounds are generous: nothing blocks for the seconds it used to.
      expect(median(times)).toBeLessThan(1000);
      expect(health.length).toBeGreaterThan(3);
      expect(Math.max(...health)).toBeLessThan(2000);
      expect(rssAfter - rssBefore).toBeLessThan(20 * 2 ** 20);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('aliases of __typename count toward the alias limit (30) like any other', async () => {
    const doc = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `t${i}: __typename`).join(' ')} }`;
    const send = (query: string) =>
      fetch(base(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    const over = await send(doc(31));
    const body = (await over.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(over.status).toBe(400);
    expect(body.errors[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0]?.message).toMatch(/aliases/i);
    const within = await send(doc(30));
    expect(within.status).toBe(200);
    expect(((await within.json()) as { data: Record<string, string> }).data.t29).toBe('Query');
  });

  it('a form-urlencoded or text/plain push mutation is refused and writes nothing', async () => {
    const before = await readValue(base(), '5');
    const mutation = `mutation { pushDriverStats(rows: [{ driverId: "5", eventTimestamp: "${new Date().toISOString()}", convRate: 0.99, avgDailyTrips: 9999 }], to: ONLINE) { rows } }`;
    const form = new URLSearchParams({ query: mutation }).toString();
    for (const [type, body] of [
      ['application/x-www-form-urlencoded', form],
      ['text/plain', JSON.stringify({ query: mutation })],
      [
        'multipart/form-data; boundary=x',
        `--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: mutation })}\r\n--x--\r\n`,
      ],
    ] as const) {
      const res = await fetch(base(), { method: 'POST', headers: { 'content-type': type, origin: 'https://evil.example' }, body });
      expect([type, res.status]).toEqual([type, 403]);
    }
    // Paths Yoga would also take as its endpoint: refused before any policy or parse, so none is a way around one.
    const port = Number(new URL(base()).port);
    // An absolute-form target (what only proxies are sent) is not a path at all: a 400, before any URL is built.
    for (const [path, expected] of [
      ['/graphql/', 404],
      ['//graphql', 404],
      ['/x/graphql', 404],
      ['/?a=/graphql', 404],
      [`http://127.0.0.1:${port}//graphql`, 400],
    ] as const) {
      const got = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(
          { port, host: '127.0.0.1', method: 'POST', path, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
          (res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        req.end(form);
      });
      expect([path, got.status]).toEqual([path, expected]);
      expect(got.body).not.toMatch(/\bat \S+ \(|node_modules|\.js\b|TypeError/);
    }
    const json = await fetch(`${root()}/graphql/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(json.status).toBe(404);
    const id = json.headers.get('x-request-id');
    expect(id).toMatch(/^[\w-]{8,}$/);
    expect(await json.json()).toEqual({
      errors: [{ message: 'not found: GraphQL is served at /graphql exactly', extensions: { code: 'NOT_FOUND', requestId: id } }],
    });
    const push = await fetch(`${root()}/push/driver_stats?to=ONLINE`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify([{ driver_id: 5, event_timestamp: new Date().toISOString(), conv_rate: 0.99, avg_daily_trips: 9999 }]),
    });
    expect(push.status).toBe(403);
    expect(await readValue(base(), '5')).toEqual(before);
    // The same push as JSON is accepted: the refusal was the content type, not the push.
    const ok = await fetch(`${root()}/push/driver_stats?to=ONLINE`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ driver_id: 5, event_timestamp: new Date().toISOString(), conv_rate: 0.5, avg_daily_trips: 7777 }]),
    });
    expect(ok.status).toBe(200);
    expect(await readValue(base(), '5')).toEqual({ convRate: 0.5, avgDailyTrips: 7777 });
  });

  it('a chunked body (no Content-Length) is read up to the 1 MiB limit: 413 above it, answered below it', async () => {
    const chunked = (text: string) => {
      const bytes = new TextEncoder().encode(text);
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          for (let i = 0; i < bytes.length; i += 64 * 1024) c.enqueue(bytes.subarray(i, i + 64 * 1024));
          c.close();
        },
      });
      return fetch(base(), { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
    };
    const big = await chunked(JSON.stringify({ query: '{ featureViews { name } }', extensions: { pad: 'x'.repeat(1100 * 1024) } }));
    expect(big.status).toBe(413);
    const small = await chunked(JSON.stringify({ query: '{ featureViews { name } }' }));
    expect(small.status).toBe(200);
    expect(((await small.json()) as { data: { featureViews: unknown[] } }).data.featureViews).toHaveLength(3);
  });

  it('a chunked body over the limit that never ends gets its 413 and its connection closed (no request is left running)', async () => {
    const port = Number(new URL(base()).port);
    for (const [path, over] of [
      ['/graphql', 1024 * 1024],
      ['/push/driver_stats', 10 * 1024 * 1024],
    ] as const) {
      const seen = await new Promise<{ status: number; connection: string | undefined; closedMs: number }>((resolve, reject) => {
        const req = request({ port, host: '127.0.0.1', method: 'POST', path, headers: { 'content-type': 'application/json' } });
        const chunk = Buffer.alloc(64 * 1024, 32);
        let sent = 0;
        // Past the limit, then nothing more and no end: the client never finishes its body.
        const pump = () => {
          while (sent <= over + chunk.length) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once('drain', pump);
          }
        };
        req.on('response', (res) => {
          const at = performance.now();
          res.resume();
          req.socket?.once('close', () =>
            resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, closedMs: performance.now() - at }),
          );
        });
        req.on('error', () => undefined);
        setTimeout(() => reject(new Error(`${path}: the server kept the connection open`)), 10_000).unref();
        pump();
      });
      expect(seen).toMatchObject({ status: 413, connection: 'close' });
      expect(seen.closedMs).toBeLessThan(5000);
    }
    expect((await fetch(`${root()}/health`)).status).toBe(200);
  });

  it('malformed input is the caller’s 400, never a 500 or a store error, and no response quotes the body back', async () => {
    const post = (body: string) => fetch(base(), { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const errorsOf = async (res: Response) => ({
      status: res.status,
      errors: ((await res.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] }).errors,
    });
    const badJson = await errorsOf(await post(`{"a":<script>${'x'.repeat(5000)}`));
    expect(badJson.status).toBe(400);
    expect(badJson.errors).toEqual([
      { message: 'POST body sent invalid JSON.', extensions: { code: 'BAD_REQUEST', requestId: expect.any(String) } },
    ]);
    for (const name of ['variables', 'extensions']) {
      const res = await errorsOf(await fetch(`${base()}?query=${encodeURIComponent('{ __typename }')}&${name}=notjson`));
      expect(res).toEqual({
        status: 400,
        errors: [
          {
            message: `the ${name} query parameter is not valid JSON`,
            extensions: { code: 'BAD_USER_INPUT', requestId: expect.any(String) },
          },
        ],
      });
    }
    const year0 = await errorsOf(
      await post(JSON.stringify({ query: '{ driver(driverId: "5", asOf: "0000-01-01T00:00:00Z") { driverStats { convRate } } }' })),
    );
    expect(year0.status).toBe(400);
    expect(year0.errors[0]).toMatchObject({
      message: 'DateTime "0000-01-01T00:00:00Z" is outside years 0001–9999',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const asVariable = await errorsOf(
      await post(
        JSON.stringify({
          query: 'query($t: DateTime!) { driver(driverId: "5", asOf: $t) { driverStats { convRate } } }',
          variables: { t: '0000-06-01T00:00:00Z' },
        }),
      ),
    );
    expect(asVariable.errors[0]?.message).toMatch(/outside years 0001–9999/);
  });

  it('the JSON media type matches in any case; a body declared in another charset is a 415 naming it', async () => {
    const query = JSON.stringify({ query: '{ driver(driverId: "1001") { driverId } }' });
    for (const type of ['APPLICATION/JSON', 'Application/Json; charset=UTF-8', 'application/json; charset="utf-8"']) {
      const res = await fetch(base(), { method: 'POST', headers: { 'content-type': type }, body: query });
      expect(res.status, type).toBe(200);
      expect(await res.json()).toEqual({ data: { driver: { driverId: '1001' } } });
    }
    // Not JSON, in any casing: the caller's 400, as for the lower-case type, not a 500.
    for (const type of ['application/json', 'APPLICATION/JSON']) {
      const bad = await fetch(base(), { method: 'POST', headers: { 'content-type': type }, body: '{not json' });
      expect(bad.status, type).toBe(400);
      expect(JSON.stringify(await bad.json())).not.toContain('not json');
    }
    for (const type of ['application/json; charset=utf-16', 'APPLICATION/JSON; charset=iso-8859-1']) {
      const res = await fetch(base(), { method: 'POST', headers: { 'content-type': type }, body: query });
      expect(res.status, type).toBe(415);
      const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors[0]).toMatchObject({
        message: expect.stringMatching(/must be JSON in UTF-8; charset (utf-16|iso-8859-1) is not read/),
      });
      expect(body.errors[0]!.extensions.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('what Node refuses before any handler (a 20 KB URL, a broken request line) is answered in JSON with a request id', async () => {
    const raw = (text: string) =>
      new Promise<string>((resolve, reject) => {
        const u = new URL(base());
        const socket = connect(Number(u.port), '127.0.0.1', () => socket.end(text));
        let got = '';
        socket.on('data', (c: Buffer) => (got += c.toString()));
        socket.on('end', () => resolve(got));
        socket.on('error', reject);
      });
    const long = await raw(`GET /graphql?query=${'x'.repeat(20_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
    expect(long).toMatch(/^HTTP\/1\.1 431 /);
    expect(long).toMatch(/x-request-id: [0-9a-f-]{36}/);
    expect(JSON.parse(long.slice(long.indexOf('\r\n\r\n') + 4))).toMatchObject({
      code: 'BAD_REQUEST',
      error: expect.stringContaining('16 KiB'),
    });
    const broken = await raw('NOT HTTP AT ALL\r\n\r\n');
    expect(broken).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(broken.slice(broken.indexOf('\r\n\r\n') + 4))).toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('a malformed /push URL is a 400 without stack or paths, and carries a request id', async () => {
    const res = await fetch(`${root()}/push/%E0%A4%A`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' });
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(text).toContain('percent-encoding');
    expect(text).not.toMatch(/at |\.ts|\/work\//);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a caller-supplied request id is kept when plain, replaced when not', async () => {
    const plain = await fetch(`${root()}/ready`, { headers: { 'x-request-id': 'lb-1234.abc' } });
    expect(plain.headers.get('x-request-id')).toBe('lb-1234.abc');
    const odd = await fetch(`${root()}/ready`, { headers: { 'x-request-id': 'a b<script>' } });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('only /ready itself is the readiness check: a URL that merely ends in /ready is not', async () => {
    expect((await fetch(`${root()}/ready`)).status).toBe(200);
    // Yoga's own check would answer both of these 200 (its URL test is "ends with /ready").
    expect((await fetch(`${root()}/not/ready`)).status).toBe(404);
    const query = encodeURIComponent('{ __typename }');
    const res = await fetch(`${base()}?query=${query}&x=/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { __typename: 'Query' } });
  });
});
