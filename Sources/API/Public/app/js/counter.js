// The counter of a service centre: one pickup point at a time, its numbers always in
// view, and four tabs (arrivals, hand-over, the shelf, produce to collect).
// Hash: #/counter/<pointId>/<tab>[/<phone last 4>]

import { call, listAll } from './api.js';
import { h, fill, notice, describe } from './dom.js';
import { t, fmt } from './i18n.js';
import { arrivalsTab } from './arrivals.js';
import { handoverTab } from './handover.js';
import { shelfTab } from './shelf.js';
import { produceTab } from './produce.js';

const TABS = [
  ['arrivals', 'tabArrivals', arrivalsTab],
  ['handover', 'tabHandover', handoverTab],
  ['shelf', 'tabShelf', shelfTab],
  ['produce', 'tabProduce', produceTab],
];
const POINT = 'ruralpost.point';
/** The counter numbers refresh this often even when nothing is done at this screen. */
const REFRESH_MS = 20000;

export class CounterScreen {
  constructor(rest) {
    this.rest = rest;
    this.points = [];
    this.counter = null;
    this.tab = null;
    this.timer = null;
    this.numbers = h('dl', { class: 'numbers', 'aria-live': 'polite', id: 'counter-numbers' });
    this.pointbox = h('div', { class: 'pointpick' });
    this.tabs = h('nav', { class: 'tabs', 'aria-label': t('counterNav') });
    this.panel = h('section', { class: 'panel', id: 'panel' });
    // Only the numbers stay pinned while scrolling: on a phone every line counts.
    this.element = h('main', { class: 'counter' },
      this.pointbox, h('section', { class: 'pointbar' }, this.numbers), this.tabs, this.panel);
  }

  follows(name) {
    return name === 'counter' || name === '';
  }

  async start() {
    fill(this.panel, h('p', { class: 'hint' }, t('loading')));
    const points = await listAll('/v1/pickup-points');
    if (!points.ok) return fill(this.panel, notice('error', null, describe(points)));
    this.points = points.data.filter((p) => p.active !== false);
    if (!this.points.length) return fill(this.panel, notice('warn', null, t('noPoints')));
    this.timer = setInterval(() => this.refreshCounter(), REFRESH_MS);
    this.navigate(this.rest);
  }

  stop() {
    clearInterval(this.timer);
    this.tab?.stop?.();
  }

  /** Shows the point and tab the hash names (defaults: last point used, arrivals). */
  navigate(rest) {
    // A hash change while the list is still loading: start() shows it when loaded.
    if (!this.points.length) { this.rest = rest; return; }
    const wanted = Number(rest[0]) || Number(sessionStorage.getItem(POINT));
    const point = this.points.find((p) => p.id === wanted) || this.points[0];
    const tabName = TABS.some(([name]) => name === rest[1]) ? rest[1] : 'arrivals';
    const hash = `#/counter/${point.id}/${tabName}${rest[2] ? `/${rest[2]}` : ''}`;
    if (location.hash !== hash) history.replaceState(null, '', hash);
    const samePoint = this.point?.id === point.id;
    this.point = point;
    sessionStorage.setItem(POINT, String(point.id));
    this.renderPointPicker();
    this.renderTabs(tabName);
    this.tab?.stop?.();
    const make = TABS.find(([name]) => name === tabName)[2];
    this.tab = make({
      point,
      counter: () => this.counter,
      refreshCounter: () => this.refreshCounter(),
      go: (tab, extra) => { location.hash = `#/counter/${point.id}/${tab}${extra ? `/${extra}` : ''}`; },
      extra: rest[2],
    });
    fill(this.panel, this.tab.element);
    if (!samePoint) this.counter = null;
    this.refreshCounter();
    this.tab.focus?.();
  }

  renderPointPicker() {
    if (this.points.length === 1) {
      fill(this.pointbox, h('h1', { class: 'pointname' }, this.point.name, h('small', {}, this.point.code)));
      return;
    }
    const select = h('select', { id: 'point', 'aria-label': t('point'), onchange: () => {
      location.hash = `#/counter/${select.value}/${location.hash.split('/')[3] || 'arrivals'}`;
    } }, this.points.map((p) => h('option', { value: p.id, selected: p.id === this.point.id }, `${p.name} · ${p.code}`)));
    fill(this.pointbox, h('label', { class: 'pointlabel', for: 'point' }, t('point')), select);
  }

  renderTabs(active) {
    fill(this.tabs, TABS.map(([name, label]) => h('a', {
      href: `#/counter/${this.point.id}/${name}`, id: `tab-${name}`, class: name === active ? 'active' : '',
      'aria-current': name === active ? 'page' : null,
    }, t(label))));
  }

  async refreshCounter() {
    if (!this.point) return;
    const pointId = this.point.id;
    const result = await call('GET', `/v1/pickup-points/${pointId}/counter`);
    if (!result.ok || pointId !== this.point.id) return;
    this.counter = result.data;
    this.renderNumbers();
    this.tab?.onCounter?.(this.counter);
  }

  renderNumbers() {
    const c = this.counter;
    const item = (id, label, value, extra, cls) => h('div', { class: `num ${cls || ''}`, id: `num-${id}` },
      h('dt', {}, label), h('dd', {}, value, extra ? h('small', {}, extra) : null));
    fill(this.numbers,
      item('waiting', t('waiting'), fmt.int(c.waiting)),
      item('free', t('freeSlots'), c.full ? t('full') : fmt.int(c.freeSlots), t('ofCapacity', { n: fmt.int(c.slotCapacity) }),
        c.full ? 'bad' : c.freeSlots <= Math.max(2, c.slotCapacity * 0.1) ? 'warn' : ''),
      item('due', t('dueToday'), fmt.int(c.dueToday), null, c.dueToday ? 'warn' : ''),
      item('overdue', t('overdue'), fmt.int(c.overdue), null, c.overdue ? 'bad' : ''),
      item('locked', t('locked'), fmt.int(c.locked), null, c.locked ? 'bad' : ''),
      item('collected', t('collectedToday'), fmt.int(c.collectedToday)));
  }
}
