import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { startDemoServer } from '../support/demo-server.js';
import { shortestFloat32 } from '../../src/definitions/float32.js';

type Demo = Awaited<ReturnType<typeof startDemoServer>>;

/** POST a query over node:http and return the raw response text (what a client parses). */
const post = (url: string, query: string, headers: Record<string, string> = {}): Promise<string> =>
  new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ query }));
  });

const QUERY = '{ drivers(driverIds: ["1001", "1002", "1003", "1004", "1005"]) { driverStats { convRate accRate } } }';

/** Every `convRate`/`accRate` number exactly as the response text spells it. */
const float32Texts = (text: string): string[] => [...text.matchAll(/"(?:convRate|accRate)":(-?[\d.e+-]+)/g)].map((m) => m[1]!);

describe('Float32 features in GraphQL responses', () => {
  let demo: Demo;
  beforeAll(async () => {
    demo = await startDemoServer();
  });
  afterAll(async () => demo?.close());

  // The compiled node:http path answers plain JSON clients; an Origin header sends the request through Yoga.
  it.each([
    ['the compiled path', {}],
    ['the Yoga pipeline', { origin: 'http://localhost' }],
  ])('print the shortest decimal that round-trips through float32 on %s', async (_name, headers) => {
    const texts = float32Texts(await post(demo.server.url, QUERY, headers));
    expect(texts.length).toBe(10);
    for (const t of texts) {
      expect(t).toBe(String(shortestFloat32(Number(t))));
      expect(
        t
          .replace(/^-|e.*$/g, '')
          .replace('.', '')
          .replace(/^0+/, '').length,
      ).toBeLessThanOrEqual(9);
    }
    // The demo's rates are not all short decimals as doubles: without the formatter some print 16+ digits.
    expect(texts.some((t) => String(Math.fround(Number(t))) !== t)).toBe(true);
  });
});
