import { del } from '../api.js';
import { LANGUAGES } from '../contracts.js';
import { age, diffView, fill, h } from '../dom.js';
import { pagedLoader } from '../paged.js';

/** The proven-fix library: each fix's error, its code or pattern, how often it worked, who used it. */
export function libraryView(main) {
  const language = h(
    'select',
    { id: 'fix-language', onchange: () => refresh() },
    h('option', { value: '' }, 'All'),
    LANGUAGES.map((l) => h('option', { value: l }, l)),
  );
  const errorType = h('input', { id: 'fix-error-type', type: 'text', placeholder: 'e.g. NameError' });
  const list = h('div', { id: 'fixes' });
  const message = h('p', { role: 'status' });
  const more = h('button', { type: 'button', hidden: true, onclick: () => load(false) }, 'More');
  fill(
    main,
    h('h1', {}, 'Fix library'),
    h(
      'form',
      {
        class: 'filters',
        onsubmit: (e) => {
          e.preventDefault();
          refresh();
        },
      },
      h('label', { for: 'fix-language' }, 'Language'),
      language,
      h('label', { for: 'fix-error-type' }, 'Error type'),
      errorType,
      h('button', { type: 'submit' }, 'Filter'),
    ),
    message,
    list,
    more,
  );

  const load = pagedLoader({
    path: '/fixes',
    query: () => ({
      ...(language.value ? { language: language.value } : {}),
      ...(errorType.value.trim() ? { errorType: errorType.value.trim() } : {}),
    }),
    into: list,
    more,
    message,
    what: 'the library',
    summary: (page) => `${page.total} fixes${page.total === 0 ? '' : ' (newest first)'}`,
    render: (fix) => fixCard(fix),
  });

  function fixCard(fix) {
    const outcome = h('p', { role: 'status' });
    const card = h(
      'article',
      { class: `fix${fix.demoted ? ' demoted' : ''}`, 'aria-label': `Fix for ${fix.error_type}` },
      h('h2', {}, `${fix.error_type} · ${fix.language}`, fix.demoted ? ' · demoted' : ''),
      fix.error_message ? h('p', { class: 'error-text' }, fix.error_message) : null,
      h('p', { class: 'muted' }, 'Signature ', h('code', {}, fix.error_signature)),
      h(
        'dl',
        {},
        h('dt', {}, 'Worked'),
        h(
          'dd',
          {},
          `${fix.success_count} times (${fix.failure_count} failures, evidence: ${fix.evidence}, ${fix.provenance})`,
        ),
        h('dt', {}, 'Source'),
        h('dd', {}, fix.fix_source),
        h('dt', {}, 'Used by'),
        h('dd', {}, fix.used_by_projects.length ? fix.used_by_projects.join(', ') : 'no project yet'),
        h('dt', {}, 'Last used'),
        h('dd', { title: fix.last_used }, age(fix.last_used)),
      ),
      fix.fix_description ? h('p', {}, fix.fix_description) : null,
      fix.patch
        ? h('details', { open: true }, h('summary', {}, 'Change'), diffView(fix.patch))
        : h('details', { open: true }, h('summary', {}, 'Working code'), h('pre', {}, fix.working_code)),
      fix.pattern
        ? h(
            'details',
            {},
            h('summary', {}, 'Edit pattern'),
            h('pre', {}, JSON.stringify(fix.pattern, null, 2)),
          )
        : null,
      h(
        'button',
        {
          type: 'button',
          class: 'danger',
          'aria-label': `Delete the fix for ${fix.error_type} (${fix.error_signature})`,
          onclick: async () => {
            if (!window.confirm(`Delete the fix for ${fix.error_type}? Projects will no longer get it.`))
              return;
            try {
              await del(`/fixes/${encodeURIComponent(fix.error_signature)}`);
              card.remove();
            } catch (err) {
              if (err.status !== 401) fill(outcome, `Not deleted: ${err.message}`);
            }
          },
        },
        'Delete',
      ),
      outcome,
    );
    return card;
  }

  const refresh = () => load(true);
  refresh();
  return { refresh };
}
