/** API keys and scopes (docs/auth.md). */
export { createScopeCache, judgeDocument, type DocumentVerdict, type ScopeCache } from './document-scopes.js';
export { fieldRules, type FieldRule, type FieldRules } from './field-rules.js';
export { openKeyLookup, type KeyLookup, type KeyLookupOptions } from './key-lookup.js';
export { hashSecret, newSecret } from './key-secret.js';
export { activeKeyCount, createApiKey, KeyStoreError, listApiKeys, revokeApiKey, type ApiKeyInfo } from './key-store.js';
export { allowArbitraryOperations, allowIntrospection } from './policies.js';
export { hasScope, parseScopes, ScopeError, scopeCovers, SCOPE_SYNTAX } from './scopes.js';
