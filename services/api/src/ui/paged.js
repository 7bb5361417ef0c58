import { get } from './api.js';
import { fill } from './dom.js';

/**
 * Loads a cursor-paged list of the API into `into`: `load(true)` replaces it with the first page,
 * `load(false)` appends the next one, and `more` is shown while there is one. A load overtaken by a
 * newer one (a filter changed meanwhile) is dropped, so stale rows never appear.
 */
export function pagedLoader({ path, query, into, more, message, what, render, summary }) {
  let cursor;
  let latest = 0;
  return async function load(fresh) {
    const mine = ++latest;
    const q = new URLSearchParams({ limit: '50', ...query() });
    if (!fresh && cursor) q.set('cursor', cursor);
    let page;
    try {
      page = await get(`${path}?${q}`);
    } catch (err) {
      if (err.status !== 401 && mine === latest) fill(message, `Could not load ${what}: ${err.message}`);
      return;
    }
    if (mine !== latest) return;
    if (fresh) fill(into);
    cursor = page.nextCursor;
    more.hidden = !cursor;
    fill(message, summary(page, fresh));
    into.append(...page.items.map(render));
  };
}
