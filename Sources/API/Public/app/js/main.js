// The screens' entry point: sign-in, the header (language, sign-out) and the two
// screens: the counter (service centres) and plan review (planners).

import { probe, storedKey, storeKey } from './api.js';
import { h, fill, field, notice, busy } from './dom.js';
import { t, language, setLanguage } from './i18n.js';
import { CounterScreen } from './counter.js';
import { PlansScreen } from './plans.js';

const root = document.getElementById('app');
const session = { key: storedKey(), caps: null };
let screen = null;

function route() {
  const [name, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  return { name, rest };
}

async function start() {
  setLanguage(language());
  if (!session.key) return showSignIn();
  const caps = await probe(session.key);
  if (!caps.valid) {
    if (caps.error?.code === 'network') return showFatal(t('network'));
    storeKey('');
    session.key = '';
    return showSignIn(t('keyUnknown'));
  }
  if (!caps.counter && !caps.plans) {
    storeKey('');
    session.key = '';
    return showSignIn(t('keyNoScreen'));
  }
  session.caps = caps;
  show();
}

function header() {
  const { name } = route();
  const nav = [];
  if (session.caps?.counter && session.caps?.plans) {
    nav.push(h('a', { href: '#/counter', class: name !== 'plans' ? 'active' : '', 'aria-current': name !== 'plans' ? 'page' : null }, t('counterNav')));
    nav.push(h('a', { href: '#/plans', class: name === 'plans' ? 'active' : '', 'aria-current': name === 'plans' ? 'page' : null }, t('plansNav')));
  }
  return h('header', { class: 'topbar' },
    h('div', { class: 'brand' }, h('img', { src: './icon.svg', alt: '', width: 28, height: 28 }),
      h('span', {}, t('appName'), h('small', {}, t('appSub')))),
    nav.length ? h('nav', { class: 'screens' }, nav) : null,
    h('div', { class: 'tools' },
      h('button', { type: 'button', class: 'link', id: 'lang', lang: language() === 'en' ? 'zh-CN' : 'en', onclick: () => {
        setLanguage(language() === 'en' ? 'zh-CN' : 'en');
        if (session.caps) show(); else showSignIn();
      } }, t('language')),
      session.key ? h('button', { type: 'button', class: 'link', id: 'signout', onclick: signOut }, t('signOut')) : null));
}

function show() {
  const { name, rest } = route();
  const wantPlans = name === 'plans' ? session.caps.plans : !session.caps.counter;
  if (screen) screen.stop();
  screen = wantPlans ? new PlansScreen(rest) : new CounterScreen(rest);
  fill(root, header(), screen.element);
  document.title = `${t(wantPlans ? 'plansNav' : 'counterNav')} · ${t('appName')}`;
  screen.start();
}

function showSignIn(message) {
  if (screen) screen.stop();
  screen = null;
  const key = field(t('keyLabel'), 'key', { type: 'password', autocomplete: 'off', spellcheck: 'false', required: true, autofocus: true });
  const submit = h('button', { type: 'submit', class: 'primary big' }, t('signIn'));
  if (message) key.error(message);
  const form = h('form', { class: 'card signin', onsubmit: (event) => {
    event.preventDefault();
    busy(submit, async () => {
      const value = key.input.value.trim();
      if (!value) return key.error(t('required'));
      const caps = await probe(value);
      if (!caps.valid) return key.error(caps.error?.code === 'network' ? t('network') : t('keyUnknown'));
      if (!caps.counter && !caps.plans) return key.error(t('keyNoScreen'));
      storeKey(value);
      session.key = value;
      session.caps = caps;
      location.hash = caps.counter ? '#/counter' : '#/plans';
      show();
    });
  } }, h('h1', {}, t('signInTitle')), h('p', { class: 'hint' }, t('signInHint')), key.wrap, submit);
  fill(root, header(), h('main', { class: 'narrow' }, form));
  document.title = `${t('signInTitle')} · ${t('appName')}`;
  key.input.focus();
}

function showFatal(text) {
  fill(root, header(), h('main', { class: 'narrow' }, notice('error', null, text),
    h('button', { type: 'button', class: 'big', onclick: start }, t('tryAgain'))));
}

function signOut() {
  storeKey('');
  session.key = '';
  session.caps = null;
  sessionStorage.clear();
  location.hash = '';
  showSignIn();
}

window.addEventListener('hashchange', () => {
  if (!session.caps) return;
  // Inside a screen the screen follows its own hash; switching screens rebuilds.
  const { name, rest } = route();
  if (screen && screen.follows(name)) screen.navigate(rest);
  else show();
});

// A key revoked while the page is open: back to sign-in on the first 401.
window.addEventListener('ruralpost:unauthorized', () => {
  storeKey('');
  session.key = '';
  session.caps = null;
  showSignIn(t('keyUnknown'));
});

start();
