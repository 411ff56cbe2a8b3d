/**
 * Attacks on secrets and the patient's input: a weak staff password hash pushed by a facility
 * command, a password outside the policy (finding 6); a reflexive Enter or tap at the last-PIN-
 * try warning (finding 7); an update server that trickles bytes forever (finding 10); the OCR's
 * 照合番号B left behind in memory and a hostile card asking for the VERIFY to be sent again
 * (finding 11).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import sinon from 'sinon';
import * as assert from 'uvu/assert';
import { ApduSession } from '../../firmware/apdu/session.ts';
import { createLogger, MemorySink } from '../../firmware/core/logger.ts';
import { StaffPasswordPolicyError } from '../../firmware/core/staff-password-hash.ts';
import { uuidv7 } from '../../firmware/core/uuidv7.ts';
import { ScreenUi } from '../../firmware/display/screen-ui.ts';
import { CardFrontReader, type CardFrontRead } from '../../firmware/card-front/card-front-reader.ts';
import { facilityCommandKey } from '../../firmware/facility/pairing/facility-ca.ts';
import { signCommand } from '../../firmware/facility/commands/sign.ts';
import { FileStore } from '../../firmware/platform/file-store.ts';
import { systemClock } from '../../firmware/platform/system-clock.ts';
import type { CardSession } from '../../firmware/ports/card-reader.ts';
import { OcrCardFront } from '../../firmware/visit/adapters/card-front.ts';
import { StaffPassword } from '../../firmware/visit/staff-password.ts';
import { downloadWithResume } from '../../ota/agent/download.ts';
import { UpdateFetchError } from '../../ota/agent/errors.ts';
import { SimCardFrontScanner } from '../../hardware-sim/card-front/sim-card-front-scanner.ts';
import { SimDisplay } from '../../hardware-sim/display/sim-display.ts';
import { SimKeypad } from '../../hardware-sim/keypad/sim-keypad.ts';
import { SimTouch } from '../../hardware-sim/touch/sim-touch.ts';
import { tmp } from '../firmware/facility/link/helpers.ts';
import { sleep, useBrokerWorld } from './broker-fixture.ts';
import { attack } from './ledger.ts';
import { rawCommand } from '../helpers/raw-command.ts';

const world = useBrokerWorld();
const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

attack(6, 'a facility command pushing a cheap staff password hash (scrypt N = 1024) to make guessing easy', async () => {
  const w = world();
  const key = await facilityCommandKey(w.caDir);
  const s = signCommand({ command: 'restart', args: {} }, { key, facilityId: 'clinic-a', readerId: w.a.readerId, now: Date.now() });
  const id = uuidv7();
  const weak = {
    alg: 'scrypt',
    N: 1024,
    r: 8,
    p: 1,
    salt: Buffer.alloc(16, 1).toString('base64'),
    hash: Buffer.alloc(32, 2).toString('base64'),
  };
  const body = Buffer.from(JSON.stringify({ ...s.body, id, command: 'set-staff-password', args: { hash: weak } }));
  const { sign } = await import('node:crypto');
  const before = [...w.settings.calls];
  const reply = await rawCommand(
    w.sim.mqtt,
    w.a.readerId,
    JSON.stringify({ ...s.message, body: body.toString('base64'), signature: sign(null, body, key).toString('base64') }),
    id,
  );
  assert.is(reply.ok, false);
  assert.is(reply.error?.code, 'MESSAGE_INVALID');
  assert.equal(w.settings.calls, before);
  return 'hash cost bounds (schema and StaffPassword.setHash)';
});

attack(6, 'a staff password the pad cannot type, or a short one', async () => {
  const staff = new StaffPassword(new FileStore(tmp('kao-staff-')), systemClock, { cost: 1 << 12, maxFailures: 5, lockoutMs: 60_000 });
  for (const pw of ['abcdefgh', '1234567', '12345678901234567', 'ＡＢＣＤ１２３４']) {
    try {
      await staff.set(bytes(pw));
      assert.unreachable(`accepted a password outside the policy (${pw.length} chars)`);
    } catch (err) {
      assert.instance(err, StaffPasswordPolicyError);
    }
  }
  assert.is(await staff.isSet(), false);
  return 'STAFF_PASSWORD_POLICY';
});

function screen(): { ui: ScreenUi; keypad: SimKeypad; touch: SimTouch; close(): Promise<void> } {
  const display = new SimDisplay(800, 480, 'XRGB8888');
  let ui: ScreenUi | undefined;
  const touch = new SimTouch(() => ui?.layout);
  const keypad = new SimKeypad();
  ui = new ScreenUi({ display, touch, keypad, log: createLogger({ sink: new MemorySink(), level: 'error' }), clock: systemClock });
  ui.start();
  const u = ui;
  return {
    ui: u,
    keypad,
    touch,
    close: async () => {
      await u.close();
      await touch.close();
      await keypad.close();
      await display.close();
    },
  };
}

attack(7, 'a reflexive keypad Enter right after a wrong PIN answers the last-try warning', async () => {
  const s = screen();
  try {
    await s.ui.show('pin-warning-last-try', {}, 'ja');
    s.keypad.press('enter');
    await sleep(1700);
    s.keypad.press('enter');
    await sleep(50);
    s.touch.tapButton('cancel');
    await sleep(50);
    assert.is((await s.ui.waitForAction()).buttonId, 'cancel', 'an Enter pressed "continue"');
    return 'no default button; input guard';
  } finally {
    await s.close();
  }
});

attack(7, 'a reflexive tap on "continue" as the last-try warning appears', async () => {
  const s = screen();
  try {
    await s.ui.show('pin-warning-last-try', {}, 'ja');
    s.touch.tapButton('continue');
    await sleep(1700);
    s.touch.tapButton('cancel');
    await sleep(50);
    assert.is((await s.ui.waitForAction()).buttonId, 'cancel', 'the tap in the first moment went through');
    return 'input guard (1.5 s)';
  } finally {
    await s.close();
  }
});

attack(10, 'an update server trickles a byte now and then, forever', async () => {
  let open = 0;
  const server = createServer((req, res) => {
    open += 1;
    res.writeHead(200, { 'content-length': '10000000' });
    const t = setInterval(() => res.write('x'), 50);
    req.socket.on('close', () => {
      clearInterval(t);
      open -= 1;
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/release.tar.gz`;
    const outcome = await Promise.race([
      downloadWithResume({
        url,
        dest: join(tmp('kao-dl-'), 'r.part'),
        length: 10_000_000,
        idleTimeoutMs: 1000,
        deadlineMs: 800,
        clock: systemClock,
      }).then(
        () => 'finished',
        (e: unknown) => e,
      ),
      new Promise((r) => setTimeout(() => r('still downloading after 6 s'), 6000).unref()),
    ]);
    assert.instance(outcome, UpdateFetchError, String(outcome));
    for (let i = 0; i < 50 && open > 0; i++) await sleep(20);
    assert.is(open, 0, 'the connection was left open');
    return 'overall download deadline';
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

attack(11, 'looking for a second copy of 照合番号B left by the OCR after the VERIFY wiped the first', async () => {
  const reader = await CardFrontReader.create({ clock: { ...systemClock, now: () => Date.UTC(2026, 10, 24, 3) } });
  const scanner = new SimCardFrontScanner({ seed: 5 });
  scanner.place({
    nameKanji: '佐藤 花子',
    address: '東京都千代田区霞が関',
    sex: '女',
    birth: { era: 'showa', eraYear: 55, month: 2, day: 17 },
    expiry: { year: 2035, month: 2, day: 17 },
    securityCode: '2285',
  });
  const spy = sinon.spy(reader, 'readYielding');
  try {
    const verificationNumberB = await new OcrCardFront(scanner, reader).readVerificationNumberB(new AbortController().signal);
    const produced = (await spy.firstCall.returnValue) as CardFrontRead;
    assert.instance(produced.verificationNumberB, Uint8Array, 'the OCR kept 照合番号B as a string');
    verificationNumberB.fill(0); // the visit wipes it right after the VERIFY
    assert.ok(
      produced.verificationNumberB.every((b) => b === 0),
      'the OCR still holds 照合番号B',
    );
    return 'one byte buffer, wiped';
  } finally {
    spy.restore();
    await scanner.close();
  }
});

attack(11, 'a hostile card answers 6Cxx to VERIFY, so that 照合番号B is encoded a second time and left in memory', async () => {
  const sent: Uint8Array[] = [];
  const answers = ['6c0e', '9000'];
  const card: CardSession = {
    atr: new Uint8Array([0x3b]),
    features: { extendedApdu: false, contactless: false },
    transmit: (c) => {
      sent.push(c);
      return Promise.resolve(new Uint8Array(Buffer.from(answers.shift() ?? '9000', 'hex')));
    },
    disconnect: () => Promise.resolve(),
  };
  await new ApduSession(card, { clock: systemClock }).send(
    { cla: 0, ins: 0x20, p1: 0, p2: 0x80, data: bytes('55021720352285') },
    { sensitive: true },
  );
  assert.is(sent.length, 2);
  for (const b of sent)
    assert.ok(
      b.every((x) => x === 0),
      'a copy of the VERIFY data was left',
    );
  return 'every sensitive send zeroed';
});
