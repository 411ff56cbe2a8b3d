/**
 * The QA console in a real browser: Debian's headless Chromium (playwright-core) opens the page
 * served by the console over the full simulated reader (virtual card, face models, rendered
 * screens, mosquitto + facility simulator), and a face visit and a PIN visit are driven by clicks
 * only: on the camera scene, the card buttons, and on the live screen image itself at the
 * buttons' places (the click goes through the touch port and the display's hit-testing). The
 * screens passed and the record the facility stored are read off the page. Any console error or
 * uncaught error on the page fails the file. Screenshots go to var/test-artefacts/console/.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLogger, MemorySink } from '../../../../firmware/core/logger.ts';
import { launchChromium, type HeadlessChromium } from '../../../../cli/simulator/console/headless-chromium.ts';
import { startConsole, type RunningConsole } from '../../../../cli/simulator/console/start-console.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const ARTEFACTS = join(ROOT, 'var', 'test-artefacts', 'console');
const VISIT_MS = 60_000;
const sink = new MemorySink(2_000);
const pageProblems: string[] = [];
let running: RunningConsole | undefined;
let chrome: HeadlessChromium | undefined;
let page: Page;
/** Live-screen answers that were only the part of the screen that changed. */
let patches = 0;

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(ARTEFACTS, `${name}.png`), fullPage: true });
  await page.screenshot({ path: join(ARTEFACTS, 'doc', `${name}.jpg`), type: 'jpeg', quality: 50 });
}

/** Waits until the page says the reader shows the visit screen `name`. */
async function onScreen(name: string, timeout = VISIT_MS): Promise<void> {
  await page
    .locator('#screen-name')
    .filter({ hasText: `(${name},` })
    .waitFor({ timeout });
}

/**
 * Clicks the live screen image in the middle of the display's button `id` (where the page outlines
 * it) and waits for the page's touch request to come back naming that button: the click went
 * through /api/touch, the touch port and the display's hit-testing. The point is taken relative to
 * the image and the click made on the image element, so Playwright scrolls it into view first and
 * checks that the image takes the click there (a click at viewport coordinates of an image
 * scrolled out of view lands on nothing: that is what made taps "sometimes never arrive").
 */
async function tapOnScreen(id: string): Promise<void> {
  const hit = await page.locator(`#hits div[data-button="${id}"]`).boundingBox({ timeout: 10_000 });
  const image = await page.locator('#screen').boundingBox();
  if (!image || !hit) throw new Error(`button ${id} has no place on the page`);
  const at = { x: hit.x - image.x + hit.width / 2, y: hit.y - image.y + hit.height / 2 };
  const touched = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/touch', { timeout: 10_000 });
  await page.locator('#screen').click({ position: at, timeout: 10_000 });
  const reply = (await (await touched).json()) as { button?: { id: string } };
  assert.is(
    reply.button?.id,
    id,
    `the click on the screen image at ${JSON.stringify(at)} hit ${reply.button?.id ?? 'no button'} through the touch port`,
  );
}

/**
 * True once the screen image on the page is the display's newest frame pixel for pixel (bounded:
 * the page catches up within a few seconds); with changed parts sent alone, they must add up.
 */
async function pageShowsDisplay(): Promise<boolean> {
  const display = await sharp(Buffer.from(await (await fetch(new URL('/api/frame.png', running?.url))).arrayBuffer()))
    .ensureAlpha()
    .raw()
    .toBuffer();
  for (let i = 0; i < 40; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 250));
    const url = await page.evaluate<string>("document.getElementById('screen').toDataURL('image/png')");
    if (
      (
        await sharp(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64'))
          .ensureAlpha()
          .raw()
          .toBuffer()
      ).equals(display)
    )
      return true;
  }
  return false;
}

/** The visit screens in the page's timeline, in order. */
async function timelineScreens(): Promise<string[]> {
  const lines = await page.locator('#timeline li').allTextContents();
  return lines.flatMap((l) => {
    const m = /screen (\S+)/.exec(l);
    return m?.[1] ? [m[1]] : [];
  });
}

function inOrder(wanted: readonly string[], seen: readonly string[]): boolean {
  let i = 0;
  for (const s of seen) if (s === wanted[i]) i++;
  return i === wanted.length;
}

/** The newest record the facility stored, as the page shows it. */
async function storedRecord(expectMethod: string): Promise<Record<string, unknown>> {
  await page.click('#tabs button[data-tab="stored"]');
  const pre = page.locator('#stored-record').filter({ hasText: `"method": "${expectMethod}"` });
  await pre.waitFor({ timeout: 15_000 });
  return JSON.parse((await pre.textContent()) ?? '{}') as Record<string, unknown>;
}

/** Any console error or warning, or uncaught error, on `p` fails the file (the last test). */
function watchProblems(p: Page, name: string): void {
  p.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') pageProblems.push(`${name}: console ${m.type()}: ${m.text()}`);
  });
  p.on('pageerror', (e) => pageProblems.push(`${name}: page error: ${e.message}`));
}

test.before(async () => {
  await mkdir(join(ARTEFACTS, 'doc'), { recursive: true });
  running = await startConsole({
    log: createLogger({ sink, level: 'warn' }),
    host: '127.0.0.1',
    port: 0,
    scenariosDir: join(ROOT, 'test', 'scenarios'),
    setup: { patient: 'suzuki-aiko', card: 'patient', registered: true, ePrescription: true },
  });
  chrome = await launchChromium({ viewport: { width: 1280, height: 860 }, hasTouch: true });
  page = await chrome.context.newPage();
  watchProblems(page, 'laptop');
  page.on('response', (r) => {
    if (new URL(r.url()).pathname === '/api/frame' && r.headers()['x-frame-rect']) patches++;
  });
  await page.goto(running.url);
  await onScreen('idle');
});

test.after(async () => {
  await page.close().catch(() => undefined);
  await chrome?.close();
  await running?.close();
});

test('the page binds to loopback and shows the idle screen with its language buttons', async () => {
  assert.match(running?.url ?? '', /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.ok((await page.locator('#hits div[data-button="lang-en"]').count()) === 1, 'the idle screen outlines its language buttons');
  assert.ok(await page.locator('#insert').isEnabled(), 'a card can be inserted');
  assert.ok(await page.locator('#pull').isDisabled(), 'nothing to pull: the button says why');
  assert.match((await page.locator('#pull').getAttribute('title')) ?? '', /no card/);
  await shot('01-idle');
});

test('on a tablet (portrait, touch): the screen fits, a finger tap on the screen image goes through the touch port', async () => {
  const tablet = await (chrome as HeadlessChromium).context.newPage();
  watchProblems(tablet, 'tablet');
  try {
    await tablet.setViewportSize({ width: 768, height: 1024 });
    await tablet.goto(running?.url ?? '');
    await tablet.locator('#screen-name').filter({ hasText: '(idle,' }).waitFor({ timeout: VISIT_MS });
    const fits = await tablet.evaluate('document.documentElement.scrollWidth <= window.innerWidth');
    assert.ok(fits === true, 'no sideways scrolling');
    const image = await tablet.locator('#screen').boundingBox();
    assert.ok(
      image && image.x >= 0 && image.x + image.width <= 768 && image.width > 600,
      `the screen image spans the tablet's width: ${JSON.stringify(image)}`,
    );
    for (const [button, lang] of [
      ['lang-en', 'en'],
      ['lang-ja', 'ja'],
    ] as const) {
      const hit = await tablet.locator(`#hits div[data-button="${button}"]`).boundingBox({ timeout: 10_000 });
      if (!hit) throw new Error(`no ${button} on the idle screen`);
      const touched = tablet.waitForResponse((r) => new URL(r.url()).pathname === '/api/touch', { timeout: 10_000 });
      await tablet
        .locator('#screen')
        .tap({ position: { x: hit.x - image.x + hit.width / 2, y: hit.y - image.y + hit.height / 2 }, timeout: 10_000 });
      assert.is(((await (await touched).json()) as { button?: { id: string } }).button?.id, button);
      await tablet
        .locator('#screen-name')
        .filter({ hasText: `(idle, ${lang})` })
        .waitFor({ timeout: 10_000 });
    }
    await tablet.screenshot({ path: join(ARTEFACTS, '01-tablet.png'), fullPage: true });
  } finally {
    await tablet.close();
  }
});

test('a face visit driven by clicks: live patient, face, consent, e-prescription, done; the facility stored it', async () => {
  await page.click('#scenes input[value="live"]');
  await page.click('#insert');
  await onScreen('method');
  await shot('02-method');
  await tapOnScreen('face');
  await onScreen('consent');
  await shot('03-consent');
  await tapOnScreen('all');
  await onScreen('prescription');
  await tapOnScreen('electronic');
  await onScreen('done');
  const stored = await storedRecord('face');
  await shot('04-face-done');
  assert.is(stored['outcome'], 'accepted');
  assert.equal(stored['consent'], { ...(stored['consent'] as object), mode: 'all' });
  assert.is(stored['prescription'], 'electronic');
  assert.ok(stored['signature'], 'a face visit is bound to the card: its signature over the challenge (特定機関認証)');
  assert.is(stored['signatureUnlock'], 'terminal');
  await page.click('#pull');
  await onScreen('idle');
  const screens = await timelineScreens();
  assert.ok(inOrder(['card-reading', 'method', 'face', 'consent', 'prescription', 'done', 'idle'], screens), screens.join(' → '));
});

test('a PIN visit driven by clicks: digits tapped on the shuffled pad image (scrolled out of view first), consent reused on the revisit; the facility stored it', async () => {
  await page.click('#tabs button[data-tab="timeline"]');
  await page.click('#scenes input[value="nobody"]');
  await page.click('#insert');
  await onScreen('method');
  await tapOnScreen('pin');
  await onScreen('pin');
  await page.locator('#screen-name').filter({ hasText: 'waiting for the PIN (0 of 4' }).waitFor({ timeout: 10_000 });
  await shot('05-pin-pad');
  // QA looks at the visit log below: the screen image scrolls out of view; a tap on it still arrives.
  await page.evaluate('window.scrollTo(0, document.documentElement.scrollHeight)');
  for (const [i, d] of [...'2468'].entries()) {
    await tapOnScreen(`digit-${d}`);
    if (i < 3)
      await page
        .locator('#screen-name')
        .filter({ hasText: `(${i + 1} of 4` })
        .waitFor({ timeout: 10_000 });
    // three digits in, the pad waits: its last frames went as the row of dots only
    if (i === 2) assert.ok(await pageShowsDisplay(), 'the page shows the pad the display shows, pixel for pixel');
  }
  await onScreen('consent-reuse');
  await tapOnScreen('reuse');
  await onScreen('prescription');
  await tapOnScreen('paper');
  await onScreen('done');
  const stored = await storedRecord('pin');
  await shot('06-pin-stored');
  assert.is(stored['outcome'], 'accepted');
  assert.type(stored['signature'], 'string', 'the card signed the facility challenge');
  assert.is(stored['prescription'], 'paper');
  await page.click('#tabs button[data-tab="audit"]');
  const audit = (await page.locator('#audit li').allTextContents()).join('\n');
  assert.match(audit, /identity-decision/);
  assert.not.match(audit, /2468/, 'the PIN never reaches the audit view');
  await page.click('#tabs button[data-tab="mqtt"]');
  await page.locator('#mqtt li', { hasText: 'kaoreader.result/1' }).first().waitFor({ timeout: 5_000 });
  await shot('07-mqtt');
  await page.click('#pull');
  await onScreen('idle');
  const screens = await timelineScreens();
  assert.ok(inOrder(['method', 'pin', 'consent-reuse', 'prescription', 'done'], screens), screens.join(' → '));
});

test('each screen can be downloaded as a PNG', async () => {
  await page.click('#tabs button[data-tab="shots"]');
  const link = page.locator('#shots figcaption a').filter({ hasText: 'PNG' }).first();
  await link.waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const file = join(ARTEFACTS, download.suggestedFilename());
  await download.saveAs(file);
  const png = await readFile(file);
  assert.equal([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG file');
  assert.match(download.suggestedFilename(), /^\d{3}-[a-z-]+-[a-zA-Z-]+\.png$/);
  const names = await page.locator('#shots figcaption').allTextContents();
  for (const s of ['method', 'consent', 'pin', 'done'])
    assert.ok(
      names.some((n) => n.includes(` ${s} (`)),
      `screen ${s} among the downloads: ${names.join(' | ')}`,
    );
  await shot('08-screens');
});

test('the live screen followed the display (frames drawn, delay measured)', async () => {
  const latency = await page.evaluate(
    async () => (await fetch('/api/latency')).json() as Promise<{ drawn: number; n: number; p95: number | null }>,
  );
  assert.ok(latency.drawn > 10, `frames drawn: ${latency.drawn}`);
  assert.ok(latency.n > 10 && latency.p95 !== null, `delays measured: ${JSON.stringify(latency)}`);
});

test('PIN pad redraws went to the page as the changed parts only', () => {
  assert.ok(patches >= 3, `answers with only the changed part: ${patches}`);
});

test('no console error or uncaught error on the page', () => {
  assert.equal(pageProblems, []);
});

test.run();
