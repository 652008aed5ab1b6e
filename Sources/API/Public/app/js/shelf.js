// The shelf: waiting parcels, found by the last 4 digits of a phone; deadlines
// highlighted; extend a hold once; unlock a locked parcel with a reason.

import { call, listAll } from './api.js';
import { h, fill, field, notice, describe, busy } from './dom.js';
import { t, fmt } from './i18n.js';
import { carrierName } from './arrivals.js';

const DAY_MS = 24 * 3600 * 1000;

export function shelfTab(ctx) {
  const last4 = field(t('searchLast4'), 'phoneLast4', {
    inputmode: 'numeric', maxlength: 4, pattern: '[0-9]{4}', autocomplete: 'off', class: 'code', value: ctx.extra || '',
  });
  const find = h('button', { type: 'submit', class: 'big' }, t('search'));
  const all = h('button', { type: 'button', class: 'big secondary', onclick: () => { last4.input.value = ''; load(); } }, t('showAll'));
  const form = h('form', { class: 'card searchform', novalidate: true, onsubmit: (event) => { event.preventDefault(); busy(find, load); } },
    h('div', { class: 'inline' }, last4.wrap, find, all));
  const summary = h('p', { class: 'hint', id: 'shelf-count', 'aria-live': 'polite' });
  const list = h('ul', { class: 'shelf', id: 'shelf' });
  const message = h('div', { id: 'shelf-message', 'aria-live': 'polite' });
  last4.input.addEventListener('input', () => {
    last4.input.value = last4.input.value.replace(/\D/g, '').slice(0, 4);
    last4.error('');
  });

  async function load() {
    const digits = last4.input.value;
    if (digits && !/^\d{4}$/.test(digits)) return last4.error(t('last4Format'));
    const result = await listAll(`/v1/pickup-points/${ctx.point.id}/pickups${digits ? `?phoneLast4=${digits}` : ''}`);
    if (!result.ok) {
      if (result.error?.field === 'phoneLast4') return last4.error(t('apiSays', { message: result.error.message }));
      return fill(message, notice('error', null, describe(result)));
    }
    // Most urgent first: the shelf is worked from the deadline.
    const items = result.data.sort((a, b) => Date.parse(a.holdUntil) - Date.parse(b.holdUntil) || a.slotNo - b.slotNo);
    fill(summary, items.length ? t('shelfCount', { n: fmt.int(items.length) }) : '');
    fill(list, items.length ? items.map(row) : h('li', { class: 'empty hint' }, t('shelfEmpty')));
  }

  function row(p) {
    const due = Date.parse(p.holdUntil);
    const now = Date.now();
    const state = due <= now ? 'overdue' : due - now <= DAY_MS ? 'soon' : 'ok';
    const deadlineText = t(state === 'overdue' ? 'deadlineOverdue' : state === 'soon' ? 'deadlineSoon' : 'deadline',
      { date: fmt.dateTime(p.holdUntil) });
    const actions = h('div', { class: 'actions' });
    const rowMessage = h('div', { class: 'rowmessage', 'aria-live': 'polite' });
    const item = h('li', { class: `pickup ${state}${p.locked ? ' is-locked' : ''}`, dataset: { tracking: p.trackingNo, pickup: p.id } },
      h('span', { class: 'slotno' }, t('slot', { n: p.slotNo })),
      h('div', { class: 'what' },
        h('span', { class: 'tracking' }, p.trackingNo),
        h('span', { class: 'meta' }, `${carrierName(p.carrier)} · ${t('phoneEnds', { last4: p.recipientPhoneLast4 })} · ${t('checkedInAt', { date: fmt.dateTime(p.checkedInAt) })}`),
        h('span', { class: `deadline ${state}` }, deadlineText),
        h('span', { class: 'badges' },
          p.extended ? h('span', { class: 'badge' }, t('extended')) : null,
          p.locked ? h('span', { class: 'badge bad' }, t('lockedAfter', { n: fmt.int(p.failedAttempts) })) : null)),
      actions, rowMessage);

    if (!p.extended && state !== 'overdue') {
      const extend = h('button', { type: 'button', class: 'extend', onclick: () => busy(extend, async () => {
        const reply = await call('POST', `/v1/pickup-points/${ctx.point.id}/pickups/${p.id}/extend`);
        if (!reply.ok) return fill(rowMessage, notice('error', null, describe(reply)));
        await load();
        fill(message, notice('ok', null, `${p.trackingNo}: ${t('extendedOk', { date: fmt.dateTime(reply.data.holdUntil) })}`));
        ctx.refreshCounter();
      }) }, t('extend'));
      actions.append(extend);
    }
    if (p.locked) {
      const unlock = h('button', { type: 'button', class: 'unlock primary', onclick: () => showUnlock() }, t('unlock'));
      actions.append(unlock);
      const showUnlock = () => {
        const reason = field(t('unlockReason'), 'reason', { autocomplete: 'off', placeholder: t('unlockReasonPlaceholder'), required: true });
        const confirm = h('button', { type: 'submit', class: 'primary' }, t('confirmUnlock'));
        const form = h('form', { class: 'unlockform', novalidate: true, onsubmit: (event) => {
          event.preventDefault();
          busy(confirm, async () => {
            const text = reason.input.value.trim();
            if (!text) return reason.error(t('needReason'));
            const reply = await call('POST', `/v1/pickup-points/${ctx.point.id}/pickups/${p.id}/unlock`, { body: { reason: text } });
            if (!reply.ok) {
              return reply.error?.field === 'reason' ? reason.error(t('apiSays', { message: reply.error.message }))
                : fill(rowMessage, notice('error', null, describe(reply)));
            }
            await load();
            fill(message, notice('ok', null, `${p.trackingNo}: ${t('unlockedOk')}`));
            ctx.refreshCounter();
          });
        } }, reason.wrap, h('div', { class: 'inline' }, confirm,
          h('button', { type: 'button', onclick: () => fill(rowMessage) }, t('cancel'))));
        fill(rowMessage, form);
        reason.input.focus();
      };
    }
    return item;
  }

  load();
  return {
    element: h('div', { class: 'shelfview' }, form, message, summary, list),
    focus: () => last4.input.focus(),
  };
}
