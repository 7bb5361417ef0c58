import { get, post } from '../api.js';
import { age, diffView, errorLine, fill, h } from '../dom.js';

/**
 * One project. For any status: its request, tests, attempts (each with what it changed) and files, read
 * only. In manual review the files are editable and the actions are there: Resolve, Retry, Abandon.
 * Events for this project refresh its status and attempts but never touch the editor.
 */
export function projectView(main, id) {
  const status = h('span', { id: 'project-status', class: 'status', role: 'status', 'aria-live': 'polite' });
  const title = h('h1', {}, 'Project ', h('span', { class: 'muted' }, id));
  const summary = h('div', { class: 'summary' });
  const request = h('section', { 'aria-labelledby': 'h-request' });
  const tests = h('section', { 'aria-labelledby': 'h-tests' });
  const attempts = h('section', { 'aria-labelledby': 'h-attempts' });
  const files = h('section', { 'aria-labelledby': 'h-files' });
  const notice = h('p', { class: 'error', role: 'alert' });
  fill(
    main,
    h('p', {}, h('a', { href: '#/' }, '← Review list')),
    title,
    status,
    notice,
    summary,
    request,
    tests,
    files,
    attempts,
  );

  let project;
  let editor;
  let history = [];
  let latest = 0;

  async function refresh() {
    const mine = ++latest;
    let view;
    let attemptPage;
    let source;
    try {
      [view, attemptPage, source] = await Promise.all([
        get(`/projects/${encodeURIComponent(id)}`),
        get(`/projects/${encodeURIComponent(id)}/attempts`),
        editor ? undefined : get(`/projects/${encodeURIComponent(id)}/files`),
      ]);
    } catch (err) {
      if (err.status === 401 || mine !== latest) return;
      fill(
        notice,
        err.status === 404 ? `Project ${id} does not exist.` : `Could not load the project: ${err.message}`,
      );
      return;
    }
    if (mine !== latest) return;
    fill(notice);
    const before = project?.status;
    project = view;
    fill(title, view.name);
    fill(status, view.status);
    status.dataset.status = view.status;
    showSummary(view);
    history = attemptPage.items;
    showAttempts(history);
    if (source) {
      showRequest(source);
      showTests(view, source);
      editor = showFiles(view, source);
    }
    editor?.setState(view.status);
    if (before === 'manual-review' && view.status !== 'manual-review')
      fill(notice, `This project is now ${view.status}.`);
  }

  function showSummary(view) {
    const rows = [
      ['Language', view.language],
      ['Stage', view.stage],
      ['Attempts', String(view.attempts.length)],
      view.status === 'manual-review'
        ? [
            'In review because',
            view.reviewReason === 'budget'
              ? 'token budget spent'
              : (view.reviewReason ?? 'attempts exhausted'),
          ]
        : undefined,
      view.delivery ? ['Delivered to', view.delivery.path] : undefined,
      view.abandonReason ? ['Abandoned because', view.abandonReason] : undefined,
      view.parked ? ['Parked', `${view.parked.reason} (${age(view.parked.at)})`] : undefined,
      view.analysis
        ? ['Analysis', `${view.analysis.diagnosis} (confidence ${view.analysis.confidence})`]
        : undefined,
      [
        'Tokens',
        `${view.usage.inputTokens} in, ${view.usage.outputTokens} out, ~$${view.usage.estimatedCostUsd.toFixed(4)}`,
      ],
      ['Created', `${view.createdAt} (${age(view.createdAt)})`],
    ].filter(Boolean);
    fill(
      summary,
      h(
        'dl',
        {},
        rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
      ),
    );
  }

  function showRequest(source) {
    fill(
      request,
      h('h2', { id: 'h-request' }, 'Request'),
      source.prompt
        ? h('pre', { class: 'prompt' }, source.prompt)
        : h('p', {}, 'Imported project (no request).'),
      source.errorLog
        ? h(
            'details',
            {},
            h('summary', {}, 'Error log from the system it failed in'),
            h('pre', {}, source.errorLog),
          )
        : null,
      source.entry ? h('p', {}, 'Entry point: ', h('code', {}, source.entry)) : null,
    );
  }

  function testPaths(view) {
    return new Set(view.tests && view.tests !== 'none' ? view.tests.files : []);
  }

  function showTests(view, source) {
    const paths = testPaths(view);
    const testFiles = source.files.filter((f) => paths.has(f.path));
    fill(
      tests,
      h('h2', { id: 'h-tests' }, 'Tests (the spec, read-only)'),
      testFiles.length === 0
        ? h(
            'p',
            {},
            view.tests === 'none'
              ? 'This project has no tests: it is verified on its run alone.'
              : 'No tests recorded yet.',
          )
        : testFiles.map((f) =>
            h('figure', { class: 'file' }, h('figcaption', {}, f.path), h('pre', {}, f.content)),
          ),
    );
  }

  function showAttempts(items) {
    fill(
      attempts,
      h('h2', { id: 'h-attempts' }, `Attempts (${items.length})`),
      items.length === 0
        ? h('p', {}, 'No attempts yet.')
        : h(
            'ol',
            { class: 'attempts' },
            items.map((a, i) =>
              h(
                'li',
                { class: `attempt ${a.outcome}` },
                h(
                  'p',
                  { class: 'attempt-head' },
                  h('strong', {}, `#${i + 1} ${a.stage} ${a.n}`),
                  a.strategy ? ` · ${a.strategy}` : '',
                  a.fixSource ? ` · fix from ${a.fixSource}` : '',
                  ` · ${a.outcome}`,
                  a.tests ? ` · tests ${a.tests.passed}/${a.tests.run} passed` : '',
                  ` · ${age(a.at)}`,
                ),
                a.error ? h('p', { class: 'error-text' }, errorLine(a.failure ?? a.error)) : null,
                a.failure?.test ? failingTest(a.failure.test) : null,
                a.failure?.output
                  ? h(
                      'details',
                      {},
                      h('summary', {}, 'Output'),
                      h('pre', { class: 'output' }, a.failure.output),
                    )
                  : null,
                changes(a.changes, i >= items.length - 3),
              ),
            ),
          ),
    );
  }

  function failingTest(t) {
    const where = t.file ? ` (${t.file}${t.line ? `:${t.line}` : ''})` : '';
    return h(
      'p',
      { class: 'failing-test' },
      `Failing test: ${t.name ?? 'unnamed'}${where}`,
      t.assertion ? h('code', {}, ` ${t.assertion}`) : '',
    );
  }

  /** `open`: the diff is shown unfolded (the latest attempts, the ones a reviewer reads first). */
  function changes(c, open) {
    if (c.kind === 'unavailable') return h('p', { class: 'muted' }, 'No files kept for this attempt.');
    if (c.kind === 'first')
      return h('p', { class: 'muted' }, `First files: ${c.files.map((f) => f.path).join(', ')}`);
    if (c.files.length === 0) return h('p', { class: 'muted' }, 'Changed no file.');
    return h(
      'details',
      { class: 'changes', open },
      h('summary', {}, `Changed ${c.files.map((f) => `${f.path} (${f.change})`).join(', ')}`),
      c.files.map((f) =>
        h(
          'figure',
          { class: 'file' },
          h('figcaption', {}, `${f.path} (${f.change})`),
          f.diff === undefined ? h('p', {}, 'Too large to diff.') : diffView(f.diff),
        ),
      ),
    );
  }

  /** The files: text areas in review, plain text otherwise. Built once, so nothing typed is ever lost. */
  function showFiles(view, source) {
    const paths = testPaths(view);
    const editable = source.files.filter((f) => !paths.has(f.path));
    const result = h('div', { id: 'resolve-result', role: 'alert', class: 'result' });
    const lastFailure = source.lastFailure
      ? h(
          'div',
          { class: 'last-failure' },
          h('p', { class: 'error-text' }, `Last verification: ${errorLine(source.lastFailure)}`),
          source.lastFailure.test ? failingTest(source.lastFailure.test) : null,
          source.lastFailure.output
            ? h(
                'details',
                {},
                h('summary', {}, 'Output'),
                h('pre', { class: 'output' }, source.lastFailure.output),
              )
            : null,
        )
      : null;
    if (view.status !== 'manual-review') {
      // Read only: what the project is now (delivered, abandoned, still in the pipeline).
      fill(
        files,
        h('h2', { id: 'h-files' }, 'Files'),
        lastFailure,
        editable.map((f) =>
          h('figure', { class: 'file' }, h('figcaption', {}, f.path), h('pre', {}, f.content)),
        ),
      );
      return { setState: () => {} };
    }
    /** One editor per file: its text area and its "delete" box, by path (files added here too). */
    const editors = new Map();
    function fileEditor(path, content) {
      const n = editors.size;
      const area = h('textarea', {
        id: `file-${n}`,
        spellcheck: 'false',
        rows: Math.min(30, content.split('\n').length + 2),
        wrap: 'off',
      });
      area.value = content;
      const remove = h('input', { type: 'checkbox', id: `delete-${n}` });
      editors.set(path, { area, remove });
      return h(
        'div',
        { class: 'file' },
        h('label', { for: `file-${n}` }, path),
        area,
        h('span', { class: 'remove' }, remove, ' ', h('label', { for: `delete-${n}` }, `Delete ${path}`)),
      );
    }
    const fileList = h(
      'div',
      {},
      editable.map((f) => fileEditor(f.path, f.content)),
    );
    const newPath = h('input', { id: 'new-file-path', type: 'text', placeholder: 'e.g. helpers.py' });
    const addError = h('span', { class: 'error', role: 'alert' });
    const addFile = h(
      'div',
      { class: 'add-file' },
      h('label', { for: 'new-file-path' }, 'New file path'),
      ' ',
      newPath,
      ' ',
      h(
        'button',
        {
          type: 'button',
          onclick: () => {
            const path = newPath.value.trim();
            if (!path) return fill(addError, 'Give the new file a path.');
            if (editors.has(path) || paths.has(path)) return fill(addError, `${path} exists already.`);
            fill(addError);
            fileList.append(fileEditor(path, ''));
            newPath.value = '';
            editors.get(path)?.area.focus();
          },
        },
        'Add file',
      ),
      ' ',
      addError,
    );
    const reason = h('input', { id: 'abandon-reason', type: 'text', maxlength: '2000' });
    const resolveButton = h('button', { type: 'button', onclick: resolve }, 'Resolve');
    const retryButton = h('button', { type: 'button', onclick: retry }, 'Retry');
    const abandonButton = h('button', { type: 'button', class: 'danger', onclick: abandon }, 'Abandon');
    const actions = h(
      'div',
      { class: 'actions' },
      h(
        'div',
        {},
        resolveButton,
        ' ',
        h('span', { class: 'muted' }, 'submits the edited files; a worker verifies them'),
      ),
      h(
        'div',
        {},
        retryButton,
        ' ',
        h('span', { class: 'muted' }, 'back to hard fix with a fresh attempt budget'),
      ),
      h(
        'div',
        {},
        h('label', { for: 'abandon-reason' }, 'Reason for abandoning'),
        ' ',
        reason,
        ' ',
        abandonButton,
      ),
    );
    fill(files, h('h2', { id: 'h-files' }, 'Files'), lastFailure, fileList, addFile, result, actions);

    let busy = false;
    function setState(state) {
      const open = state === 'manual-review';
      for (const { area, remove } of editors.values()) {
        area.readOnly = !open;
        remove.disabled = !open;
      }
      addFile.hidden = !open;
      for (const b of [resolveButton, retryButton, abandonButton]) b.disabled = busy || !open;
      reason.disabled = busy || !open;
      actions.hidden = !open && !busy;
    }

    async function act(label, run) {
      busy = true;
      setState(project.status);
      fill(result, h('p', { class: 'busy' }, label));
      let failed;
      try {
        await run();
      } catch (err) {
        failed = err;
        if (err.status !== 401) fill(result, failureOf(err));
      } finally {
        busy = false;
        await refresh();
      }
      // The output of the attempt that just failed, from its record: the 422 carries the error only.
      const output =
        failed?.status === 422 ? history.findLast((a) => a.stage === 'manual')?.failure?.output : undefined;
      if (output) result.append(h('pre', { class: 'output' }, output));
      if (failed?.status === 503 && /still verifying/.test(failed.message))
        followVerification(history.length);
    }

    /**
     * A worker outlasted the request's wait: its outcome lands on the project later. A pass announces
     * itself (an event); a failure only adds an attempt, so the page looks until one appears.
     */
    async function followVerification(attemptsBefore) {
      for (
        let i = 0;
        i < 60 && project.status === 'manual-review' && history.length === attemptsBefore;
        i++
      ) {
        await new Promise((resolve) => setTimeout(resolve, 2000));
        await refresh();
      }
      const last = history.at(-1);
      if (history.length > attemptsBefore && last?.stage === 'manual' && last.outcome === 'failed')
        fill(result, failureOf({ status: 422, message: errorLine(last.failure ?? last.error) }));
    }

    function resolve() {
      return act('Verifying: a worker is running the files…', async () => {
        // Tests go back unchanged: they are the spec, and a resolve that changed them would be refused.
        const submitted = [
          ...source.files.filter((f) => paths.has(f.path)),
          ...[...editors]
            .filter(([, e]) => !e.remove.checked)
            .map(([path, e]) => ({ path, content: e.area.value })),
        ];
        const answer = await post(`/review/${encodeURIComponent(id)}/resolve`, {
          files: submitted,
          ...(source.entry ? { entry: source.entry } : {}),
        });
        fill(result, h('p', { class: 'ok' }, `Delivered to ${answer.delivery.path}`));
      });
    }

    function retry() {
      return act('Sending back to hard fix…', async () => {
        const answer = await post(`/review/${encodeURIComponent(id)}/retry`);
        fill(
          result,
          h('p', { class: 'ok' }, `Back to hard fix (${answer.status}) with a fresh attempt budget.`),
        );
      });
    }

    function abandon() {
      return act('Abandoning…', async () => {
        await post(`/review/${encodeURIComponent(id)}/abandon`, { reason: reason.value });
        fill(result, h('p', { class: 'ok' }, 'Abandoned.'));
      });
    }

    return { setState };
  }

  refresh();
  return { refresh, onEvent: (event) => event.projectId === id && refresh() };
}

/** What went wrong, as the API said it: a 422 with the verification error, a 503 while verifying. */
function failureOf(err) {
  const heading =
    err.status === 422
      ? 'The files do not verify'
      : err.status === 503
        ? 'Not verified yet'
        : err.status === 409
          ? 'Not possible now'
          : `Refused (${err.status ?? 'no answer'})`;
  const details = err.body?.details;
  return h(
    'div',
    { class: 'failure' },
    h('p', { class: 'error-text' }, h('strong', {}, `${heading}: `), err.message),
    details?.file ? h('p', {}, `at ${details.file}${details.line ? `:${details.line}` : ''}`) : null,
    err.status === 422
      ? h(
          'p',
          { class: 'muted' },
          'Your edits are kept. The attempt and its output are listed under Attempts.',
        )
      : null,
  );
}
