import type { GraphQLFieldConfigMap, GraphQLInputObjectType, GraphQLObjectType } from 'graphql';
import type { Entity } from '../../definitions/objects.js';
import type { ResolvedRepository } from '../../definitions/resolve.js';
import type { FeatureGraphContext, KeyParent } from '../context.js';

export type Fields<P = unknown> = GraphQLFieldConfigMap<P, FeatureGraphContext>;

/** The type of one key group (an entity or a composite key), whose fields views add as they are walked. */
export interface KeyGroupType {
  readonly name: string;
  readonly entities: readonly Entity[];
  readonly type: GraphQLObjectType<KeyParent, FeatureGraphContext>;
  /** Read by `type`'s fields thunk when the schema is assembled, so every view's field is in by then. */
  readonly fields: Fields<KeyParent>;
  /** `DriverCustomerKeyInput` for a composite key; undefined for a single entity. */
  readonly keyInput: GraphQLInputObjectType | undefined;
}

/** What the walk fills: root fields and the key group types. */
export interface SchemaParts {
  readonly repo: ResolvedRepository;
  readonly query: Fields;
  readonly mutation: Fields;
  readonly groups: ReadonlyMap<string, KeyGroupType>;
}
