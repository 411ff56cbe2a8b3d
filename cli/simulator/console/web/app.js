// @ts-check
/**
 * The QA console page: the reader's screen live (live-screen.js), the controls (card, camera,
 * keypad, facility, language, scenarios) and what happened (records.js). Everything the server
 * knows arrives as server-sent events; each control is disabled with the reason when it cannot
 * apply now (the reason shows as the control's tooltip and in the hint line on use).
 */
import { call, ConsoleRequestError } from './api.js';
import { byId, h } from './dom.js';
import { LiveScreen } from './live-screen.js';
import { Records } from './records.js';

/** @typedef {import('../protocol.ts').ConsoleState} ConsoleState */
/** @typedef {import('../protocol.ts').Catalog} Catalog */
/** @typedef {import('../protocol.ts').ConsoleEvents} ConsoleEvents */
/** @typedef {import('../protocol.ts').ActionName} ActionName */
/** @typedef {import('../protocol.ts').ScenarioView} ScenarioView */

const tapNote = byId('tap-note', HTMLParagraphElement);
/** @param {string} text @param {boolean} error */
function note(text, error) {
  tapNote.textContent = text;
  tapNote.classList.toggle('error', error);
}

/**
 * Runs a request for a control; a refusal shows its reason.
 * @param {() => Promise<unknown>} fn
 */
async function act(fn) {
  try {
    await fn();
  } catch (err) {
    note(err instanceof ConsoleRequestError ? err.message : String(err), true);
  }
}

/** @param {Record<string, string | number>} step */
const step = (step) => act(() => call('/api/step', step));

const screen = new LiveScreen(byId('screen', HTMLCanvasElement), byId('screen-wrap', HTMLDivElement), byId('hits', HTMLDivElement), note);
const records = new Records();
/** @type {Catalog} */
const cat = await call('/api/catalog');
/** @type {ConsoleState | undefined} */
let state;

// --- card
const patient = byId('patient', HTMLSelectElement);
const card = byId('card', HTMLSelectElement);
patient.append(...cat.patients.map((p) => h('option', { value: p.id }, `${p.label} · PIN ${p.pin}`)));
card.append(...cat.cards.map((c) => h('option', { value: c.id, title: c.help }, c.label)));
const changeSetup = () => act(async () => {
  if (!state) return;
  note('Getting the new card ready…', false);
  await call('/api/setup', { ...state.setup, patient: patient.value, card: card.value, registered: registered.checked, ePrescription: ePrescription.checked });
  note('Ready: insert the card.', false);
});
patient.addEventListener('change', changeSetup);
card.addEventListener('change', changeSetup);
byId('insert', HTMLButtonElement).addEventListener('click', () => step({ insert: 'card' }));
byId('pull', HTMLButtonElement).addEventListener('click', () => step({ pull: 'card' }));

// --- camera
const scenes = byId('scenes', HTMLDivElement);
scenes.append(...cat.scenes.map((s) => {
  const input = h('input', { type: 'radio', name: 'scene', value: s.id });
  input.addEventListener('change', () => step({ camera: s.id }));
  return h('label', { title: s.help }, input, h('span', {}, s.label, h('small', {}, s.help)));
}));

// --- keypad
const keypad = byId('keypad', HTMLDivElement);
for (const k of ['1', '2', '3', 'clear', '4', '5', '6', 'cancel', '7', '8', '9', 'enter', '0']) {
  const label = k === 'clear' ? 'Clear' : k === 'cancel' ? 'Cancel' : k === 'enter' ? 'Enter' : k;
  const b = h('button', { type: 'button', 'data-key': k, class: k === 'enter' ? 'primary' : '' }, label);
  b.addEventListener('click', () => act(() => call('/api/key', { key: k })));
  keypad.append(b);
}
document.addEventListener('keydown', (e) => {
  if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
  const key = /^[0-9]$/.test(e.key) ? e.key : e.key === 'Enter' ? 'enter' : e.key === 'Backspace' ? 'clear' : e.key === 'Escape' ? 'cancel' : undefined;
  if (key) void act(() => call('/api/key', { key }));
});

// --- facility
const registered = byId('registered', HTMLInputElement);
const ePrescription = byId('eprescription', HTMLInputElement);
registered.addEventListener('change', changeSetup);
ePrescription.addEventListener('change', changeSetup);
byId('facility-toggle', HTMLButtonElement).addEventListener('click', () => step({ facility: state?.facility === 'up' ? 'down' : 'up' }));
byId('staff-form', HTMLFormElement).addEventListener('submit', (e) => {
  e.preventDefault();
  const input = byId('staff-password', HTMLInputElement);
  void act(async () => {
    await call('/api/staff-password', { password: input.value });
    input.value = '';
    note('The facility set the staff password on the reader.', false);
  });
});

// --- language
const language = byId('language', HTMLSelectElement);
language.append(...cat.languages.map((l) => h('option', { value: l.id }, l.label)));
byId('language-choose', HTMLButtonElement).addEventListener('click', () => step({ language: language.value }));

// --- scenarios
const scenarioFile = byId('scenario-file', HTMLSelectElement);
scenarioFile.append(...cat.scenarios.map((f) => h('option', { value: f }, f)));
const report = byId('scenario-report', HTMLDivElement);
/** @param {Record<string, string>} body */
const runScenario = (body) => act(async () => {
  report.className = 'report';
  report.replaceChildren(h('p', {}, 'Running…'));
  await call('/api/scenario', body);
});
byId('scenario-run', HTMLButtonElement).addEventListener('click', () => runScenario({ file: scenarioFile.value }));
byId('scenario-upload', HTMLInputElement).addEventListener('change', (e) => {
  const file = e.target instanceof HTMLInputElement ? e.target.files?.[0] : undefined;
  if (file) void file.text().then((yaml) => runScenario({ yaml }));
});
/** @param {ScenarioView} r */
function showReport(r) {
  report.className = `report ${r.passed ? 'pass' : 'fail'}`;
  report.replaceChildren(
    h('p', {}, h('strong', {}, r.passed ? 'PASS' : 'FAIL'), ` ${r.name} (${(r.ms / 1000).toFixed(1)} s)`),
    h('p', {}, `Screens passed: ${r.screens.join(' → ')}`),
    ...r.problems.map((p) => h('p', {}, `✘ ${p}`)),
    h('details', {}, h('summary', {}, 'Result record'), h('pre', {}, JSON.stringify(r.result ?? null, null, 2))),
  );
}

// --- state
/** @type {Record<ActionName, HTMLElement[]>} */
const controls = {
  insert: [byId('insert', HTMLButtonElement)],
  pull: [byId('pull', HTMLButtonElement)],
  setup: [patient, card, registered, ePrescription],
  language: [language, byId('language-choose', HTMLButtonElement)],
  camera: [...scenes.querySelectorAll('input')],
  facility: [byId('facility-toggle', HTMLButtonElement)],
  staffPassword: [...byId('staff-form', HTMLFormElement).querySelectorAll('input, button')].map((e) => /** @type {HTMLElement} */ (e)),
  keypad: [...keypad.querySelectorAll('button')],
  touch: [],
  scenario: [scenarioFile, byId('scenario-run', HTMLButtonElement), byId('scenario-upload', HTMLInputElement)],
};

/** @param {ConsoleState} s */
function render(s) {
  state = s;
  const status = byId('status', HTMLSpanElement);
  status.textContent = s.scenario ? `running ${s.scenario}` : s.status;
  status.className = `pill ${s.status === 'ready' ? 'good' : ''}`;
  byId('hint', HTMLParagraphElement).textContent = s.hint;
  for (const [name, els] of Object.entries(controls)) {
    const why = s.blocked[/** @type {ActionName} */ (name)];
    for (const el of els) {
      if (el instanceof HTMLButtonElement || el instanceof HTMLInputElement || el instanceof HTMLSelectElement) el.disabled = why !== undefined;
      el.title = why ?? el.getAttribute('data-title') ?? '';
    }
  }
  patient.value = s.setup.patient;
  card.value = s.setup.card;
  registered.checked = s.setup.registered;
  ePrescription.checked = s.setup.ePrescription;
  const p = cat.patients.find((x) => x.id === s.setup.patient);
  byId('card-help', HTMLParagraphElement).textContent = `${cat.cards.find((c) => c.id === s.setup.card)?.help ?? ''}${p ? ` · PIN ${p.pin}` : ''}`;
  byId('card-state', HTMLParagraphElement).textContent = s.cardInSlot ? 'The card is in the slot.' : 'The slot is empty.';
  for (const input of scenes.querySelectorAll('input')) input.checked = input.value === s.camera;
  const facilityState = byId('facility-state', HTMLSpanElement);
  facilityState.textContent = `facility ${s.facility}`;
  facilityState.className = `pill ${s.facility === 'up' ? 'good' : 'bad'}`;
  byId('facility-toggle', HTMLButtonElement).textContent = s.facility === 'up' ? 'Take the facility down' : 'Bring the facility up';
  byId('staff-state', HTMLParagraphElement).textContent = s.staffPasswordSet ? 'A staff password is set.' : 'No staff password is set yet: staff mode says “unavailable”.';
  const v = s.screen;
  byId('screen-name', HTMLParagraphElement).textContent = v ? `Screen: ${v.titleEnglish || v.display} (${v.visit ?? v.display}, ${v.lang})${waiting(v)}` : 'No screen yet';
  screen.showButtons(v);
  const buttons = byId('buttons', HTMLDivElement);
  buttons.replaceChildren(...(v?.buttons ?? []).map((b) => {
    const el = h('button', { type: 'button', 'data-button': b.id, title: `Taps “${b.label}” on the screen` }, b.label);
    if (b.english !== b.label) el.append(h('small', {}, b.english));
    el.addEventListener('click', () => screen.touch(((b.rect.x + b.rect.w / 2) / 100) * cat.screenSize.width, ((b.rect.y + b.rect.h / 2) / 100) * cat.screenSize.height));
    return el;
  }));
  byId('download', HTMLAnchorElement).download = `screen-${v?.visit ?? v?.display ?? 'none'}.png`;
}

/** @param {import('../protocol.ts').ScreenView} v */
function waiting(v) {
  const w = v.waitingFor;
  if (w.kind === 'pin') return ` · waiting for the PIN (${w.entered} of 4 digits)`;
  if (w.kind === 'password') return ` · waiting for the staff password (${w.entered} digits)`;
  return w.kind === 'button' ? ' · waiting for a tap' : ' · working…';
}

// --- events
const events = new EventSource('/api/events');
/**
 * @template {keyof ConsoleEvents} K
 * @param {K} kind
 * @param {(data: ConsoleEvents[K]) => void} fn
 */
function on(kind, fn) {
  events.addEventListener(kind, (e) => fn(JSON.parse(/** @type {MessageEvent<string>} */ (e).data)));
}
on('state', render);
on('visit', (e) => records.visit(e));
on('audit', (a) => records.auditEvent(a));
on('mqtt', (m) => records.mqttMessage(m));
on('shot', (s) => records.shot(s));
on('result', () => { void records.refreshStored(); });
on('scenario', showReport);
on('latency', (l) => { byId('latency', HTMLSpanElement).textContent = l.p95 === null ? '' : `live screen delay: ${l.p50} ms typical, ${l.p95} ms p95`; });
on('note', (n) => note(n.text, n.error));
window.addEventListener('pagehide', () => events.close());

render(await call('/api/state'));
void records.refreshStored();
void screen.run();
