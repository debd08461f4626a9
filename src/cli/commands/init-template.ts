/** The files of the starter repository `featuregraph init` writes: one entity, one view, a SQL seed, a README. */

export const STARTER_DEFINITIONS = `import { Float32, Int32, Int64, entity, featureView, postgresSource, repository } from 'featuregraph';

/** Who the features are about; the join key is a column of every source table. */
export const account = entity({
  name: 'account',
  joinKey: 'account_id',
  valueType: Int64,
  description: 'A customer account.',
});

/** Daily activity per account, read from the table seed.sql creates. */
export const accountActivity = featureView({
  name: 'account_activity',
  entities: [account],
  features: { sessions_7d: Int32, avg_session_minutes: Float32 },
  source: postgresSource({
    name: 'account_activity_daily',
    table: 'starter.account_activity',
    timestampField: 'event_timestamp',
    createdTimestampColumn: 'created',
  }),
  ttl: '2d',
  description: 'Sessions in the last seven days and their average length.',
  owner: 'you@example.com',
  tags: { team: 'starter' },
});

export default repository({ project: 'starter', entities: [account], featureViews: [accountActivity] });
`;

/** Statements, one per line group ending in `;`: run one by one so both pg and PGlite take them. */
export const STARTER_SEED = `-- A week of daily rows for accounts 1..20, ending now: the source table of account_activity.
CREATE SCHEMA IF NOT EXISTS starter;
CREATE TABLE IF NOT EXISTS starter.account_activity (
  account_id bigint NOT NULL,
  event_timestamp timestamptz NOT NULL,
  created timestamptz NOT NULL DEFAULT now(),
  sessions_7d integer,
  avg_session_minutes real
);
INSERT INTO starter.account_activity (account_id, event_timestamp, sessions_7d, avg_session_minutes)
SELECT a, date_trunc('hour', now()) - d * interval '1 day', (a * 7 + d * 3) % 40, round(((a * 13 + d * 5) % 90 / 3.0)::numeric, 1)
  FROM generate_series(1, 20) AS a, generate_series(0, 6) AS d;
`;

export const starterReadme = (name: string) => `# ${name}

A featuregraph repository: feature definitions in \`schema/index.ts\`, a seed for their source table in
\`seed.sql\`.

\`featuregraph init\` created this directory and loaded \`seed.sql\` into the embedded database
(\`.featuregraph/\`), so the commands below work as they are:

\`\`\`sh
npx featuregraph plan                                  # what apply would record
npx featuregraph apply                                 # validate against the table, record registry version 1
npx featuregraph materialize --start now-7d --end now  # latest row per account into the online store
npx featuregraph describe account_activity             # features, ttl, owner, versions, freshness
npx featuregraph serve --allow-anonymous               # GraphQL (and GraphiQL) at http://localhost:4000/graphql;
                                                       # with keys instead: featuregraph keys create --name me --scopes 'read:*'
\`\`\`

Then ask for an account's features:

\`\`\`sh
curl -s localhost:4000/graphql -H 'content-type: application/json' \\
  -d '{"query":"{ account(accountId: \\"1\\") { accountActivity { sessions7d avgSessionMinutes eventTimestamp } } }"}'
\`\`\`

With \`DATABASE_URL\` set (Postgres), load the seed there first: \`psql "$DATABASE_URL" -f seed.sql\`.
Edit \`schema/index.ts\` and run \`npx featuregraph plan\` to see every change, old → new, before \`apply\`.
`;

export const starterPackageJson = (name: string, version: string) =>
  `${JSON.stringify(
    {
      name,
      private: true,
      type: 'module',
      scripts: { plan: 'featuregraph plan', apply: 'featuregraph apply', serve: 'featuregraph serve --allow-anonymous' },
      dependencies: { featuregraph: `^${version}` },
    },
    null,
    2,
  )}\n`;

export const STARTER_GITIGNORE = 'node_modules/\n.featuregraph/\n';
