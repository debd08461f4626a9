import {
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLString,
} from 'graphql';
import { camelCase, pascalCase } from '../../definitions/naming.js';
import type { ViewSpec } from '../../definitions/resolve.js';
import { pushResolver } from '../resolvers/push.js';
import { DateTimeScalar } from '../scalars.js';
import { featureDescription } from './describe.js';
import { fieldInfo } from './extensions.js';
import type { Fields } from './parts.js';
import { graphqlTypeOf } from './value-type.js';
import type { AggregationSpec } from '../../definitions/aggregation-spec.js';

export const PushTargetEnum = new GraphQLEnumType({
  name: 'PushTarget',
  description: 'Where pushed rows go.',
  values: {
    ONLINE: { description: 'The online store only.' },
    OFFLINE: { description: 'The offline push table only.' },
    ONLINE_AND_OFFLINE: { description: 'Both (the default).' },
  },
});

export const PushResultType = new GraphQLObjectType({
  name: 'PushResult',
  description: 'What a push wrote.',
  fields: {
    view: { type: new GraphQLNonNull(GraphQLString), description: 'The view pushed to (definition name).' },
    target: { type: new GraphQLNonNull(PushTargetEnum), description: 'Where the rows went.' },
    rows: { type: new GraphQLNonNull(GraphQLInt), description: 'Rows received.' },
    onlineWritten: { type: new GraphQLNonNull(GraphQLInt), description: 'Rows that became the online value (older rows are ignored).' },
    offlineWritten: { type: new GraphQLNonNull(GraphQLInt), description: 'Rows appended to the offline push table.' },
    replayed: {
      type: new GraphQLNonNull(GraphQLBoolean),
      description:
        'True when the idempotency key had already been used with this request: nothing new was written offline, the online part was redone.',
      resolve: (r: { replayed?: boolean }) => r.replayed === true,
    },
  },
});

const rowInput = (v: ViewSpec, agg?: AggregationSpec) =>
  new GraphQLInputObjectType({
    name: `${pascalCase(v.name)}RowInput`,
    description: agg
      ? `A raw event pushed to the aggregation view ${v.name}; ${agg.eventId} identifies it (a replay counts once).`
      : `A row pushed to ${v.name}.`,
    fields: {
      ...Object.fromEntries(
        v.keys.map((k) => [
          camelCase(k.joinKey),
          { type: new GraphQLNonNull(GraphQLID), description: `The row's ${k.joinKey} (join key of ${k.entity}).` },
        ]),
      ),
      eventTimestamp: { type: new GraphQLNonNull(DateTimeScalar), description: 'Event time of the row.' },
      createdTimestamp: { type: DateTimeScalar, description: 'Ingestion time; defaults to the time of the push.' },
      ...Object.fromEntries(
        v.features.map((f) => [camelCase(f.name), { type: graphqlTypeOf(f.type), description: featureDescription(f) }]),
      ),
    },
  });

/** `Mutation.pushDriverStats(rows, to): PushResult!` with its `DriverStatsRowInput`. */
export const pushMutation = (v: ViewSpec, agg?: AggregationSpec): Fields => ({
  [camelCase(`push_${v.name}`)]: {
    type: new GraphQLNonNull(PushResultType),
    description: agg
      ? `Push raw events to the aggregation view ${v.name} (docs/aggregations.md): the whole batch is validated first; counted in its windows online immediately, each event id once.`
      : `Push rows to ${v.name}: the whole batch is validated first; readable online immediately.`,
    args: {
      rows: {
        type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(rowInput(v, agg)))),
        description: 'The rows; one invalid row rejects the whole batch and nothing is written.',
      },
      to: { type: PushTargetEnum, defaultValue: 'ONLINE_AND_OFFLINE', description: 'Which stores to write.' },
      idempotencyKey: {
        type: GraphQLString,
        description: 'A retried request with the same key writes nothing twice, even after a partial failure (docs/writes.md).',
      },
    },
    resolve: pushResolver(v, agg),
    extensions: fieldInfo('push', v.name),
  },
});
