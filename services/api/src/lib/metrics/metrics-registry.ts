import { DURATION_METRICS, type DurationMetrics } from '@hardfix/core';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { readStatus, type StatusSources } from '../read-status.js';
import { registerRedisHistogram } from './histogram-metric.js';
import { createStatusMetrics } from './status-metrics.js';

export interface MetricsRegistry {
  registry: Registry;
  /** Reads the status once, then renders every metric in the Prometheus text format. */
  render(): Promise<string>;
}

/**
 * A registry per app, not prom-client's global one: tests build several apps in one process, and
 * each must report its own Redis prefix.
 */
export function createMetricsRegistry(sources: StatusSources, durations: DurationMetrics): MetricsRegistry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const update = createStatusMetrics(registry);
  for (const key of Object.keys(DURATION_METRICS) as (keyof DurationMetrics)[])
    registerRedisHistogram(registry, DURATION_METRICS[key], durations[key]);
  return {
    registry,
    render: async () => {
      update(await readStatus(sources));
      return registry.metrics();
    },
  };
}
