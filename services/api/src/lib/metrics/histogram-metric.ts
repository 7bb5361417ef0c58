import type { RedisHistogram } from '@hardfix/core';
import type { Metric, Registry } from 'prom-client';

/**
 * A RedisHistogram as a prom-client metric: the worker processes observe into Redis, and the
 * registry renders the series on each scrape in the standard `_bucket`/`_sum`/`_count` form.
 */
export function registerRedisHistogram(
  registry: Registry,
  def: { name: string; help: string },
  histogram: RedisHistogram<string>,
): void {
  const metric = {
    name: def.name,
    help: def.help,
    type: 'histogram',
    aggregator: 'sum',
    collect: undefined,
    reset: () => {},
    get: async () => ({
      name: def.name,
      help: def.help,
      type: 'histogram',
      aggregator: 'sum',
      values: (await histogram.snapshot()).flatMap((series) => [
        ...series.buckets.map((b) => ({
          metricName: `${def.name}_bucket`,
          labels: { ...series.labels, le: Number.isFinite(b.le) ? b.le : '+Inf' },
          value: b.count,
        })),
        { metricName: `${def.name}_sum`, labels: series.labels, value: series.sum },
        { metricName: `${def.name}_count`, labels: series.labels, value: series.count },
      ]),
    }),
  };
  // prom-client's Metric type lists its own classes; the registry only needs name, type and get().
  registry.registerMetric(metric as unknown as Metric);
}
