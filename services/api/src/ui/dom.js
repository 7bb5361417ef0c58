/**
 * The one way this page makes elements. Every string goes in as a text node or an attribute value,
 * never as HTML, so a project's code, errors or names cannot become markup or script.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'value') el.value = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces everything inside `el`. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** "3 min ago" from an ISO time. */
export function age(iso) {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

/** A unified diff (lines starting with ` `, `-`, `+` or `@@`), each line coloured by its kind. */
export function diffView(text) {
  return h(
    'pre',
    { class: 'diff' },
    text.split('\n').map((line) => h('span', { class: lineKind(line) }, line)),
  );
}

function lineKind(line) {
  if (/^(---|\+\+\+|Index: |====)/.test(line)) return 'head';
  if (line.startsWith('@@')) return 'hunk';
  if (line.startsWith('+')) return 'add';
  if (line.startsWith('-')) return 'del';
  return 'ctx';
}

/** The error of an attempt or a failure: "Type: message" (where, when known). */
export function errorLine(error) {
  if (!error) return '';
  const where = error.file ? ` (${error.file}${error.line ? `:${error.line}` : ''})` : '';
  return `${error.type}: ${error.message}${where}`;
}
