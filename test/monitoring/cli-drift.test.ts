import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const run = (args: string[], dataDir: string) => runCli(args, dataDir, { PORT: '0', LOG_LEVEL: 'info' });

const waitFor = async (pred: () => boolean, ms: number, what: string, output: () => string) => {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; output:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('serve logs pricing_v1, then drift and historical --from-log read the log (embedded demo)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fg-drift-'));
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs served requests, exposes /metrics, and drift / historical --from-log use the log', async () => {
    expect(await run(['demo', '--no-serve'], dataDir).exited).toBe(0);
    // Before anything was served there is no log to train from: said so, not Postgres' missing relation.
    const early = run(['historical', '--from-log', 'pricing_v1', '--start', 'now-1h', '--out', join(dataDir, 'early.csv')], dataDir);
    expect(await early.exited).toBe(1);
    expect(early.output()).toMatch(/pricing_v1 has no served-feature log yet/);
    const server = run(['serve', '--allow-anonymous'], dataDir);
    children.push(server.child);
    await waitFor(() => /serving project "demo" at (\S+)/.test(server.output()), 60_000, 'the server', server.output);
    const url = /at (http:\/\/\S+\/graphql)/.exec(server.output())![1]!;
    const ids = Array.from({ length: 50 }, (_, i) => `C${1001 + i}`);
    for (let i = 0; i < 4; i++) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': `cli-${i}` },
        body: JSON.stringify({
          query:
            'query Price($ids: [ID!]!) { pricingV1s(customerIds: $ids, userLat: 52.5, userLon: 13.4) { creditScore { score } accidentHistory { accidents12m } accidentProximity { distanceKm } } }',
          variables: { ids },
          operationName: 'Price',
        }),
      });
      expect(res.status).toBe(200);
    }
    const metrics = await (await fetch(url.replace(/\/graphql$/, '/metrics'))).text();
    expect(metrics).toMatch(/featuregraph_requests_total\{operation="Price",outcome="ok"\} 4/);
    server.child.kill('SIGTERM'); // writes what the log buffered, then exits
    expect(await server.exited).toBe(0);

    const same = run(
      ['drift', '--service', 'pricing_v1', '--reference', 'now-1h..now', '--current', 'now-1h..now', '--format', 'json'],
      dataDir,
    );
    expect(await same.exited, same.output()).toBe(0);
    const report = JSON.parse(same.output().trim().split('\n').pop()!) as {
      drifted: boolean;
      features: { feature: string; psi: number | null; referenceCount: number }[];
    };
    expect(report.drifted).toBe(false);
    expect(report.features.find((f) => f.feature === 'score')).toMatchObject({ psi: 0, referenceCount: 200 });

    const table = run(['drift', '--service', 'pricing_v1', '--reference', 'now-1h..now', '--current', 'now-1h..now'], dataDir);
    expect(await table.exited).toBe(0);
    expect(table.output()).toMatch(/credit_score:score\s+0\.0000/);
    // 200 rows a side: with a minimum above that, nothing is judged (and the table says why).
    const few = run(
      ['drift', '--service', 'pricing_v1', '--reference', 'now-1h..now', '--current', 'now-1h..now', '--min-rows', '500'],
      dataDir,
    );
    expect(await few.exited).toBe(0);
    expect(few.output()).toMatch(/credit_score:score\s+0\.0000.*too few rows \(< 500\)/);
    expect(few.output()).toMatch(/not judged, too few rows on a side: .*credit_score:score/);
    const badMin = run(
      ['drift', '--service', 'pricing_v1', '--reference', 'now-1h..now', '--current', 'now-1h..now', '--min-rows', '0'],
      dataDir,
    );
    expect(await badMin.exited).toBe(2);
    expect(badMin.output()).toMatch(/--min-rows must be a whole number of at least 1, got 0/);
    const bad = run(['drift', '--service', 'pricing_v1', '--reference', 'now-1h..now', '--current', 'yesterday'], dataDir);
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toMatch(/current "yesterday" is not a time window/);
    // Exit codes: 1 is "drifted" only. A usage error and a window beyond any date are bad input (2).
    const usage = run(['drift', '--service', 'pricing_v1', '--reference', 'now-1h..now'], dataDir);
    expect(await usage.exited).toBe(2);
    const huge = run(['drift', '--service', 'pricing_v1', '--reference', 'now-99999999999d..now', '--current', 'now-1h..now'], dataDir);
    expect(await huge.exited).toBe(2);
    expect(huge.output()).toMatch(/"now-99999999999d" is not now, now-<duration> or an ISO timestamp/);

    const out = join(dataDir, 'train.csv');
    const hist = run(['historical', '--from-log', 'pricing_v1', '--start', 'now-1h', '--out', out, '--no-progress'], dataDir);
    expect(await hist.exited, hist.output()).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1 + 200);
    expect(lines[0]).toContain('customer_id');
    expect(lines[0]).toContain('credit_score__score');
    expect(lines[0]).toContain('request_id');

    // The training set as the reference: its features against what was served.
    const vsTraining = run(
      ['drift', '--service', 'pricing_v1', '--reference', out, '--current', 'now-1h..now', '--format', 'json'],
      dataDir,
    );
    const code = await vsTraining.exited;
    const r2 = JSON.parse(vsTraining.output().trim().split('\n').pop()!) as {
      reference: string;
      features: { feature: string; psi: number | null; referenceCount: number }[];
    };
    expect(r2.reference).toBe(out);
    expect(r2.features.find((f) => f.feature === 'score')!.referenceCount).toBe(200);
    // Served score and trained score come from the same rows: no drift there.
    expect(r2.features.find((f) => f.feature === 'score')!.psi).toBeCloseTo(0, 9);
    expect([0, 1]).toContain(code);
    // A reference file whose name holds `..` is a file, not a window; a file that is not CSV is bad input.
    const dotted = join(dataDir, 'train..v2.csv');
    writeFileSync(dotted, readFileSync(out));
    const viaDots = run(
      ['drift', '--service', 'pricing_v1', '--reference', dotted, '--current', 'now-1h..now', '--format', 'json'],
      dataDir,
    );
    expect([0, 1], viaDots.output()).toContain(await viaDots.exited);
    expect(JSON.parse(viaDots.output().trim().split('\n').pop()!).reference).toBe(dotted);
    const notCsv = join(dataDir, 'not.csv');
    writeFileSync(notCsv, 'a,b\n1,2,3\n');
    const badFile = run(['drift', '--service', 'pricing_v1', '--reference', notCsv, '--current', 'now-1h..now'], dataDir);
    expect(await badFile.exited).toBe(2);
    expect(badFile.output()).toMatch(/is not a training set CSV file/);
  }, 240_000);
});
