// Arrivals: scan parcels into a batch, check the batch in at once, shelve by slot.
// A scanner types the code and Enter; our tracking numbers are RP + 12 digits, any
// other number is taken as another carrier's parcel, which needs carrier and phone.

import { call } from './api.js';
import { h, fill, field, notice, describe, busy } from './dom.js';
import { t, fmt, language } from './i18n.js';

const OURS = /^RP\d{12}$/;
export const CARRIERS = [
  ['sf-express', '顺丰速运', 'SF Express'],
  ['zto', '中通快递', 'ZTO Express'],
  ['yto', '圆通速递', 'YTO Express'],
  ['yunda', '韵达快递', 'Yunda Express'],
  ['sto', '申通快递', 'STO Express'],
  ['jtexpress', '极兔速递', 'J&T Express'],
  ['jd', '京东物流', 'JD Logistics'],
  ['ems', '中国邮政 EMS', 'China Post EMS'],
];

export function carrierName(code) {
  const found = CARRIERS.find(([value]) => value === code);
  if (!found) return code === 'ruralpost' ? t('ours') : code;
  return language() === 'en' ? found[2] : found[1];
}

/** Batches survive switching tabs or language: one per point, until checked in. */
const batches = new Map();
let lastCarrier = '';

export function arrivalsTab(ctx) {
  const batch = batches.get(ctx.point.id) || [];
  batches.set(ctx.point.id, batch);
  let counter = ctx.counter();
  let result = null;

  const scan = field(t('scanLabel'), 'trackingNo', {
    class: 'scan', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', enterkeyhint: 'enter',
  });
  const addButton = h('button', { type: 'submit', class: 'big' }, t('add'));
  // The button sits beside the input, the field's error under both.
  const scanRow = h('div', { class: 'scanrow' });
  scan.input.replaceWith(scanRow);
  scanRow.append(scan.input, addButton);
  scan.input.addEventListener('input', () => scan.error(''));
  const form = h('form', { class: 'scanform', onsubmit: (event) => { event.preventDefault(); add(); } },
    scan.wrap, h('p', { class: 'hint' }, t('scanHint')));
  const capacity = h('div', { id: 'capacity' });
  const list = h('ol', { class: 'batch', id: 'batch' });
  const title = h('h2', { id: 'batch-title' });
  const batchError = h('div', { class: 'batch-error', id: 'batch-error' });
  const submit = h('button', { type: 'button', class: 'primary big', id: 'checkin', onclick: () => busy(submit, send).then(checkCapacity) }, t('checkIn'));
  const output = h('section', { class: 'result', id: 'arrivals-result', 'aria-live': 'polite' });
  const element = h('div', { class: 'arrivals' }, form, capacity, h('section', { class: 'card' }, title, list, batchError, submit), output);

  function add() {
    const trackingNo = scan.input.value.trim().toUpperCase().replace(/\s+/g, '');
    scan.error('');
    if (!trackingNo) return;
    if (batch.some((p) => p.trackingNo === trackingNo)) {
      scan.error(t('alreadyInBatch'));
      scan.input.select();
      return;
    }
    const foreign = !OURS.test(trackingNo);
    batch.push({ trackingNo, foreign, carrier: foreign ? lastCarrier : '', phone: '', name: '', errors: {} });
    scan.input.value = '';
    result = null;
    renderBatch();
    if (foreign) focusRow(batch.length - 1, lastCarrier ? 'recipientPhone' : 'carrier');
    else scan.input.focus();
  }

  function focusRow(index, name) {
    list.querySelector(`[data-row="${index}"] [name="parcels[${index}].${name}"]`)?.focus();
  }

  function renderBatch() {
    fill(title, t('batchTitle', { n: fmt.int(batch.length) }));
    fill(list, batch.length ? batch.map(row) : h('li', { class: 'empty hint' }, t('batchEmpty')));
    fill(batchError);
    checkCapacity();
    renderResult();
  }

  function row(parcel, index) {
    const prefix = `parcels[${index}]`;
    const toggle = h('div', { class: 'segmented', role: 'group' },
      ...[[false, t('ours')], [true, t('otherCarrier')]].map(([foreign, label]) => h('button', {
        type: 'button', 'aria-pressed': String(parcel.foreign === foreign), onclick: () => {
          parcel.foreign = foreign;
          if (foreign && !parcel.carrier) parcel.carrier = lastCarrier;
          renderBatch();
          if (foreign) focusRow(index, parcel.carrier ? 'recipientPhone' : 'carrier');
        },
      }, label)));
    const head = h('div', { class: 'rowhead' },
      h('span', { class: 'seq' }, fmt.int(index + 1)), h('span', { class: 'tracking' }, parcel.trackingNo), toggle,
      h('button', { type: 'button', class: 'link danger', 'aria-label': `${t('remove')} ${parcel.trackingNo}`, onclick: () => {
        batch.splice(index, 1);
        renderBatch();
        scan.input.focus();
      } }, t('remove')));
    const rowError = h('p', { class: 'field-error', role: 'alert', dataset: { for: `${prefix}.trackingNo` } },
      parcel.errors.trackingNo || parcel.errors.row || '');
    const parts = [head, rowError];
    if (parcel.foreign) {
      const carrier = field(t('carrier'), `${prefix}.carrier`, { required: true }, {
        tag: 'select', options: [['', t('chooseCarrier')], ...CARRIERS.map(([value]) => [value, carrierName(value)])],
      });
      carrier.input.value = parcel.carrier;
      carrier.input.addEventListener('change', () => {
        parcel.carrier = carrier.input.value;
        lastCarrier = parcel.carrier;
        carrier.error('');
        if (parcel.carrier) phone.input.focus();
      });
      carrier.error(parcel.errors.carrier);
      const phone = field(t('recipientPhone'), `${prefix}.recipientPhone`, {
        type: 'tel', inputmode: 'tel', autocomplete: 'off', value: parcel.phone, required: true,
      });
      phone.input.addEventListener('input', () => { parcel.phone = phone.input.value.trim(); phone.error(''); });
      // Enter after the phone goes back to scanning the next parcel.
      phone.input.addEventListener('keydown', (event) => {
        if (event.key === 'Enter') { event.preventDefault(); scan.input.focus(); }
      });
      phone.error(parcel.errors.recipientPhone);
      const name = field(t('recipientName'), `${prefix}.recipientName`, { autocomplete: 'off', value: parcel.name });
      name.input.addEventListener('input', () => { parcel.name = name.input.value.trim(); });
      name.input.addEventListener('keydown', (event) => {
        if (event.key === 'Enter') { event.preventDefault(); scan.input.focus(); }
      });
      name.error(parcel.errors.recipientName);
      parts.push(h('div', { class: 'foreign grid3' }, carrier.wrap, phone.wrap, name.wrap));
    }
    return h('li', { class: `parcel${Object.values(parcel.errors).some(Boolean) ? ' invalid' : ''}`, dataset: { row: index } }, parts);
  }

  /** A full point, or a batch bigger than the free slots, is shown before sending. */
  function checkCapacity() {
    const c = counter;
    let message = null;
    if (c && c.freeSlots === 0) message = notice('error', t('full'), t('pointFull'));
    else if (c && batch.length > c.freeSlots) {
      message = notice('warn', null, t('notEnoughSlots', { free: fmt.int(c.freeSlots), n: fmt.int(batch.length), extra: fmt.int(batch.length - c.freeSlots) }));
    }
    fill(capacity, message);
    submit.disabled = !batch.length || Boolean(c && batch.length > c.freeSlots);
  }

  function validate() {
    let ok = true;
    for (const parcel of batch) {
      parcel.errors = {};
      if (!parcel.foreign) continue;
      if (!parcel.carrier) { parcel.errors.carrier = t('needCarrier'); ok = false; }
      if ((parcel.phone.match(/\d/g) || []).length < 4) { parcel.errors.recipientPhone = t('needPhone'); ok = false; }
    }
    return ok;
  }

  async function send() {
    scan.error('');
    if (!batch.length) return;
    if (!validate()) {
      renderBatch();
      const first = batch.findIndex((p) => Object.values(p.errors).some(Boolean));
      focusRow(first, batch[first].errors.carrier ? 'carrier' : 'recipientPhone');
      return;
    }
    const parcels = batch.map((p) => (p.foreign
      ? { trackingNo: p.trackingNo, carrier: p.carrier, recipientPhone: p.phone, ...(p.name ? { recipientName: p.name } : {}) }
      : { trackingNo: p.trackingNo }));
    const reply = await call('POST', `/v1/pickup-points/${ctx.point.id}/arrivals`, { body: { parcels } });
    if (reply.ok) {
      result = reply.data.items;
      batch.splice(0, batch.length);
      renderBatch();
      ctx.refreshCounter();
      scan.input.focus();
      return;
    }
    showError(reply);
  }

  function showError(reply) {
    const fieldName = reply.error?.field || '';
    const match = /^parcels\[(\d+)\](?:\.(\w+))?$/.exec(fieldName);
    if (match && batch[Number(match[1])]) {
      const index = Number(match[1]);
      const parcel = batch[index];
      const sub = match[2] || 'row';
      let text = reply.error.message;
      if (reply.status === 422 && sub === 'trackingNo' && /unknown tracking number/.test(text)) {
        // Not ours after all: describe it as another carrier's parcel.
        parcel.foreign = true;
        if (!parcel.carrier) parcel.carrier = lastCarrier;
        text = t('unknownTracking');
      } else if (reply.status === 409) {
        text = `${t('notOutForDelivery')} ${t('apiSays', { message: text })}`;
      } else {
        text = t('apiSays', { message: text });
      }
      parcel.errors = { [sub]: text };
      renderBatch();
      if (parcel.foreign) focusRow(index, parcel.carrier ? 'recipientPhone' : 'carrier');
      return;
    }
    if (reply.status === 409 && fieldName === 'parcels') {
      ctx.refreshCounter();
      fill(batchError, notice('error', t('full'), t('apiSays', { message: reply.error.message })));
      return;
    }
    fill(batchError, notice('error', null, describe(reply)));
  }

  function renderResult() {
    if (!result) return fill(output);
    const items = [...result].sort((a, b) => a.slotNo - b.slotNo);
    fill(output, h('div', { class: 'notice ok' },
      h('strong', {}, t('checkedInTitle', { n: fmt.int(items.length) })),
      h('ul', { class: 'slots' }, items.map((p) => h('li', { class: 'slotcard', dataset: { tracking: p.trackingNo } },
        h('span', { class: 'slotno' }, t('slot', { n: p.slotNo })),
        h('span', { class: 'tracking' }, p.trackingNo),
        h('span', { class: 'meta' }, `${carrierName(p.carrier)} · ${t('phoneEnds', { last4: p.recipientPhoneLast4 })} · ${t('holdUntil', { date: fmt.dateTime(p.holdUntil) })}`))))));
  }

  renderBatch();
  return {
    element,
    focus: () => scan.input.focus(),
    onCounter: (c) => { counter = c; checkCapacity(); },
  };
}
