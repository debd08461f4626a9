import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/** A content coding featuregraph can send. */
export type ContentEncoding = 'br' | 'gzip';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * The coding to answer an `Accept-Encoding` header with: brotli when accepted (smallest), else gzip, else none.
 * Honours `q=0` ("not acceptable") and `*`.
 */
export const negotiateEncoding = (acceptEncoding: string | null | undefined): ContentEncoding | null => {
  if (!acceptEncoding) return null;
  const q = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const qp = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = qp ? Number(qp.slice(2)) : 1;
    q.set(name.trim(), Number.isFinite(weight) ? weight : 0);
  }
  const accepts = (enc: string) => (q.get(enc) ?? q.get('*') ?? 0) > 0;
  return accepts('br') ? 'br' : accepts('gzip') ? 'gzip' : null;
};

// Above this, the fastest settings that still compress well: brotli quality 9 takes about 9 s on GraphiQL's
// 9 MB page on a busy 2-core machine, quality 5 about 2 s for 5% more bytes (docs/catalog.md).
const LARGE = 256 * 1024;

/** Compress bytes: small assets at the best ratio, large pages at a fast setting. */
export const compress = (body: Uint8Array, encoding: ContentEncoding): Promise<Buffer> => {
  const large = body.byteLength > LARGE;
  return encoding === 'br'
    ? brotli(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: large ? 5 : 11,
          [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        },
      })
    : gzipAsync(body, { level: large ? 6 : 9 });
};

/**
 * Compressed copies of bodies that repeat (pages and static assets), keyed by content hash and coding, so each
 * is compressed once per process. Bounded by entry count; the oldest entry goes first.
 */
export class CompressedCache {
  private readonly entries = new Map<string, Promise<Buffer>>();
  constructor(private readonly maxEntries = 32) {}

  get(body: Uint8Array, encoding: ContentEncoding): Promise<Buffer> {
    const key = `${encoding}:${createHash('sha256').update(body).digest('base64')}`;
    let hit = this.entries.get(key);
    if (!hit) {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      hit = compress(body, encoding);
      hit.catch(() => this.entries.delete(key));
      this.entries.set(key, hit);
    }
    return hit;
  }
}

/** Headers of a compressed response: the coding, its length, and `Vary` so caches keep codings apart. */
export const encodedHeaders = (headers: Headers, encoding: ContentEncoding | null, length: number): Headers => {
  const out = new Headers(headers);
  if (encoding) out.set('content-encoding', encoding);
  out.set('content-length', String(length));
  const vary = out.get('vary');
  if (!vary?.toLowerCase().includes('accept-encoding')) out.set('vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
  return out;
};

/** Bytes as a Response body: Node's buffers here are backed by plain ArrayBuffers, never shared memory. */
export const responseBody = (b: Uint8Array): Uint8Array<ArrayBuffer> => b as Uint8Array<ArrayBuffer>;
