/**
 * The token lives in sessionStorage: it stays for this tab (and survives a reload) and is gone when the
 * tab closes. It goes only into the Authorization header, never into a URL.
 */
const KEY = 'hardfix.apiToken';

export const token = {
  get: () => sessionStorage.getItem(KEY),
  set: (value) => sessionStorage.setItem(KEY, value),
  clear: () => sessionStorage.removeItem(KEY),
};

/** An answer other than 2xx, with the API's `{error, message}` body. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.error ?? 'http_error';
    this.body = body;
  }
}

/** Called when the API says the token is wrong, so the page can ask for it again. */
let onUnauthorized = () => {};
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

export async function api(method, path, body) {
  const headers = { authorization: `Bearer ${token.get() ?? ''}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = { error: 'not_json', message: text.slice(0, 500) };
  }
  if (res.status === 401) onUnauthorized();
  if (!res.ok) throw new ApiError(res.status, parsed);
  return parsed;
}

/** Whether the API takes `value` as its token: 'ok', 'wrong', or the reason it did not answer. */
export async function checkToken(value) {
  try {
    const res = await fetch('/review?limit=1', { headers: { authorization: `Bearer ${value}` } });
    return res.ok ? 'ok' : res.status === 401 ? 'wrong' : `HTTP ${res.status}`;
  } catch (err) {
    return err instanceof Error ? err.message : 'no answer';
  }
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body ?? {});
export const del = (path) => api('DELETE', path);
