// Plan review for planners: a depot's route plans by date, one plan with the same map
// and driver sheets as `plan.html`, committing a draft, queueing a plan for a day.
// Queued and running jobs are refreshed until they are done.
// Hash: #/plans/<depot code>/<YYYY-MM-DD | all>[/<plan id>]

import { call, listAll } from './api.js';
import { h, fill, field, notice, describe, busy } from './dom.js';
import { t, fmt, today } from './i18n.js';

const POLL_MS = 1500;
const DEPOT = 'ruralpost.depot';
const pending = (status) => status === 'queued' || status === 'running';

export class PlansScreen {
  constructor(rest) {
    this.rest = rest;
    this.depots = [];
    this.timer = null;
    this.controls = h('section', { class: 'card controls' });
    this.body = h('section', { class: 'planbody', id: 'plans' });
    this.element = h('main', { class: 'plans' }, this.controls, this.body);
  }

  follows(name) {
    return name === 'plans';
  }

  async start() {
    fill(this.body, h('p', { class: 'hint' }, t('loading')));
    const depots = await listAll('/v1/depots');
    if (!depots.ok) return fill(this.body, notice('error', null, describe(depots)));
    this.depots = depots.data;
    if (!this.depots.length) return fill(this.body, notice('warn', null, t('noDepots')));
    this.navigate(this.rest);
  }

  stop() {
    clearTimeout(this.timer);
  }

  navigate(rest) {
    // A hash change while the list is still loading: start() shows it when loaded.
    if (!this.depots.length) { this.rest = rest; return; }
    clearTimeout(this.timer);
    const depot = this.depots.find((d) => d.code === decodeURIComponent(rest[0] || ''))
      || this.depots.find((d) => d.code === sessionStorage.getItem(DEPOT)) || this.depots[0];
    const date = /^\d{4}-\d{2}-\d{2}$/.test(rest[1] || '') || rest[1] === 'all' ? rest[1] : today();
    const planId = Number(rest[2]) || null;
    const hash = `#/plans/${encodeURIComponent(depot.code)}/${date}${planId ? `/${planId}` : ''}`;
    if (location.hash !== hash) history.replaceState(null, '', hash);
    sessionStorage.setItem(DEPOT, depot.code);
    this.depot = depot;
    this.date = date;
    this.renderControls();
    if (planId) this.showPlan(planId);
    else this.showList();
  }

  go(depot, date, planId) {
    location.hash = `#/plans/${encodeURIComponent(depot)}/${date}${planId ? `/${planId}` : ''}`;
  }

  renderControls() {
    const depot = field(t('depot'), 'depot', {}, { tag: 'select', options: this.depots.map((d) => [d.code, `${d.name} · ${d.code}`]) });
    depot.input.value = this.depot.code;
    const date = field(t('planDate'), 'date', { type: 'date', value: this.date === 'all' ? '' : this.date });
    const show = h('button', { type: 'submit', class: 'big' }, t('showPlans'));
    const all = h('button', { type: 'button', class: 'big secondary', onclick: () => this.go(depot.input.value, 'all') }, t('allDates'));
    const timeLimit = field(t('timeLimit'), 'timeLimit', { type: 'number', min: '1', max: '3600', step: '1', value: '30', inputmode: 'numeric' });
    const queue = h('button', { type: 'button', class: 'primary big', id: 'queue-plan', onclick: () => busy(queue, async () => {
      depot.error(''); date.error(''); timeLimit.error('');
      const day = date.input.value || today();
      const reply = await call('POST', '/v1/route-plans', { body: { depot: depot.input.value, date: day, timeLimit: Number(timeLimit.input.value) || 30 } });
      if (reply.ok) return this.go(depot.input.value, day, reply.data.id);
      const target = { depot, date, timeLimit }[reply.error?.field];
      if (target && (reply.status === 422 || reply.status === 409)) target.error(t('apiSays', { message: reply.error.message }));
      else fill(this.body, notice('error', null, describe(reply)));
    }) }, t('queue'));
    fill(this.controls,
      h('form', { class: 'inline wrap', onsubmit: (event) => { event.preventDefault(); this.go(depot.input.value, date.input.value || 'all'); } },
        depot.wrap, date.wrap, show, all),
      h('details', { class: 'newplan' }, h('summary', {}, t('newPlan')), h('div', { class: 'inline wrap' }, timeLimit.wrap, queue)));
  }

  async showList() {
    const query = `/v1/route-plans?depot=${encodeURIComponent(this.depot.code)}${this.date !== 'all' ? `&date=${this.date}` : ''}`;
    const result = await listAll(query, { max: 500 });
    if (!result.ok) return fill(this.body, notice('error', null, describe(result)));
    const items = result.data;
    const refreshing = items.some((p) => pending(p.status));
    fill(this.body,
      refreshing ? h('p', { class: 'notice info', role: 'status' }, t('refreshing')) : null,
      items.length ? h('ul', { class: 'planlist' }, items.map((p) => this.planCard(p)))
        : h('p', { class: 'empty hint' }, t('plansEmpty')));
    if (refreshing) this.timer = setTimeout(() => this.showList(), POLL_MS);
  }

  planCard(p) {
    const totals = p.totals;
    return h('li', { class: `plancard ${p.status}`, dataset: { plan: p.id, status: p.status } },
      h('div', { class: 'planhead' },
        h('strong', {}, t('planNo', { id: p.id })), h('span', {}, fmt.day(p.date)), statusBadge(p.status)),
      totals ? totalsList(totals) : null,
      p.error ? h('p', { class: 'field-error' }, t('failedWhy', { error: p.error })) : null,
      h('p', { class: 'hint' }, t('queuedAt', { date: fmt.dateTime(p.createdAt) })),
      h('div', { class: 'actions' },
        h('a', { class: 'button', href: `#/plans/${encodeURIComponent(p.depot)}/${this.date}/${p.id}` }, t('open'))));
  }

  async showPlan(id) {
    const reply = await call('GET', `/v1/route-plans/${id}`);
    if (!reply.ok) return fill(this.body, notice('error', null, describe(reply)));
    const plan = reply.data;
    const back = h('a', { href: `#/plans/${encodeURIComponent(this.depot.code)}/${this.date}`, class: 'back' }, `← ${t('back')}`);
    const head = h('div', { class: 'planhead big' }, h('h1', {}, t('planNo', { id: plan.id })), h('span', {}, `${plan.depot} · ${fmt.day(plan.date)}`),
      statusBadge(plan.status));
    if (pending(plan.status)) {
      fill(this.body, back, head, h('p', { class: 'notice info', role: 'status', id: 'plan-refreshing' }, t('refreshing')));
      this.timer = setTimeout(() => this.showPlan(id), POLL_MS);
      return;
    }
    if (!plan.plan) {
      fill(this.body, back, head, notice('error', null, plan.error ? t('failedWhy', { error: plan.error }) : t('plansEmpty')));
      return;
    }
    const message = h('div', { id: 'plan-message', 'aria-live': 'polite' });
    const commitArea = h('div', { class: 'commit' });
    if (plan.status === 'draft') {
      const commit = h('button', { type: 'button', class: 'primary big', id: 'commit', onclick: () => {
        const yes = h('button', { type: 'button', class: 'primary big', id: 'commit-yes', onclick: () => busy(yes, async () => {
          const done = await call('POST', `/v1/route-plans/${id}/commit`);
          if (!done.ok) return fill(message, notice('error', null, describe(done)));
          await this.showPlan(id);
          document.getElementById('plan-message')?.replaceChildren(notice('ok', null, t('committedOk')));
        }) }, t('commitYes'));
        fill(commitArea, notice('warn', null, t('commitConfirm')),
          h('div', { class: 'inline' }, yes, h('button', { type: 'button', class: 'big', onclick: () => this.showPlan(id) }, t('cancel'))));
        yes.focus();
      } }, t('commit'));
      commitArea.append(commit);
    }
    const frame = h('iframe', { class: 'planmap', id: 'planmap', title: t('mapTitle'), sandbox: 'allow-same-origin allow-modals' });
    const tools = h('div', { class: 'inline wrap' });
    fill(this.body, back, head, message, totalsList(plan.plan.totals), commitArea, routesTable(plan.plan), h('h2', {}, t('mapTitle')), tools, frame);
    const map = await call('GET', `/v1/route-plans/${id}/map`, { accept: 'text' });
    if (!map.ok) return fill(tools, notice('error', null, describe(map)));
    frame.addEventListener('load', () => {
      const doc = frame.contentDocument;
      if (doc) frame.style.height = `${doc.documentElement.scrollHeight + 24}px`;
    });
    frame.srcdoc = map.data;
    if (this.blobUrl) URL.revokeObjectURL(this.blobUrl);
    const url = URL.createObjectURL(new Blob([map.data], { type: 'text/html' }));
    this.blobUrl = url;
    fill(tools,
      h('button', { type: 'button', class: 'big', onclick: () => frame.contentWindow?.print() }, t('printSheets')),
      h('a', { class: 'button big', href: url, download: `plan-${plan.depot}-${plan.date}-${plan.id}.html` }, t('download')));
  }
}

function statusBadge(status) {
  const cls = status === 'committed' ? 'good' : status === 'failed' ? 'bad' : status === 'draft' ? 'warn' : '';
  return h('span', { class: `badge status ${cls}`, dataset: { status } }, t(`status_${status}`));
}

function totalsList(totals) {
  const item = (label, value, cls) => h('div', { class: cls || '' }, h('dt', {}, label), h('dd', {}, value));
  return h('dl', { class: 'totals' },
    item(t('routes'), fmt.int(totals.routes)),
    item(t('trips'), fmt.int(totals.trips ?? totals.routes)),
    item(t('stops'), fmt.int(totals.stops)),
    item(t('parcels'), fmt.int(totals.parcels)),
    item(t('distance'), fmt.km(totals.distanceM)),
    item(t('cost'), fmt.yuan(totals.costFen)),
    item(t('parcelsWaiting'), fmt.int(totals.parcelsWaiting), totals.parcelsWaiting ? 'warn' : ''));
}

/** The routes at a glance, in the page's language; the sheets below are the drivers'. */
function routesTable(plan) {
  if (!plan.routes.length) return h('p', { class: 'empty hint' }, t('plansEmpty'));
  return h('div', { class: 'tablewrap' }, h('table', { class: 'routes', id: 'routes' },
    h('thead', {}, h('tr', {}, [['#'], [t('vehicle')], [t('trips'), 'n'], [t('stops'), 'n'], [t('parcels'), 'n'], [t('distance'), 'n'], [t('cost'), 'n'], [t('hours')]]
      .map(([x, cls]) => h('th', { class: cls }, x)))),
    h('tbody', {}, plan.routes.map((r) => h('tr', { dataset: { route: r.seq } },
      h('td', {}, fmt.int(r.seq)), h('td', {}, r.vehicle), h('td', { class: 'n' }, fmt.int((r.trips || []).length || 1)),
      h('td', { class: 'n' }, fmt.int(r.stops.length)),
      h('td', { class: 'n' }, fmt.int(r.stops.reduce((n, s) => n + s.parcels, 0))),
      h('td', { class: 'n' }, fmt.km(r.distanceM)), h('td', { class: 'n' }, fmt.yuan(r.costFen)),
      // One out-and-back per trip: a van that reloads shows each.
      h('td', {}, (r.trips && r.trips.length ? r.trips : [r]).map((x) => `${x.start}–${x.end}`).join(', ')))))));
}
