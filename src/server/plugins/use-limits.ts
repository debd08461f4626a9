import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** Document limits (graphql-armor). Every one is checked before execution and answered with a 400. */
export interface LimitsOptions {
  /** Lexer tokens in a document; parsing stops at the first one over, so a huge document costs little. @default 2000 */
  readonly maxTokens?: number;
  /** Aliases per operation. @default 30 */
  readonly maxAliases?: number;
  /** Selection depth (introspection excepted). @default 10 */
  readonly maxDepth?: number;
  /** Directives per operation. @default 50 */
  readonly maxDirectives?: number;
  /** graphql-armor's static cost (objects 2, scalars 1, growing with depth). @default 5000 */
  readonly maxCost?: number;
}

export const DEFAULT_LIMITS: Required<LimitsOptions> = { maxTokens: 2000, maxAliases: 30, maxDepth: 10, maxDirectives: 50, maxCost: 5000 };

/**
 * graphql-armor's per-rule plugins in one: tokens run in the parser, the others as validation rules, so
 * Yoga's validation cache checks a document once. Limits are named in the error (callers can fix their
 * document). The list-argument cost (keys per request) is `useKeyLimits`.
 */
export const useLimits = (options: LimitsOptions = {}): Plugin => {
  const o = { ...DEFAULT_LIMITS, ...options };
  // A limit is the caller's to fix: 400 BAD_USER_INPUT (useConsistentStatus keeps it 400 for every Accept).
  const reject = [
    (_: unknown, error: GraphQLError) => {
      const ext = error.extensions as Record<string, unknown>;
      ext.code = 'BAD_USER_INPUT';
      ext.http = { status: 400, spec: false };
    },
  ];
  const common = { exposeLimits: true, onReject: reject };
  return {
    onPluginInit({ addPlugin }) {
      addPlugin(maxTokensPlugin({ n: o.maxTokens, ...common }) as Plugin);
      // Every alias counts, `__typename`'s too (graphql-armor leaves those out by default): `{ a1: __typename … }`
      // is as many fields as any other alias.
      addPlugin(maxAliasesPlugin({ n: o.maxAliases, allowList: [], ...common }) as Plugin);
      addPlugin(maxDepthPlugin({ n: o.maxDepth, flattenFragments: true, ...common }) as Plugin);
      addPlugin(maxDirectivesPlugin({ n: o.maxDirectives, ...common }) as Plugin);
      addPlugin(costLimitPlugin({ maxCost: o.maxCost, ...common }) as Plugin);
    },
  };
};
