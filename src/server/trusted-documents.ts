import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse, print } from 'graphql';

/** The documents a server trusts, found by every id a client may send for them. */
export interface TrustedDocuments {
  /** Document text by id: the manifest key, the sha256 of its text, and the sha256 of its printed form. */
  readonly byId: ReadonlyMap<string, string>;
  /** Whitespace-collapsed texts, so a client sending the document itself (`print(doc)`) is recognised. */
  readonly texts: ReadonlySet<string>;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
/** Whitespace runs to one space: `print(doc)` and codegen's one-line manifest text then compare equal. */
export const collapseWhitespace = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * Index a persisted-documents manifest (`{ "<hash>": "<document>" }`, as GraphQL Code Generator's client
 * preset writes it). Apollo's persisted-query link hashes `print(document)` with sha256; codegen hashes its
 * own normalised text (sha1 or sha256 by configuration): all of them find the document.
 */
export const trustedDocuments = (manifest: Record<string, string>): TrustedDocuments => {
  const byId = new Map<string, string>();
  const texts = new Set<string>();
  for (const [id, text] of Object.entries(manifest)) {
    if (typeof text !== 'string') throw new Error(`trusted documents: the entry "${id}" is not a document string`);
    let printed: string;
    try {
      printed = print(parse(text));
    } catch (err) {
      throw new Error(`trusted documents: the entry "${id}" does not parse: ${(err as Error).message}`);
    }
    for (const key of [id, sha256(text), sha256(printed)]) byId.set(key, text);
    texts.add(collapseWhitespace(text));
    texts.add(collapseWhitespace(printed));
  }
  return { byId, texts };
};

/** Read a manifest file (the bad file is named in the error). */
export const readTrustedDocuments = (file: string): TrustedDocuments => {
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`trusted documents: cannot read ${file}: ${(err as Error).message}`);
  }
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest))
    throw new Error(`trusted documents: ${file} must be a JSON object of id → document`);
  return trustedDocuments(manifest as Record<string, string>);
};
