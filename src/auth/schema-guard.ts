import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { forbiddenError, type FieldRules } from './field-rules.js';

/** The forbidden coordinates of each request, by its GraphQL context object (set before execution). */
export type ForbiddenByContext = WeakMap<object, ReadonlySet<string>>;

/**
 * A copy of `schema` whose guarded fields (see field-rules.ts) check, before resolving, that their
 * coordinate is not in the request's forbidden set: a Set lookup per guarded field. A field in it, or a
 * request no verdict was recorded for (it bypassed the plugin), gets null and a FORBIDDEN error.
 * Wrapping once here leaves the schema builder alone and works for any executor that calls resolvers.
 */
export const guardSchema = (schema: GraphQLSchema, rules: FieldRules, verdicts: ForbiddenByContext): GraphQLSchema =>
  mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (config, fieldName, typeName) => {
      const coord = `${typeName}.${fieldName}`;
      const rule = rules.get(coord);
      if (!rule) return config;
      const guard = <S, C, A>(inner: GraphQLFieldResolver<S, C, A>): GraphQLFieldResolver<S, C, A> =>
        function guarded(source, args, ctx, info) {
          const forbidden = typeof ctx === 'object' && ctx !== null ? verdicts.get(ctx) : undefined;
          if (forbidden === undefined || forbidden.has(coord)) throw forbiddenError(rule);
          return inner(source, args, ctx, info);
        };
      return {
        ...config,
        resolve: guard(config.resolve ?? defaultFieldResolver),
        ...(config.subscribe ? { subscribe: guard(config.subscribe) } : {}),
      };
    },
  });
