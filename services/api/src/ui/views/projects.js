import { PROJECT_STATUSES } from '../contracts.js';
import { age, fill, h } from '../dom.js';
import { pagedLoader } from '../paged.js';

/** Every project, newest first, by status: each links to its read-only page (what happened to it). */
export function projectsView(main) {
  const status = h(
    'select',
    { id: 'filter-status', onchange: () => refresh() },
    h('option', { value: '' }, 'All'),
    PROJECT_STATUSES.map((s) => h('option', { value: s }, s)),
  );
  const body = h('tbody');
  const more = h('button', { type: 'button', hidden: true, onclick: () => load(false) }, 'More');
  const message = h('p', { role: 'status' });
  fill(
    main,
    h('h1', {}, 'Projects'),
    h('div', { class: 'filters' }, h('label', { for: 'filter-status' }, 'Status'), status),
    message,
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Project', 'Language', 'Status', 'Stage', 'Attempts', 'Last change'].map((c) =>
            h('th', { scope: 'col' }, c),
          ),
        ),
      ),
      body,
    ),
    more,
  );

  const load = pagedLoader({
    path: '/projects',
    query: () => (status.value ? { status: status.value } : {}),
    into: body,
    more,
    message,
    what: 'projects',
    summary: (page, fresh) => (fresh && page.items.length === 0 ? 'No projects.' : ''),
    render: (p) =>
      h(
        'tr',
        {},
        h('td', {}, h('a', { href: `#/project/${encodeURIComponent(p.id)}` }, p.name)),
        h('td', {}, p.language),
        h('td', {}, h('span', { class: 'status', 'data-status': p.status }, p.status)),
        h('td', {}, p.stage),
        h('td', { class: 'num' }, p.attempts.length),
        h('td', { title: p.updatedAt }, age(p.updatedAt)),
      ),
  });
  const refresh = () => load(true);
  refresh();
  return { refresh, onEvent: refresh };
}
