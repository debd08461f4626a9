import type { Loaders } from './loaders.js';
import type { ServingRuntime } from './runtime.js';

/** The GraphQL context of one request. */
export interface FeatureGraphContext {
  readonly rt: ServingRuntime;
  readonly loaders: Loaders;
}

/** A value of an entity (or composite key) type: its canonical key and what applies below it. */
export interface KeyParent {
  /** Canonical join key values, in the key group's entity order. */
  readonly parts: readonly string[];
  /** encodeEntityKey(parts). */
  readonly key: string;
  readonly asOf?: Date;
  /** Request arguments given on a feature-service root field, by GraphQL argument name. */
  readonly request?: Readonly<Record<string, unknown>>;
  readonly [joinKeyField: string]: unknown;
}

export type Resolver<A = Record<string, unknown>, P = KeyParent> = (
  parent: P,
  args: A,
  ctx: FeatureGraphContext,
  info: import('graphql').GraphQLResolveInfo,
) => unknown;

/**
 * On a view's value object: the asOf it was read at (undefined for an online read), so a relation field
 * below it reads every level at the same instant (docs/graphql.md, "Relations"). A symbol, so no feature
 * name can collide with it and it never shows in a response.
 */
export const READ_AS_OF = Symbol('featuregraph.readAsOf');

/**
 * On a view's value object: the canonical join key values of the entity it belongs to, which the view type's
 * join key fields (`DriverStats.driverId`) show — a subscription's changes name their entity by them
 * (docs/subscriptions.md). A symbol, like READ_AS_OF.
 */
export const VALUE_KEY = Symbol('featuregraph.valueKey');
