import type { Command } from 'commander';
import { generateDemoData, DEMO_CUSTOMER_IDS, DEMO_DRIVER_IDS } from '../../../schema/demo-data.js';
import { writeDemoDriverParquet } from '../../../schema/demo-parquet.js';
import { applyRepository, formatApply } from '../../registry/index.js';
import { pushTableName } from '../../definitions/resolve.js';
import { materializeViews } from '../../materialize/index.js';
import { exampleQuery } from '../../server/example-query.js';
import { configFrom } from '../context.js';
import { openFeatureStore } from '../../feature-store.js';
import { assertPortFree, wholeNumber } from '../port-check.js';
import { fmtInt } from '../progress.js';
import { serveStore } from './serve.js';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTrustedDocuments } from '../../server/trusted-documents.js';
import { demoQuoteBacklog, startQuoteStream } from '../../../schema/demo-quotes.js';
import { pushRows } from '../../online/push.js';

/**
 * `featuregraph demo` (what `npm start` runs): demo data relative to now, apply, materialize, serve.
 * Each step reuses what exists: data only gains the hours since the last run, apply is a no-op when
 * nothing changed, materialization is idempotent.
 */
export const registerDemo = (program: Command) =>
  program
    .command('demo')
    .description('Generate the demo data, apply, materialize and serve (what `npm start` runs)')
    .option('-p, --port <port>', 'port (default: PORT or 4000)', wholeNumber('--port', 0, 65535))
    .option('--no-serve', 'prepare everything, then exit')
    .option('--quote-stream', 'push live quote requests to quote_activity every second while serving (docs/aggregations.md)')
    .option(
      '--driver-source <kind>',
      'where driver_stats reads its rows: table (Postgres/PGlite) or parquet (files under the data dir, through DuckDB)',
      'table',
    )
    .action(async (opts: { port?: number; serve: boolean; driverSource: string; quoteStream?: boolean }, cmd: Command) => {
      if (opts.driverSource !== 'table' && opts.driverSource !== 'parquet')
        throw new Error(`--driver-source must be table or parquet, got "${opts.driverSource}"`);
      const config = configFrom(cmd, opts.port !== undefined ? { port: opts.port } : {});
      // Check the port before touching any data: a busy port must not cost a data rewrite first.
      if (opts.serve) await assertPortFree(config.port);
      // Read by schema/index.ts when the definitions load (they are evaluated once, on open).
      if (opts.driverSource === 'parquet')
        Object.assign(process.env, { FEATUREGRAPH_DEMO_DRIVER_SOURCE: 'parquet', FEATUREGRAPH_DATA_DIR: config.dataDir });
      const fs = await openFeatureStore(config);
      try {
        const now = new Date();
        console.log(`featuregraph demo: ${fs.sql.description}`);
        // location_risk's rows go to this project's push table (FEATUREGRAPH_PROJECT / --project), not the default's.
        const data = await generateDemoData(fs.sql, {
          now,
          pushTable: pushTableName(fs.project, 'location_risk'),
          onProgress: (m) => console.log(`  data  ${m}`),
        });
        const total = Object.values(data.inserted).reduce((a, b) => a + b, 0);
        console.log(`  data  ${fmtInt(total)} new rows`);
        if (opts.driverSource === 'parquet') {
          const dir = join(fs.config.dataDir, 'parquet', 'driver_hourly_stats');
          console.log(
            `  data  ${fmtInt(await writeDemoDriverParquet(fs.sql, dir))} driver rows as Parquet in ${dir}/date=…/ (read with DuckDB)`,
          );
        }
        const applied = await applyRepository(fs.sql, fs.definitions, {
          project: fs.project,
          createSourceIndexes: true,
          onlineTables: fs.online.kind === 'sql',
        });
        console.log(
          formatApply(applied)
            .split('\n')
            .filter((l) => l.trim())
            .map((l) => `  apply ${l}`)
            .join('\n'),
        );
        // The last day of quote requests (raw events of quote_activity); replays of an earlier run count once.
        const quotes = fs.repo.aggregationViews.find((a) => a.name === 'quote_activity');
        const pushQuotes = (rows: readonly unknown[]) =>
          quotes
            ? pushRows({ offline: fs.offline, online: fs.online, project: fs.project }, quotes.events, rows, 'ONLINE_AND_OFFLINE', {
                aggregation: quotes,
              })
            : Promise.resolve(null);
        if (quotes) {
          await fs.online.prepare([], [quotes]);
          const backlog = demoQuoteBacklog(now);
          const pushed = await pushQuotes(backlog);
          console.log(`  data  ${fmtInt(pushed?.offlineWritten ?? 0)} new quote requests of ${fmtInt(backlog.length)} in the last day`);
        }
        // Everything up to now: monthly rows are older than a week but still inside their 62-day ttl.
        await materializeViews(fs, {
          start: new Date(0),
          end: now,
          onProgress: (p) =>
            p.done &&
            console.log(
              // An aggregation view rebuilds its tiles from its raw events: those the push above counted are not new.
              fs.repo.aggregationViews.some((a) => a.name === p.view)
                ? `  materialize ${p.view}: ${fmtInt(p.rows)} events checked, ${fmtInt(p.written)} not yet in the online tiles, in ${p.elapsedMs} ms`
                : `  materialize ${p.view}: ${fmtInt(p.written)} keys written of ${fmtInt(p.rows)} in ${p.elapsedMs} ms`,
            ),
        });
        if (!opts.serve) return await fs.close();
        const query = exampleQuery(fs.repo, String(DEMO_DRIVER_IDS[0] ?? 1001));
        // The demo listens on loopback only, and knows the typed client's persisted ids (other documents run too).
        // From src/cli/commands (tsx) or dist/src/cli/commands (the compiled package).
        const here = dirname(fileURLToPath(import.meta.url));
        const manifest =
          [
            join(here, '../../../schema/client/persisted-documents.json'),
            join(here, '../../../../schema/client/persisted-documents.json'),
          ].find(existsSync) ?? '';
        const running = await serveStore(fs, {
          exampleQuery: query,
          exampleKeys: { driver: String(DEMO_DRIVER_IDS[0] ?? 1001), customer: DEMO_CUSTOMER_IDS[0] ?? 'C1001' },
          // For this machine only: open (no API keys) and bound to loopback.
          open: true,
          host: '127.0.0.1',
          ...(existsSync(manifest) ? { trustedDocuments: { documents: readTrustedDocuments(manifest), only: false } } : {}),
        });
        if (opts.quoteStream && quotes) {
          startQuoteStream((events) => pushQuotes(events));
          console.log('  quote stream: pushing live quote requests to quote_activity every second (customers C1001–C1010)');
        }
        console.log(`\nCatalog: ${running.url.replace(/\/graphql$/, '/catalog/')}\nOpen ${running.url} and run:\n\n${query}`);
        console.log(
          `or: curl -s ${running.url} -H 'content-type: application/json' -d '{"query":"{ driver(driverId: \\"1001\\") { driverStats { convRate accRate avgDailyTrips eventTimestamp } } }"}'`,
        );
      } catch (err) {
        await fs.close();
        throw err;
      }
    });
