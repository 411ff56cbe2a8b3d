// @ts-check
/** The lower half of the page: the visit's events, audit events, MQTT messages, the stored result, the screens. */
import { call } from './api.js';
import { appendCapped, byId, clock, h } from './dom.js';

/** @typedef {import('../protocol.ts').VisitEventView} VisitEventView */
/** @typedef {import('../protocol.ts').AuditView} AuditView */
/** @typedef {import('../protocol.ts').MqttView} MqttView */
/** @typedef {import('../protocol.ts').ShotView} ShotView */

const KEEP = 300;
const QUIET = ['kaoreader.status/1', 'kaoreader.health/1', 'kaoreader.facility-status/1'];

export class Records {
  timeline = byId('timeline', HTMLOListElement);
  audit = byId('audit', HTMLOListElement);
  mqtt = byId('mqtt', HTMLOListElement);
  mqttAll = byId('mqtt-all', HTMLInputElement);
  stored = byId('stored', HTMLDivElement);
  shots = byId('shots', HTMLDivElement);

  constructor() {
    for (const tab of document.querySelectorAll('#tabs button')) {
      tab.addEventListener('click', () => this.select(tab.getAttribute('data-tab') ?? 'timeline'));
    }
    this.mqttAll.addEventListener('change', () => { for (const li of this.mqtt.querySelectorAll('li.quiet')) li.toggleAttribute('hidden', !this.mqttAll.checked); });
  }

  /** @param {string} name */
  select(name) {
    for (const tab of document.querySelectorAll('#tabs button')) tab.setAttribute('aria-selected', String(tab.getAttribute('data-tab') === name));
    for (const panel of document.querySelectorAll('.tab')) panel.toggleAttribute('hidden', panel.id !== `tab-${name}`);
    if (name === 'stored') void this.refreshStored();
  }

  /** @param {VisitEventView} e */
  visit(e) {
    const text = e.type === 'screen' ? `screen ${e.what}` : e.type === 'state' ? `step ${e.what}` : e.type === 'decision' ? `identity decision: ${e.what}` : `result: ${e.what}`;
    appendCapped(this.timeline, h('li', { class: e.type }, h('code', {}, `+${(e.at / 1000).toFixed(2)} s`), ` ${text}`), KEEP);
  }

  /** @param {AuditView} a */
  auditEvent(a) {
    appendCapped(this.audit, h('li', {}, h('code', {}, clock(a.at)), ` ${a.event} `, h('code', {}, JSON.stringify(a.fields))), KEEP);
  }

  /** @param {MqttView} m */
  mqttMessage(m) {
    const item = h('li', { class: QUIET.includes(m.kind) ? 'quiet' : '' });
    const details = h('details', {}, h('summary', {}, h('code', {}, clock(m.at)), ` ${m.direction} · ${m.kind} · `, h('code', {}, m.topic)), h('pre', {}, JSON.stringify(m.payload, null, 2)));
    item.append(details);
    if (QUIET.includes(m.kind)) item.hidden = !this.mqttAll.checked;
    appendCapped(this.mqtt, item, KEEP);
    if (m.kind === 'kaoreader.ack/1') void this.refreshStored();
  }

  async refreshStored() {
    /** @type {{ unavailable?: string; results: unknown[] }} */
    const r = await call('/api/results');
    if (r.unavailable) this.stored.replaceChildren(h('p', { class: 'muted' }, r.unavailable));
    else if (r.results.length === 0) this.stored.replaceChildren(h('p', { class: 'muted' }, 'The facility has stored no result yet.'));
    else this.stored.replaceChildren(h('p', { class: 'muted' }, 'The newest record the facility stored:'), h('pre', { id: 'stored-record' }, JSON.stringify(r.results[0], null, 2)));
  }

  /** @param {ShotView} s */
  shot(s) {
    const src = `/api/shots/${s.n}.png`;
    this.shots.prepend(h('figure', {}, h('a', { href: `${src}?download`, download: s.file, title: 'Download this screen as PNG' }, h('img', { src, alt: `screen ${s.visit ?? s.display}`, loading: 'lazy' })), h('figcaption', {}, `${s.n}. ${s.visit ?? s.display} (${s.lang}) · ${clock(s.at)} · `, h('a', { href: `${src}?download`, download: s.file }, 'PNG'))));
    while (this.shots.children.length > 100) this.shots.lastElementChild?.remove();
  }
}
