import { get } from '../api.js';
import { age, fill, h } from '../dom.js';

const PAGE = 200;
/** Enough for any review queue a person can work through; the rest waits for the next load. */
const MAX_PAGES = 10;

/** The projects in manual review, with filters by language and error type; follows the events. */
export function reviewListView(main) {
  let items = [];
  let failed = '';
  /** Refreshes can overlap (an event during a load); only the newest one's answer is shown. */
  let latest = 0;
  const language = h('select', { id: 'filter-language', onchange: show }, h('option', { value: '' }, 'All'));
  const errorType = h('select', { id: 'filter-error', onchange: show }, h('option', { value: '' }, 'All'));
  const count = h('p', { id: 'review-count', role: 'status' });
  const body = h('div', { id: 'review-list' });
  fill(
    main,
    h('h1', {}, 'Manual review'),
    h(
      'div',
      { class: 'filters' },
      h('label', { for: 'filter-language' }, 'Language'),
      language,
      h('label', { for: 'filter-error' }, 'Error type'),
      errorType,
    ),
    count,
    body,
  );

  function options(select, values) {
    const chosen = select.value;
    fill(
      select,
      h('option', { value: '' }, 'All'),
      values.map((v) => h('option', { value: v, selected: v === chosen }, v)),
    );
    select.value = values.includes(chosen) ? chosen : '';
  }

  function show() {
    if (failed) {
      fill(count, '');
      fill(body, h('p', { class: 'error', role: 'alert' }, failed));
      return;
    }
    const shown = items.filter(
      (i) =>
        (!language.value || i.language === language.value) &&
        (!errorType.value || (i.lastError?.type ?? 'none') === errorType.value),
    );
    fill(
      count,
      items.length === 0
        ? 'No projects wait for review.'
        : `${shown.length} of ${items.length} projects in manual review`,
    );
    if (shown.length === 0) return fill(body);
    fill(
      body,
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Project', 'Language', 'Last error', 'Attempts', 'Reason', 'Waiting since'].map((c) =>
              h('th', { scope: 'col' }, c),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          shown.map((i) =>
            h(
              'tr',
              { 'data-project': i.id },
              h('td', {}, h('a', { href: `#/project/${encodeURIComponent(i.id)}` }, i.name)),
              h('td', {}, i.language),
              h(
                'td',
                { class: 'error-cell' },
                i.lastError ? `${i.lastError.type}: ${i.lastError.message}` : 'none recorded',
              ),
              h('td', { class: 'num' }, i.attempts),
              h('td', {}, i.reason === 'budget' ? 'token budget spent' : (i.reason ?? 'attempts exhausted')),
              h('td', { title: i.since }, age(i.since)),
            ),
          ),
        ),
      ),
    );
  }

  async function refresh() {
    const mine = ++latest;
    try {
      const all = [];
      let cursor;
      for (let page = 0; page < MAX_PAGES; page++) {
        const q = new URLSearchParams({ limit: String(PAGE), ...(cursor ? { cursor } : {}) });
        const answer = await get(`/review?${q}`);
        all.push(...answer.items);
        cursor = answer.nextCursor;
        if (!cursor) break;
      }
      if (mine !== latest) return;
      items = all;
      failed = '';
    } catch (err) {
      if (err.status === 401 || mine !== latest) return;
      failed = `Could not load the review list: ${err.message}`;
    }
    options(language, [...new Set(items.map((i) => i.language))].sort());
    options(errorType, [...new Set(items.map((i) => i.lastError?.type ?? 'none'))].sort());
    show();
  }

  refresh();
  // Any event may add a project to review or take one out (delivered, abandoned, parked elsewhere).
  return { refresh, onEvent: refresh };
}
