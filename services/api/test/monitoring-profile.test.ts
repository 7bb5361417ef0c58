import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import { test } from './helper.js';

const DEPLOY = resolve(import.meta.dirname, '../../../deploy');

/** The dashboard is only worth provisioning if every series it queries is one /metrics really serves. */
test('every metric the Grafana dashboard queries is served by /metrics', async ({ api }) => {
  const dashboard = JSON.parse(await readFile(`${DEPLOY}/grafana/dashboards/hardfix.json`, 'utf8')) as {
    panels: { title: string; targets: { expr: string }[] }[];
  };
  const queried = new Set(
    dashboard.panels.flatMap((p) => p.targets.flatMap((t) => t.expr.match(/hardfix_[a-z_]+/g) ?? [])),
  );
  expect(queried.size).toBeGreaterThan(10);

  const metrics = (await api.app.inject({ method: 'GET', url: '/metrics' })).body;
  const lines = metrics.split('\n');
  const served = new Set([
    ...lines.filter((line) => line && !line.startsWith('#')).map((line) => line.split(/[{ ]/)[0]),
    // A histogram with no observations yet has no series, only its declaration.
    ...lines.flatMap((line) => {
      const histogram = /^# TYPE (\S+) histogram$/.exec(line)?.[1];
      return histogram ? [`${histogram}_bucket`, `${histogram}_sum`, `${histogram}_count`] : [];
    }),
  ]);
  const missing = [...queried].filter((name) => !served.has(name));
  expect(missing).toEqual([]);

  const prometheus = await readFile(`${DEPLOY}/prometheus/prometheus.yml`, 'utf8');
  expect(prometheus).toContain('metrics_path: /metrics');
  expect(prometheus).toContain('api:3000');
});
