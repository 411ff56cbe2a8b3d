/**
 * Pairing commands. Facility IT: `init-ca`, `pair`, `unpair --ca`, `broker-config`.
 * On the reader: `identity` (shows id, fingerprint, pairing code, QR payload; writes the CSR),
 * `install` (the bundle from `pair`), `unpair --state` (forget the facility; --factory-reset
 * also the key). Private keys are never printed.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import {
  caFiles,
  initFacilityCa,
  revokeReader,
  signReaderCsr,
  type PairingBundle,
} from '../../../firmware/facility/pairing/facility-ca.ts';
import { ensureReaderIdentity, parseQrPayload } from '../../../firmware/facility/pairing/identity.ts';
import { mosquittoAcl, mosquittoConf } from '../../../firmware/facility/pairing/mosquitto-config.ts';
import { installPairingBundle, unpairReader } from '../../../firmware/facility/pairing/reader-pairing.ts';
import { DEFAULT_STATE_DIR } from '../../../firmware/config/sections/reader.ts';
import { parse, UsageError } from '../../args.ts';
import type { Command } from '../../command.ts';

const need = (v: string | undefined, flag: string): string => {
  if (!v) throw new UsageError(`${flag} is required`);
  return v;
};
const readerState = (v: string | undefined): string => join(v ?? DEFAULT_STATE_DIR, 'facility');

export const initCa: Command = {
  name: 'init-ca',
  summary: 'create the facility CA, broker and facility certificates',
  usage: 'kaoreader facility init-ca --dir DIR --facility-id ID --broker-url mqtts://HOST:PORT [--broker-name NAME…]',
  async run(argv, ctx) {
    const { values } = parse(argv, {
      dir: { type: 'string' },
      'facility-id': { type: 'string' },
      'broker-url': { type: 'string' },
      'broker-name': { type: 'string', multiple: true },
    });
    const f = await initFacilityCa(need(values.dir, '--dir'), {
      facilityId: need(values['facility-id'], '--facility-id'),
      brokerUrl: need(values['broker-url'], '--broker-url'),
      brokerNames: values['broker-name'] ?? [],
    });
    ctx.stdout.write(
      `${JSON.stringify({ ca: f.caCert, broker: dirname(f.caFile), facility: dirname(f.facilityCert), caKey: f.caKey, crl: f.crlFile })}\n`,
    );
    return 0;
  },
};

export const identity: Command = {
  name: 'identity',
  summary: '(reader) show reader id, key fingerprint, pairing code; write the CSR',
  usage:
    'kaoreader facility identity [--state DIR] [--csr-out FILE]\n\nCreates the reader key on first use. The pairing code and QR payload are what the screen shows.',
  async run(argv, ctx) {
    const { values } = parse(argv, { state: { type: 'string' }, 'csr-out': { type: 'string' } });
    const id = await ensureReaderIdentity(readerState(values.state));
    const csr = values['csr-out'] ?? join(readerState(values.state), 'reader.csr');
    await writeFile(csr, id.csrPem);
    ctx.stdout.write(
      `${JSON.stringify({ readerId: id.readerId, fingerprint: id.fingerprint, pairingCode: id.pairingCode, qr: id.qrPayload, csr: resolve(csr) })}\n`,
    );
    return 0;
  },
};

export const pair: Command = {
  name: 'pair',
  summary: '(facility IT) sign a reader CSR after checking its key fingerprint and code',
  usage:
    'kaoreader facility pair --ca DIR --csr FILE (--qr PAYLOAD | --code CODE --fingerprint HEX) [--out FILE]\n\nThe QR on the reader screen carries both the key fingerprint and the code; the code alone is not enough.\nPrints (or writes) the pairing bundle: certificate, broker settings and the facility command key for the reader.',
  async run(argv, ctx) {
    const { values } = parse(argv, {
      ca: { type: 'string' },
      csr: { type: 'string' },
      code: { type: 'string' },
      fingerprint: { type: 'string' },
      qr: { type: 'string' },
      out: { type: 'string' },
    });
    const qr = values.qr ? parseQrPayload(values.qr) : undefined;
    if (values.qr && !qr) throw new UsageError('--qr is not a kaoreader pairing payload');
    const code = values.code ?? qr?.code;
    const fingerprint = values.fingerprint ?? qr?.fingerprint;
    if (!code || !fingerprint) throw new UsageError('give --qr (the QR text on the reader screen), or --code with --fingerprint');
    const bundle = await signReaderCsr(need(values.ca, '--ca'), await readFile(need(values.csr, '--csr'), 'utf8'), code, fingerprint);
    const text = `${JSON.stringify(bundle, null, 2)}\n`;
    if (values.out) await writeFile(values.out, text);
    else ctx.stdout.write(text);
    ctx.stderr.write(`paired ${bundle.readerId} with ${bundle.facilityId}\n`);
    return 0;
  },
};

export const install: Command = {
  name: 'install',
  summary: '(reader) install the pairing bundle from facility IT',
  usage: 'kaoreader facility install --bundle FILE [--state DIR]',
  async run(argv, ctx) {
    const { values } = parse(argv, { bundle: { type: 'string' }, state: { type: 'string' } });
    const bundle = JSON.parse(await readFile(need(values.bundle, '--bundle'), 'utf8')) as PairingBundle;
    const p = await installPairingBundle(readerState(values.state), bundle);
    ctx.stdout.write(`${JSON.stringify({ readerId: p.readerId, facilityId: p.facilityId, brokerUrl: p.brokerUrl })}\n`);
    return 0;
  },
};

export const unpair: Command = {
  name: 'unpair',
  summary: 'revoke a reader (--ca, facility IT) or forget the facility (--state, reader)',
  usage:
    'kaoreader facility unpair --ca DIR --reader ID      (revoke; then restart or SIGHUP mosquitto)\n       kaoreader facility unpair --state DIR [--factory-reset]',
  async run(argv, ctx) {
    const { values } = parse(argv, {
      ca: { type: 'string' },
      reader: { type: 'string' },
      state: { type: 'string' },
      'factory-reset': { type: 'boolean' },
    });
    if (values.ca) {
      const n = await revokeReader(values.ca, need(values.reader, '--reader'));
      ctx.stdout.write(`${JSON.stringify({ revoked: n, crl: caFiles(values.ca).crlFile })}\n`);
      return 0;
    }
    await unpairReader(readerState(values.state), { factoryReset: values['factory-reset'] ?? false });
    ctx.stdout.write(`${JSON.stringify({ unpaired: true, factoryReset: values['factory-reset'] ?? false })}\n`);
    return 0;
  },
};

export const brokerConfig: Command = {
  name: 'broker-config',
  summary: 'write a mosquitto config (TLS client certs, per-reader ACLs)',
  usage:
    'kaoreader facility broker-config --ca DIR --out DIR [--port 8883] [--bind 0.0.0.0] [--persistence DIR] [--run-as USER]\n\nThe broker reads only DIR/broker/ (give its user that directory: chgrp -R mosquitto DIR/broker); DIR/private/ (the CA key) stays with facility IT.',
  async run(argv, ctx) {
    const { values } = parse(argv, {
      ca: { type: 'string' },
      out: { type: 'string' },
      port: { type: 'string' },
      bind: { type: 'string' },
      persistence: { type: 'string' },
      'run-as': { type: 'string' },
    });
    const out = resolve(need(values.out, '--out'));
    const f = caFiles(resolve(need(values.ca, '--ca')));
    const port = Number(values.port ?? 8883);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError('--port must be 1..65535');
    await mkdir(out, { recursive: true });
    const aclFile = join(out, 'acl');
    await writeFile(aclFile, mosquittoAcl());
    await writeFile(
      join(out, 'mosquitto.conf'),
      mosquittoConf({
        port,
        bind: values.bind ?? '0.0.0.0',
        caFile: f.caFile,
        certFile: f.certFile,
        keyFile: f.keyFile,
        crlFile: f.crlFile,
        aclFile,
        ...(values.persistence ? { persistenceDir: resolve(values.persistence) } : {}),
        ...(values['run-as'] ? { runAs: values['run-as'] } : {}),
      }),
    );
    ctx.stdout.write(`${JSON.stringify({ conf: join(out, 'mosquitto.conf'), acl: aclFile })}\n`);
    return 0;
  },
};
