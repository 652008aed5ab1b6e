// Produce to collect (揽收): register what villagers hand in for a merchant, see and
// cancel the open registrations. Weight and volume are asked in kg and litres and
// sent as the API's grams and cm3.

import { call, listAll } from './api.js';
import { h, fill, field, notice, describe, busy } from './dom.js';
import { t, fmt, today } from './i18n.js';

export function produceTab(ctx) {
  const fields = {
    merchant: field(t('merchant'), 'merchant', { autocomplete: 'off', autocapitalize: 'characters', required: true }),
    grams: field(t('weightKg'), 'grams', { type: 'number', inputmode: 'decimal', min: '0', step: '0.1', required: true }),
    cm3: field(t('volumeL'), 'cm3', { type: 'number', inputmode: 'decimal', min: '0', step: '0.1', required: true }),
    destination: field(t('destination'), 'destination', { autocomplete: 'off', required: true }),
    readyDate: field(t('readyDate'), 'readyDate', { type: 'date', min: today(), value: today(), required: true }),
  };
  const submit = h('button', { type: 'submit', class: 'primary big', id: 'register' }, t('register'));
  const formMessage = h('div', { id: 'produce-message', 'aria-live': 'polite' });
  const form = h('form', { class: 'card produce', novalidate: true, onsubmit: (event) => { event.preventDefault(); busy(submit, register); } },
    h('h2', {}, t('produceTitle')),
    h('div', { class: 'grid2' }, fields.merchant.wrap, fields.destination.wrap, fields.grams.wrap, fields.cm3.wrap, fields.readyDate.wrap),
    submit, formMessage);
  const list = h('ul', { class: 'collections', id: 'collections' });
  const listMessage = h('div', { 'aria-live': 'polite' });
  for (const f of Object.values(fields)) f.input.addEventListener('input', () => f.error(''));

  function read() {
    let ok = true;
    const value = (name) => fields[name].input.value.trim();
    for (const name of ['merchant', 'destination', 'readyDate']) {
      if (!value(name)) { fields[name].error(t('required')); ok = false; }
    }
    const amount = (name) => {
      const n = Number(value(name));
      if (!value(name) || !Number.isFinite(n) || n <= 0) { fields[name].error(t('positiveNumber')); ok = false; return 0; }
      return Math.max(1, Math.round(n * 1000));
    };
    const body = {
      merchant: value('merchant').toUpperCase(), grams: amount('grams'), cm3: amount('cm3'),
      destination: value('destination'), readyDate: value('readyDate'),
    };
    if (!ok) form.querySelector('.field.invalid input')?.focus();
    return ok ? body : null;
  }

  async function register() {
    fill(formMessage);
    const body = read();
    if (!body) return;
    const reply = await call('POST', `/v1/pickup-points/${ctx.point.id}/collections`, { body });
    if (reply.ok) {
      fill(formMessage, notice('ok', null, t('registeredOk', { tracking: reply.data.trackingNo || reply.data.id })));
      for (const name of ['grams', 'cm3']) fields[name].input.value = '';
      fields.grams.input.focus();
      await load();
      return;
    }
    const target = fields[reply.error?.field];
    if (target && reply.status === 422) {
      target.error(t('apiSays', { message: reply.error.message }));
      target.input.focus();
    } else {
      fill(formMessage, notice('error', null, describe(reply)));
    }
  }

  async function load() {
    const result = await listAll(`/v1/pickup-points/${ctx.point.id}/collections?status=open`);
    if (!result.ok) return fill(listMessage, notice('error', null, describe(result)));
    const items = result.data.sort((a, b) => a.readyDate.localeCompare(b.readyDate) || b.id - a.id);
    fill(list, items.length ? items.map(row) : h('li', { class: 'empty hint' }, t('noOpenCollections')));
  }

  function row(c) {
    const rowMessage = h('div', { class: 'rowmessage' });
    const cancel = h('button', { type: 'button', class: 'danger', onclick: () => {
      const reason = field(t('cancelReason'), 'reason', { autocomplete: 'off' });
      const confirm = h('button', { type: 'submit', class: 'danger' }, t('confirmCancel'));
      const form = h('form', { class: 'cancelform', onsubmit: (event) => {
        event.preventDefault();
        busy(confirm, async () => {
          const text = reason.input.value.trim();
          const reply = await call('POST', `/v1/pickup-points/${ctx.point.id}/collections/${c.id}/cancel`,
            text ? { body: { reason: text } } : {});
          if (!reply.ok) return fill(rowMessage, notice('error', null, describe(reply)));
          fill(listMessage, notice('ok', null, `${c.trackingNo || c.id}: ${t('cancelledOk')}`));
          await load();
        });
      } }, reason.wrap, h('div', { class: 'inline' }, confirm, h('button', { type: 'button', onclick: () => fill(rowMessage) }, t('cancel'))));
      fill(rowMessage, form);
      reason.input.focus();
    } }, t('cancelCollection'));
    return h('li', { class: 'collection', dataset: { id: c.id, tracking: c.trackingNo || '' } },
      h('div', { class: 'what' },
        h('span', { class: 'tracking' }, `${c.merchant} → ${c.destination}`),
        h('span', { class: 'meta' }, `${fmt.kg(c.grams)} · ${fmt.litres(c.cm3)} · ${t('ready', { date: fmt.day(c.readyDate) })}`),
        c.trackingNo ? h('span', { class: 'meta mono' }, c.trackingNo) : null),
      h('div', { class: 'actions' }, cancel), rowMessage);
  }

  load();
  return {
    element: h('div', { class: 'produceview' }, form, h('section', { class: 'card' }, h('h2', {}, t('openCollections')), listMessage, list)),
    focus: () => fields.merchant.input.focus(),
  };
}
