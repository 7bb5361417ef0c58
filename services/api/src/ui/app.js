import { checkToken, token, whenUnauthorized } from './api.js';
import { fill, h } from './dom.js';
import { followEvents } from './events.js';
import { libraryView } from './views/library.js';
import { projectView } from './views/project.js';
import { projectsView } from './views/projects.js';
import { reviewListView } from './views/review-list.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const live = document.getElementById('live');
const signOutButton = document.getElementById('sign-out');

/** The view on screen: it reloads when the event stream (re)opens and hears every event. */
let current;
let stream;

const routes = [
  [/^#\/project\/([^/]+)$/, (m) => projectView(main, decodeURIComponent(m[1]))],
  [/^#\/projects$/, () => projectsView(main)],
  [/^#\/library$/, () => libraryView(main)],
  [/^(#\/?)?$/, () => reviewListView(main)],
];

function route() {
  if (!token.get()) return signIn();
  current?.leave?.();
  const hash = location.hash;
  for (const [pattern, make] of routes) {
    const m = pattern.exec(hash);
    if (m) {
      current = make(m);
      for (const a of nav.querySelectorAll('a')) {
        if (a.getAttribute('href') === (hash || '#/')) a.setAttribute('aria-current', 'page');
        else a.removeAttribute('aria-current');
      }
      main.focus();
      return;
    }
  }
  current = undefined;
  fill(main, h('h1', {}, 'Not found'), h('p', {}, h('a', { href: '#/' }, 'Back to the review list')));
}

function startLive() {
  stream?.stop();
  stream = followEvents({
    onOpen: () => current?.refresh?.(),
    onEvent: (event) => current?.onEvent?.(event),
    onState: (state) => {
      live.textContent = state === 'live' ? 'Live' : `Events: ${state}`;
    },
  });
}

function signOut(message) {
  token.clear();
  stream?.stop();
  stream = undefined;
  current?.leave?.();
  current = undefined;
  signIn(message);
}

function signIn(message) {
  nav.hidden = true;
  signOutButton.hidden = true;
  live.textContent = '';
  const input = h('input', {
    id: 'api-token',
    name: 'api-token',
    type: 'password',
    autocomplete: 'off',
    required: true,
  });
  const error = h('p', { class: 'error', role: 'alert' }, message ?? '');
  const form = h(
    'form',
    {
      class: 'sign-in',
      onsubmit: async (event) => {
        event.preventDefault();
        const value = input.value.trim();
        if (!value) return;
        const checked = await checkToken(value);
        if (checked !== 'ok') {
          fill(error, checked === 'wrong' ? 'Wrong API token.' : `The API did not answer: ${checked}`);
          input.focus();
          return;
        }
        token.set(value);
        started();
      },
    },
    h('h1', {}, 'Review console'),
    h('p', {}, 'Sign in with the API token. It is kept for this tab only.'),
    h('label', { for: 'api-token' }, 'API token'),
    input,
    h('button', { type: 'submit' }, 'Sign in'),
    error,
  );
  fill(main, form);
  input.focus();
}

function started() {
  nav.hidden = false;
  signOutButton.hidden = false;
  route();
  startLive();
}

whenUnauthorized(() => signOut('The API refused the token; sign in again.'));
signOutButton.addEventListener('click', () => signOut());
window.addEventListener('hashchange', route);
if (token.get()) started();
else signIn();
