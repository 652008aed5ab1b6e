// Hand-over: the villager says the pickup code and the last 4 digits of the phone;
// success shows which slots to fetch. Wrong codes, locked parcels and the rate limit
// are explained in plain words with what staff can do.

import { call } from './api.js';
import { h, fill, field, notice, describe, busy } from './dom.js';
import { t, fmt } from './i18n.js';
import { carrierName } from './arrivals.js';

/** Tries left, from the API's message (`...; 3 attempt(s) left ...`, `now locked`). */
export function triesLeft(message) {
  if (/now locked/.test(message || '')) return 0;
  const match = /(\d+) attempt\(s\) left/.exec(message || '');
  return match ? Number(match[1]) : null;
}

/** A rate-limit pause survives switching tabs: until when, per point. */
const pausedUntil = new Map();

export function handoverTab(ctx) {
  const code = field(t('codeLabel'), 'code', {
    inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6, pattern: '[0-9]{6}', class: 'code', enterkeyhint: 'next',
  });
  const last4 = field(t('phoneLast4Label'), 'phoneLast4', {
    inputmode: 'numeric', autocomplete: 'off', maxlength: 4, pattern: '[0-9]{4}', class: 'code', enterkeyhint: 'go',
  });
  const by = field(t('collectedByLabel'), 'collectedBy', { autocomplete: 'off', placeholder: t('collectedByRecipient') });
  const submit = h('button', { type: 'submit', class: 'primary big', id: 'handover' }, t('handOver'));
  const output = h('section', { class: 'result', id: 'handover-result', 'aria-live': 'polite' });
  let timer = null;

  const form = h('form', { class: 'card handover', novalidate: true, onsubmit: (event) => {
    event.preventDefault();
    busy(submit, send).then(updatePause);
  } }, h('div', { class: 'grid2' }, code.wrap, last4.wrap), by.wrap, submit);

  // Six digits typed (or scanned): on to the phone digits.
  code.input.addEventListener('input', () => {
    code.input.value = code.input.value.replace(/\D/g, '').slice(0, 6);
    code.error('');
    if (code.input.value.length === 6 && !last4.input.value) last4.input.focus();
  });
  last4.input.addEventListener('input', () => {
    last4.input.value = last4.input.value.replace(/\D/g, '').slice(0, 4);
    last4.error('');
  });

  function validate() {
    let ok = true;
    if (!/^\d{6}$/.test(code.input.value)) { code.error(t('codeFormat')); ok = false; }
    if (!/^\d{4}$/.test(last4.input.value)) { last4.error(t('last4Format')); ok = false; }
    if (!ok) (/^\d{6}$/.test(code.input.value) ? last4.input : code.input).focus();
    return ok;
  }

  async function send() {
    fill(output);
    if (paused() || !validate()) return;
    const body = { code: code.input.value, phoneLast4: last4.input.value };
    const who = by.input.value.trim();
    body.collectedBy = who || 'recipient';
    const reply = await call('POST', `/v1/pickup-points/${ctx.point.id}/collect`, { body });
    if (reply.ok) {
      // Codes are single use; keep it off the screen for the next person in the queue.
      code.input.value = '';
      showSuccess(reply.data.items);
      ctx.refreshCounter();
      return;
    }
    const err = reply.error || {};
    if (reply.status === 422 && err.code === 'wrong_code') {
      const left = triesLeft(err.message);
      code.error(left === null ? t('wrongCodeNoMatch') : left === 0 ? t('wrongCodeNowLocked') : t('wrongCodeLeft', { n: fmt.int(left) }));
      if (left === 0) showLocked();
      code.input.select();
      code.input.focus();
      ctx.refreshCounter();
    } else if (reply.status === 423) {
      showLocked();
      ctx.refreshCounter();
    } else if (reply.status === 429) {
      pausedUntil.set(ctx.point.id, Date.now() + (reply.retryAfter || 60) * 1000);
      updatePause();
    } else if (reply.status === 422 && err.field && { code, phoneLast4: last4, collectedBy: by }[err.field]) {
      ({ code, phoneLast4: last4, collectedBy: by })[err.field].error(t('apiSays', { message: err.message }));
    } else {
      fill(output, notice('error', null, describe(reply)));
    }
  }

  function showSuccess(items) {
    const sorted = [...items].sort((a, b) => a.slotNo - b.slotNo);
    const next = h('button', { type: 'button', class: 'big', id: 'next-customer', onclick: reset }, t('nextCustomer'));
    fill(output, h('div', { class: 'notice ok', role: 'status' },
      h('strong', {}, t('handedOverTitle')),
      h('ul', { class: 'slots' }, sorted.map((p) => h('li', { class: 'slotcard', dataset: { tracking: p.trackingNo } },
        h('span', { class: 'slotno' }, t('slot', { n: p.slotNo })),
        h('span', { class: 'tracking' }, p.trackingNo),
        h('span', { class: 'meta' }, carrierName(p.carrier))))),
      next));
    next.focus();
  }

  function showLocked() {
    const digits = last4.input.value;
    fill(output, notice('error', t('lockedTitle'), t('lockedText'), t('lockedAction'),
      h('button', { type: 'button', class: 'big', id: 'go-unlock', onclick: () => ctx.go('shelf', digits) }, t('goUnlock'))));
  }

  function paused() {
    return (pausedUntil.get(ctx.point.id) || 0) > Date.now();
  }

  /** While paused: the explanation with a countdown, and no way to send. */
  function updatePause() {
    clearInterval(timer);
    if (!paused()) return;
    const explain = h('p', { id: 'rate-countdown' });
    const tick = () => {
      const seconds = Math.ceil(((pausedUntil.get(ctx.point.id) || 0) - Date.now()) / 1000);
      if (seconds <= 0) {
        clearInterval(timer);
        submit.disabled = false;
        explain.textContent = t('rateActionDone');
        return;
      }
      submit.disabled = true;
      explain.textContent = t('rateAction', { n: fmt.int(seconds) });
    };
    fill(output, notice('warn', t('rateTitle'), t('rateText'), explain));
    tick();
    timer = setInterval(tick, 1000);
  }

  function reset() {
    code.input.value = '';
    last4.input.value = '';
    by.input.value = '';
    code.error('');
    last4.error('');
    fill(output);
    code.input.focus();
  }

  updatePause();
  return {
    element: h('div', {}, form, output),
    focus: () => code.input.focus(),
    stop: () => clearInterval(timer),
  };
}
