/** The repository bench:subscriptions serves: one push-fed online view keyed by driver. */
import { Float32, Int32, Int64, entity, featureView, pushSource, repository } from '../src/definitions/index.js';

const driver = entity({ name: 'driver', joinKey: 'driver_id', valueType: Int64 });
const driverStats = featureView({
  name: 'driver_stats',
  entities: [driver],
  features: { conv_rate: Float32, avg_daily_trips: Int32 },
  source: pushSource({ name: 'driver_stats_push' }),
  ttl: '2d',
});

export default repository({ project: 'subs_bench', featureViews: [driverStats] });
