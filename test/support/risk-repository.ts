import { Float64, String as Str, entity, featureView, pushSource, repository } from '../../src/definitions/index.js';

/** One push-fed view, `risk` (a Float64 `score` per `customer_id`, no ttl): for tests of pushes and their faults. */
export const riskRepository = (project: string) => {
  const customer = entity({ name: 'customer', joinKey: 'customer_id', valueType: Str });
  const risk = featureView({
    name: 'risk',
    entities: [customer],
    features: { score: Float64 },
    source: pushSource({ name: 'risk_push' }),
    ttl: 0,
  });
  return repository({ project, featureViews: [risk] });
};
