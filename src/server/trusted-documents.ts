import { readFileSync } from 'node:fs';
import { printExecutableGraphQLDocument } from '@graphql-tools/documents';
import { Kind, parse, print, visit, type DocumentNode, type FieldNode, type SelectionSetNode } from 'graphql';
import { sha256 } from '../registry/describe.js';

/** The documents a server trusts, found by every id a client may send for them. */
export interface TrustedDocuments {
  /** Document text by id: the manifest key, the sha256 of its text, and the sha256 of its printed form. */
  readonly byId: ReadonlyMap<string, string>;
  /**
   * Canonical texts (codegen's normalisation: selections and variables sorted, whitespace collapsed), so a
   * client that sends the document itself (`print(doc)`, in its source order) is recognised.
   */
  readonly texts: ReadonlySet<string>;
  /** The longest trusted text: longer documents are not even parsed to compare. */
  readonly maxLength: number;
}

const TYPENAME: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

/**
 * The document as Apollo Client's cache sends it (its default `addTypename`, the same rule as Apollo's
 * `addTypenameToDocument`): `__typename` added to every selection set but an operation's own, unless it
 * selects `__typename` or an introspection field already, or belongs to a field marked `@export`.
 */
export const withTypenames = (doc: DocumentNode): DocumentNode =>
  visit(doc, {
    SelectionSet: {
      enter(node: SelectionSetNode, _key, parent) {
        if (parent && !Array.isArray(parent) && (parent as { kind?: string }).kind === Kind.OPERATION_DEFINITION) return undefined;
        if (node.selections.some((s) => s.kind === Kind.FIELD && s.name.value.startsWith('__'))) return undefined;
        const field = parent as FieldNode | undefined;
        if (field?.kind === Kind.FIELD && field.directives?.some((d) => d.name.value === 'export')) return undefined;
        return { ...node, selections: [...node.selections, TYPENAME] };
      },
    },
  });

/** The canonical text of a document, or undefined when it does not parse (within `maxTokens`). */
export const canonicalText = (text: string, maxTokens = 10_000): string | undefined => {
  try {
    return printExecutableGraphQLDocument(parse(text, { maxTokens }));
  } catch {
    return undefined;
  }
};

/**
 * Index a persisted-documents manifest (`{ "<hash>": "<document>" }`, as GraphQL Code Generator's client
 * preset writes it). Apollo's persisted-query link hashes `print(document)` with sha256; codegen hashes its
 * own normalised text (sha1 or sha256 by configuration): all of them find the document. Apollo Client with
 * its default cache sends the document with `__typename` added (withTypenames): that variant is trusted too,
 * by its hash and by its text, and runs as sent (the cache needs the `__typename`s back).
 */
export const trustedDocuments = (manifest: Record<string, string>): TrustedDocuments => {
  const byId = new Map<string, string>();
  const texts = new Set<string>();
  let maxLength = 0;
  for (const [id, text] of Object.entries(manifest)) {
    if (typeof text !== 'string') throw new Error(`trusted documents: the entry "${id}" is not a document string`);
    let doc: DocumentNode;
    try {
      doc = parse(text);
    } catch (err) {
      throw new Error(`trusted documents: the entry "${id}" does not parse: ${(err as Error).message}`);
    }
    const printed = print(doc);
    for (const key of [id, sha256(text), sha256(printed)]) byId.set(key, text);
    texts.add(canonicalText(text)!);
    const typed = print(withTypenames(doc));
    const typedId = sha256(typed);
    if (!byId.has(typedId)) byId.set(typedId, typed);
    texts.add(canonicalText(typed)!);
    maxLength = Math.max(maxLength, text.length, printed.length, typed.length);
  }
  return { byId, texts, maxLength };
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
