import { PROJECT_STATUSES, QUEUE_STATES, STATUS_QUEUES, type Status } from '@hardfix/contracts';

const int = (n: number) => n.toLocaleString('en-US');
const pct = (r: number) => `${(r * 100).toFixed(1)}%`;
const row = (label: string, value: string) => `  ${label.padEnd(18)}${value}`;

/** The seed's monitor_queue.py view: queues, the hard-fix figures, projects and LLM usage. */
export function renderStatus(s: Status, url: string, at: Date): string {
  const queueHeader = `  ${'queue'.padEnd(14)}${QUEUE_STATES.map((st) => st.padStart(11)).join('')}`;
  const queueRows = STATUS_QUEUES.map(
    (q) => `  ${q.padEnd(14)}${QUEUE_STATES.map((st) => int(s.queues[q][st]).padStart(11)).join('')}`,
  );
  const projects = PROJECT_STATUSES.map((st) => row(st, int(s.projects[st])));
  return [
    `Hard Fix status  ${url}  ${at.toISOString().replace('T', ' ').slice(0, 19)} UTC`,
    '',
    'Queues',
    queueHeader,
    ...queueRows,
    '',
    'Hard fix',
    row('active fixes', int(s.hardFix.activeFixes)),
    row('library size', int(s.hardFix.librarySize)),
    row('reuse rate', pct(s.hardFix.reuseRate)),
    row('average attempts', s.hardFix.averageAttempts.toFixed(2)),
    row('success rate', pct(s.hardFix.successRate)),
    row('manual review', int(s.hardFix.manualReview)),
    '',
    `Projects (${int(s.projects.total)} total)`,
    ...projects,
    '',
    'LLM',
    row('configured', s.llm.configured ? 'yes' : 'no (ANTHROPIC_API_KEY unset)'),
    row('calls', int(s.llm.calls)),
    row('input tokens', int(s.llm.inputTokens)),
    row('output tokens', int(s.llm.outputTokens)),
    row('cache write / read', `${int(s.llm.cacheWriteTokens)} / ${int(s.llm.cacheReadTokens)}`),
    row('estimated cost', `$${s.llm.estimatedCostUsd.toFixed(4)}`),
    row('cost per delivered', `$${s.llm.costPerDeliveredProjectUsd.toFixed(4)}`),
    '',
    `Sandbox: ${s.sandbox.kind}, ${s.sandbox.network ? 'network reachable' : 'no network'}`,
  ].join('\n');
}
