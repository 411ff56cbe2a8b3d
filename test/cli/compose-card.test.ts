/**
 * The composition root's card wiring: the simulated reader and trust in sim mode (the J-LIS keys
 * plus the simulator's CA), and the terminal authenticator each configuration gives, including a
 * maker's plug-in module loaded from a file (written here in plain JavaScript against the
 * documented contract) that the virtual card accepts.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { composeCardReader } from '../../cli/compose.ts';
import { validateConfig, defaultConfig } from '../../firmware/config/load.ts';
import { ConfigError } from '../../firmware/core/errors.ts';
import { createLogger, MemorySink } from '../../firmware/core/logger.ts';
import { MyNumberCardClient } from '../../firmware/apdu/myna/client.ts';
import { formatKeyId } from '../../firmware/apdu/myna/key-id.ts';
import { systemClock } from '../../firmware/platform/system-clock.ts';
import { makeTestCard } from '../helpers/sim-card.ts';

const log = createLogger({ sink: new MemorySink(), level: 'error' });

test('sim mode: SimCardReader, trust = the production J-LIS key + the simulator CA, the simulated authenticator; a simulated card checks out', async () => {
  const wiring = await composeCardReader(defaultConfig(), log);
  assert.ok(wiring.sim);
  assert.equal(
    wiring.trust.cardFaceIssuers.map((k) => formatKeyId(k.keyId)),
    ['5000023/001', '9000023/001'],
  );
  assert.is(wiring.terminalAuthenticator?.kind, 'simulated');
  const tc = await makeTestCard();
  wiring.sim.reader.insert(tc.card);
  const client = await MyNumberCardClient.open(await wiring.reader.connect(), {
    clock: systemClock,
    trust: wiring.trust,
    ...(wiring.terminalAuthenticator ? { terminalAuthenticator: wiring.terminalAuthenticator } : {}),
  });
  const cert = await client.readCheckedCertificate();
  assert.match(cert.issuer, /Test JPKI/);
  await client.authenticateTerminal();
  assert.is((await client.signChallenge(cert, new Uint8Array(32).fill(1))).signature.length, 256, 'signed without the PIN');
  await wiring.reader.close();
});

test('real mode: the production default trusts exactly the production J-LIS card-face key and has no authenticator', async () => {
  const wiring = await composeCardReader(validateConfig({ hardware: { mode: 'real' } }), log);
  assert.equal(
    wiring.trust.cardFaceIssuers.map((k) => formatKeyId(k.keyId)),
    ['5000023/001'],
  );
  assert.is(wiring.terminalAuthenticator, undefined);
  assert.is(wiring.sim, undefined);
  await wiring.reader.close();
  const qa = await composeCardReader(validateConfig({ hardware: { mode: 'real' }, card: { trustJpkiTestCards: true } }), log);
  assert.equal(
    qa.trust.cardFaceIssuers.map((k) => formatKeyId(k.keyId)),
    ['5000023/001', '6000023/001'],
    'a QA rig opts in to J-LIS test cards',
  );
  await qa.reader.close();
  const none = await composeCardReader(validateConfig({ card: { terminalAuthenticator: { kind: 'none' } } }), log);
  assert.is(none.terminalAuthenticator, undefined, 'sim mode can be told to have none');
  await none.reader.close();
  await composeCardReader(validateConfig({ hardware: { mode: 'real' }, card: { terminalAuthenticator: { kind: 'simulated' } } }), log).then(
    () => assert.unreachable('the simulated authenticator on real hardware'),
    (e: unknown) => assert.instance(e, ConfigError),
  );
});

test("a maker's plug-in module: loaded from the config, handed its options, and accepted by the card", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kaoreader-plugin-'));
  const plugin = join(dir, 'maker-auth.mjs');
  // A plug-in as a maker would write it, in plain JavaScript, against the documented contract
  // (here speaking the virtual card's stand-in exchange with the simulator's terminal key).
  await writeFile(
    plugin,
    `
import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
export async function createTerminalAuthenticator({ options, log }) {
  const key = createPrivateKey(readFileSync(options.keyFile));
  return {
    kind: 'maker-test',
    async authenticate(session) {
      const challenge = await session.expect({ cla: 0x00, ins: 0x84, p1: 0, p2: 0, le: 8 });
      const signature = sign('sha256', challenge, { key, dsaEncoding: 'ieee-p1363' });
      await session.expect({ cla: 0x80, ins: 0xa2, p1: 0, p2: 0, data: new Uint8Array(signature) });
      log.info('terminal authenticated');
    },
  };
}
`,
  );
  const config = validateConfig({
    card: { terminalAuthenticator: { kind: 'module', module: plugin, options: { keyFile: resolve('var/sim-card/pki/terminal.key.pem') } } },
  });
  const real = await composeCardReader({ ...config, hardware: { ...config.hardware, mode: 'real' } }, log);
  assert.is(real.terminalAuthenticator?.kind, 'maker-test');
  await real.reader.close();
  const tc = await makeTestCard();
  const sim = await composeCardReader(defaultConfig(), log);
  sim.sim?.reader.insert(tc.card);
  const client = await MyNumberCardClient.open(await sim.reader.connect(), {
    clock: systemClock,
    trust: sim.trust,
    ...(real.terminalAuthenticator ? { terminalAuthenticator: real.terminalAuthenticator } : {}),
  });
  const cert = await client.readCheckedCertificate();
  await client.authenticateTerminal();
  assert.is((await client.signChallenge(cert, new Uint8Array(32).fill(2))).signature.length, 256);
  await sim.reader.close();
  await writeFile(join(dir, 'empty.mjs'), 'export const nothing = 1;\n');
  await composeCardReader(
    validateConfig({ hardware: { mode: 'real' }, card: { terminalAuthenticator: { kind: 'module', module: join(dir, 'empty.mjs') } } }),
    log,
  ).then(
    () => assert.unreachable('a module without the factory'),
    (e: unknown) => assert.instance(e, ConfigError),
  );
});

test.run();
