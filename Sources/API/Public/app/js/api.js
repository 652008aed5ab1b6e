// The RuralPost HTTP API as the screens use it: same origin, bearer key, JSON errors.
// Every call resolves (never throws for HTTP errors) to { ok, status, data, error,
// retryAfter } so each screen decides what to show next to which field.

const KEY = 'ruralpost.key';

/** The key of this browser tab's session (sessionStorage: gone when the tab closes). */
export function storedKey() {
  return sessionStorage.getItem(KEY) || '';
}

export function storeKey(key) {
  if (key) sessionStorage.setItem(KEY, key);
  else sessionStorage.removeItem(KEY);
}

/**
 * One request. `body` is sent as JSON when given. `accept: 'text'` reads the body as
 * text (the plan map). A network failure is status 0 with error code `network`.
 */
export async function call(method, path, { body, accept = 'json', key = storedKey() } = {}) {
  const headers = { Accept: accept === 'json' ? 'application/json' : 'text/html' };
  if (key) headers.Authorization = `Bearer ${key}`;
  const init = { method, headers, cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (err) {
    return { ok: false, status: 0, data: null, error: { code: 'network', message: String(err) } };
  }
  const retryAfter = Number(response.headers.get('Retry-After')) || null;
  const isJSON = (response.headers.get('Content-Type') || '').startsWith('application/json');
  let data = null;
  try {
    data = isJSON ? await response.json() : await response.text();
  } catch {
    data = null;
  }
  if (response.ok) return { ok: true, status: response.status, data, error: null, retryAfter };
  // The session's key was revoked meanwhile: the page goes back to sign-in.
  if (response.status === 401 && key && key === storedKey()) window.dispatchEvent(new Event('ruralpost:unauthorized'));
  const error = (isJSON && data && data.error) || { code: `http_${response.status}`, message: response.statusText };
  return { ok: false, status: response.status, data: null, error, retryAfter };
}

/** Every item of a paged list (follows `nextCursor`), at most `max` items. */
export async function listAll(path, { max = 2000, key } = {}) {
  const items = [];
  let cursor = null;
  const sep = path.includes('?') ? '&' : '?';
  for (;;) {
    const page = await call('GET', `${path}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { key });
    if (!page.ok) return page;
    items.push(...page.data.items);
    cursor = page.data.nextCursor;
    if (!cursor || items.length >= max) return { ok: true, status: 200, data: items, error: null };
  }
}

/**
 * What a key may do, found by harmless reads: the counter needs a service-centre (or
 * admin) key, plan review a planner (or admin) key. Notifications are readable by
 * admin and service_centre only; the plan list answers 403 to other roles before it
 * looks at its query, so without a depot it is 422 for planners and 403 for the rest.
 */
export async function probe(key) {
  const points = await call('GET', '/v1/pickup-points?limit=1', { key });
  if (points.status === 401) return { valid: false, error: points.error };
  if (points.status === 0) return { valid: false, error: points.error };
  const [notes, plans] = await Promise.all([
    call('GET', '/v1/notifications?limit=1', { key }),
    call('GET', '/v1/route-plans', { key }),
  ]);
  return { valid: true, counter: notes.ok, plans: plans.status === 422 };
}
