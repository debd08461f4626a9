import { NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface IntrospectionPolicyOptions {
  /**
   * Whether this request may introspect the schema. The API-key plugin supplies one that allows `admin`
   * keys. @default () => false
   */
  readonly allowIntrospection?: (request: Request) => boolean;
}

/**
 * Production: `__schema` / `__type` are refused (400) unless `allowIntrospection(request)` says yes
 * (`__typename` stays). graphql-js's own rule; Yoga caches validation per document, so the rule is added
 * only for the requests it applies to and costs nothing on the hot path otherwise.
 */
export const useIntrospectionPolicy = (options: IntrospectionPolicyOptions = {}): Plugin => {
  const allow = options.allowIntrospection ?? (() => false);
  return {
    onValidate({ context, addValidationRule }) {
      const request = (context as { request?: Request }).request;
      if (request && allow(request)) return;
      addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
};
