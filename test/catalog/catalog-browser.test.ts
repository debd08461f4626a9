import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { extendSchema, parse, type GraphQLSchema } from 'graphql';
import demoRepository from '../../schema/index.js';
import { resolveRepository } from '../../src/definitions/resolve.js';
// The schema from the definitions alone (without the served-feature-log drift field, whose shape differs).
import { buildSchema } from '../../src/graphql/build/index.js';
import { startDemoServer } from '../support/demo-server.js';
import { CHROMIUM_PATH, describeWith } from '../support/services.js';

/**
 * The demo schema plus a `featureDrift` field in the shape docs/catalog.md describes (the drift API itself is
 * not built yet): the catalog must find it by introspection and draw its histograms.
 */
const withDrift = (): GraphQLSchema => {
  const schema = extendSchema(
    buildSchema(resolveRepository(demoRepository, 'demo')),
    parse(`type Histogram { edges: [Float!]! counts: [Float!]! }
       type FeatureDrift { view: String! feature: String! psi: Float! reference: Histogram! current: Histogram! }
       extend type Query { featureDrift(view: String!, feature: String!): FeatureDrift }`),
  );
  // extendSchema keeps the built fields' resolvers; only the added field needs one.
  const drift = schema.getQueryType()?.getFields().featureDrift;
  if (!drift) throw new Error('featureDrift was not added');
  drift.resolve = (_: unknown, a: { view: string; feature: string }) => ({
    ...a,
    psi: 0.2718,
    reference: { edges: [0, 0.1, 0.2, 0.3, 0.4].map(Math.fround), counts: [10, 30, 40, 15, 5] },
    current: { edges: [0, 0.1, 0.2, 0.3, 0.4].map(Math.fround), counts: [5, 15, 35, 30, 15] },
  });
  return schema;
};

/**
 * The catalog and GraphiQL in a real browser: Debian's chromium driven by puppeteer-core against the real
 * gateway (the demo repository on embedded PGlite). Screenshots are checked for content (DOM text, elements),
 * not pixels; they are kept in CATALOG_SCREENSHOTS (default: a temporary directory, printed).
 */
const CHROMIUM = CHROMIUM_PATH;

describeWith('chromium', 'the catalog in chromium', () => {
  let demo: Awaited<ReturnType<typeof startDemoServer>>;
  let browser: Browser;
  let page: Page;
  let profile: string;
  let shots: string;
  let origin: string;

  const shot = async (name: string) => {
    const path = join(shots, name);
    await page.screenshot({ path, fullPage: true });
    return path;
  };
  const text = (selector: string) => page.$eval(selector, (el) => (el as HTMLElement).innerText);

  beforeAll(async () => {
    demo = await startDemoServer({ app: { schema: withDrift(), exampleKeys: { driver: '1001', customer: 'C1001' } } });
    origin = new URL(demo.server.url).origin;
    profile = await mkdtemp(join(tmpdir(), 'fg-chromium-'));
    shots = process.env.CATALOG_SCREENSHOTS ?? (await mkdtemp(join(tmpdir(), 'fg-catalog-shots-')));
    console.log(`catalog screenshots: ${shots}`);
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${profile}`,
      ],
    });
    await browser.defaultBrowserContext().overridePermissions(origin, ['clipboard-read', 'clipboard-write', 'clipboard-sanitized-write']);
    page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 860 });
    // Offline: any request leaving the gateway's origin fails the test.
    await page.setRequestInterception(true);
    const foreign: string[] = [];
    page.on('request', (r) => {
      if (r.url().startsWith(origin) || r.url().startsWith('data:') || r.url().startsWith('blob:')) return void r.continue();
      foreign.push(r.url());
      void r.abort();
    });
    (globalThis as { foreignRequests?: string[] }).foreignRequests = foreign;
    // What the page itself reports goes to the test log, so a failure here says why.
    page.on('pageerror', (e) => console.error(`page error: ${String(e).slice(0, 500)}`));
    page.on('console', (m) => {
      if (m.type() === 'error') console.error(`page console: ${m.text().slice(0, 500)}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it('lists the registry on the home page', async () => {
    const res = await page.goto(`${origin}/catalog`, { waitUntil: 'networkidle0' });
    expect(res?.status()).toBe(200);
    expect(page.url()).toBe(`${origin}/catalog/`);
    await page.waitForSelector('body.ready');
    const sidebar = await text('#sidebar');
    for (const name of ['driver', 'customer', 'driver_stats', 'credit_score', 'location_risk', 'accident_proximity', 'pricing_v1'])
      expect(sidebar).toContain(name);
    expect(await text('#detail')).toMatch(/3 entities, 5 feature views, 1 on-demand views, 1 feature services/);
    await shot('01-home.png');
  });

  it('searches features', async () => {
    await page.type('#search', 'accident');
    await page.waitForSelector('#result-count');
    const detail = await text('#detail');
    expect(detail).toContain('accidents_12m');
    expect(detail).toContain('distance_km');
    expect(detail).not.toContain('conv_rate');
    // The sidebar narrows to the matching objects.
    const sidebar = await text('#sidebar');
    expect(sidebar).toContain('accident_history');
    expect(sidebar).not.toContain('driver_stats');
    await shot('02-search-accident.png');
  });

  it('opens a feature view with its features, ttl, freshness and history', async () => {
    await page.$eval('#search', (el) => ((el as HTMLInputElement).value = ''));
    await page.goto(`${origin}/catalog/#view/driver_stats`, { waitUntil: 'networkidle0' });
    await page.waitForSelector('table.features');
    const detail = await text('#detail');
    expect(detail).toContain('driver_stats');
    expect(detail).toMatch(/ttl\s+2d/);
    expect(detail).toMatch(/owner\s+\S+@/);
    expect(detail).toMatch(/conv_rate\s+convRate\s+Float32/);
    expect(detail).toMatch(/avg_daily_trips\s+avgDailyTrips\s+Int32/);
    expect(detail).toMatch(/Freshness[\s\S]*lastMaterializedAt/);
    expect(detail).toMatch(/Registry history[\s\S]*v1/);
    await shot('03-view-driver-stats.png');
  });

  it('draws the reference and current histograms of a feature when the schema serves drift', async () => {
    expect(await page.$$eval('table.features th', (ths) => ths.map((t) => t.textContent))).toContain('drift');
    await page.click('table.features tbody tr:first-child button');
    await page.waitForSelector('.drift-panel svg.histogram');
    const panel = await text('.drift-panel');
    expect(panel).toMatch(/psi\s+0\.2718/);
    expect(await page.$$eval('.drift-panel svg .bar.reference', (b) => b.length)).toBe(5 + 1); // 5 bins + legend
    expect(await page.$$eval('.drift-panel svg .bar.current', (b) => b.length)).toBe(5 + 1);
    // Float32 bin edges print as their shortest float32 decimal (0.1, not 0.10000000149011612).
    const ticks = await page.$$eval('.drift-panel svg .tick', (t) => t.map((x) => x.textContent));
    expect(ticks).toEqual(expect.arrayContaining(['0.1', '0.2', '0.3']));
    await shot('04-view-drift-histogram.png');
  });

  it("asks featuregraph's own featureDrift per feature service (the schema every logging server has)", async () => {
    // The demo as served: featureDrift(service:, reference:, current:) over the served-feature log, which this
    // server has not written yet — the panel says so, naming the service the feature was asked through.
    const real = await startDemoServer({ app: { exampleKeys: { driver: '1001', customer: 'C1001' } } });
    const second = await browser.newPage();
    try {
      await second.goto(`${new URL(real.server.url).origin}/catalog/#view/credit_score`, { waitUntil: 'networkidle0' });
      await second.waitForSelector('body.ready');
      await second.waitForSelector('table.features tbody tr button');
      await second.click('table.features tbody tr:first-child button');
      await second.waitForSelector('.drift-panel .error');
      expect(await second.$eval('.drift-panel', (el) => el.textContent ?? '')).toContain('pricing_v1 has no served-feature log yet');
    } finally {
      await second.close();
      await real.close();
    }
  }, 120_000);

  it('draws a service lineage diagram: service → views → sources', async () => {
    await page.click('a[href="#service/pricing_v1"]');
    await page.waitForSelector('svg.lineage');
    const nodes = await page.$$eval('svg.lineage [data-node]', (els) => els.map((e) => e.getAttribute('data-node')));
    expect(nodes).toEqual(
      expect.arrayContaining(['s:pricing_v1', 'v:credit_score', 'v:accident_history', 'v:location_risk', 'v:accident_proximity']),
    );
    expect(nodes.filter((n) => n?.startsWith('src:')).length).toBeGreaterThanOrEqual(3);
    const edges = await page.$$eval('svg.lineage [data-edge]', (els) => els.map((e) => e.getAttribute('data-edge')));
    expect(edges).toContain('s:pricing_v1>v:credit_score');
    expect(edges).toContain('v:accident_proximity>v:accident_history');
    expect(edges.some((e) => e?.startsWith('v:location_risk>src:'))).toBe(true);
    // Drawn, not blank: every node has a visible box.
    const boxes = await page.$$eval('svg.lineage .node rect', (rs) => rs.map((r) => (r as SVGGraphicsElement).getBBox().width));
    expect(boxes.every((w) => w > 100)).toBe(true);
    await shot('05-service-pricing-lineage.png');
  });

  it('copies a GraphQL query for the selected features that the gateway answers', async () => {
    await page.click('#detail h3 button'); // select all features of the service
    await page.goto(`${origin}/catalog/#view/driver_stats`, { waitUntil: 'networkidle0' });
    await page.click('input[data-feature="driver_stats:conv_rate"]');
    expect(await text('#selection-count')).toMatch(/^5 features selected/);
    await page.click('#copy-query');
    await page.waitForFunction(() => document.querySelector('#copy-status')?.textContent?.includes('copied'));
    const shown = await text('#snippet');
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    expect(clip.trim()).toBe(shown.trim());
    expect(clip).toContain('customer(customerId: $customerId)');
    expect(clip).toContain('accidentProximity(userLat: $userLat, userLon: $userLon)');
    expect(clip).toContain('driver(driverId: $driverId)');
    await shot('06-copied-graphql-query.png');
    // The copied query runs as is.
    const res = await fetch(demo.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: clip, variables: { customerId: 'C1001', driverId: '1001', userLat: 52.52, userLon: 13.4 } }),
    });
    const body = (await res.json()) as {
      data?: { driver: { driverStats: { convRate: number } }; customer: { creditScore: { score: number } } };
      errors?: unknown;
    };
    expect(body.errors).toBeUndefined();
    expect(typeof body.data?.driver.driverStats.convRate).toBe('number');
    expect(typeof body.data?.customer.creditScore.score).toBe('number');
  });

  it('copies the training-set command for the selection', async () => {
    await page.click('#copy-command');
    await page.waitForFunction(() => document.querySelector('#snippet')?.textContent?.includes('historical'));
    const cmd = await page.evaluate(() => navigator.clipboard.readText());
    expect(cmd).toContain(
      'npx featuregraph historical --entities entities.csv --features credit_score:score,accident_history:accidents_12m,location_risk:risk,accident_proximity:distance_km,driver_stats:conv_rate',
    );
    expect(cmd).toContain('# entities.csv columns: customer_id,driver_id,event_timestamp,user_lat,user_lon');
    await shot('07-copied-training-command.png');
  });

  // One retry: on a loaded 2-core machine chromium occasionally never renders the 9 MB page's tabs.
  it('opens GraphiQL with the example tabs, offline', { timeout: 400_000, retry: 1 }, async () => {
    // The page carries all of GraphiQL (9 MB, 2 MB compressed): on a loaded 2-core machine it takes a while.
    await page.goto(`${origin}/graphql`, { waitUntil: 'load', timeout: 120_000 });
    await page.waitForSelector('.graphiql-tab', { timeout: 120_000 });
    // A tab's text is its operation name (plus its close button's label).
    const tabs = await page.$$eval('.graphiql-tab', (els) => els.map((e) => e.textContent ?? ''));
    const names = ['OnlineFeatures', 'PointInTime', 'PricingV1', 'PushLocationRisk', 'RegistryMetadata'];
    expect(tabs.length).toBe(names.length);
    names.forEach((n, i) => expect(tabs[i]?.startsWith(n), `tab ${i + 1}: ${tabs[i]}`).toBe(true));
    // Run the asOf tab: the instant lies inside the demo's data window, so the view is not null.
    // Tabs are draggable, so a synthetic mouse press starts a drag gesture: activate the tab with a DOM click.
    await page.$eval('.graphiql-tab:nth-of-type(2) .graphiql-tab-button', (b) => (b as HTMLButtonElement).click());
    // The editor (Monaco) renders spaces as no-break spaces.
    await page.waitForFunction(() => document.body.innerText.replace(/\u00a0/g, ' ').includes('The point-in-time value as of'), {
      timeout: 120_000,
    });
    await page.click('.graphiql-execute-button');
    await page.waitForFunction(() => /convRate/.test(document.querySelector('.graphiql-response')?.textContent ?? ''), {
      timeout: 120_000,
    });
    const response = await text('.graphiql-response');
    expect(response).toMatch(/"convRate":\s*[\d.]+/);
    const eventTs = Date.parse(/"eventTimestamp":\s*"([^"]+)"/.exec(response)?.[1] ?? '');
    // A point-in-time value from about a day ago, not the online value of this hour.
    expect(Date.now() - eventTs).toBeGreaterThan(23 * 3_600_000);
    expect(Date.now() - eventTs).toBeLessThan(3 * 86_400_000);
    await shot('08-graphiql-as-of-tab.png');
    expect((globalThis as { foreignRequests?: string[] }).foreignRequests).toEqual([]);
  });
});
