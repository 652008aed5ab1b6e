// Small DOM helpers. Text always goes in as text (never as HTML), so data from the
// API (names, tracking numbers, messages) cannot inject markup.

import { t } from './i18n.js';

let uid = 0;

/** `h('button', { class: 'primary', onclick }, 'Save')`: an element with attributes and children. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name === 'value') el.value = value;
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
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

/** Replaces the children of `el`. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/**
 * A labelled form field with a place for its error: `{ wrap, input, error(msg) }`.
 * `name` is the API's field name, so an API error naming it lands here.
 */
export function field(label, name, inputAttrs = {}, { tag = 'input', options = [] } = {}) {
  const id = `f${++uid}`;
  const errorId = `${id}-err`;
  const input = h(tag, { id, name, 'aria-describedby': errorId, ...inputAttrs },
    ...options.map(([value, text]) => h('option', { value }, text)));
  const message = h('p', { class: 'field-error', id: errorId, role: 'alert', dataset: { for: name } });
  const wrap = h('div', { class: 'field', dataset: { field: name } }, h('label', { for: id }, label), input, message);
  const error = (text) => {
    message.textContent = text || '';
    input.toggleAttribute('aria-invalid', Boolean(text));
    wrap.classList.toggle('invalid', Boolean(text));
  };
  return { wrap, input, error };
}

/** A message box: kind `ok`, `warn`, `error` or `info`. */
export function notice(kind, title, ...lines) {
  return h('div', { class: `notice ${kind}`, role: kind === 'error' || kind === 'warn' ? 'alert' : 'status' },
    title ? h('strong', {}, title) : null,
    ...lines.filter(Boolean).map((line) => (line instanceof Node ? line : h('p', {}, line))));
}

/** Plain words for an API error no field owns (network, 5xx, anything unexpected). */
export function describe(result) {
  if (result.status === 0) return t('network');
  if (result.status >= 500) return t('serverError', { status: result.status });
  return result.error?.message ? t('apiSays', { message: result.error.message }) : t('serverError', { status: result.status });
}

/** Disables `button` while `work` runs (no double submits from a double tap). */
export async function busy(button, work) {
  if (button.disabled) return undefined;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}
