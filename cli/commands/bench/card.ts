/**
 * `kaoreader bench card --json`: APDU count, bytes and time of the face-mode and PIN-mode card
 * phases, short vs extended APDUs, in-process and over pcscd + vpcd (fast path, and one run of
 * the slow path); `links`: the same phases' APDUs on real links (contact T=1 at the ATR's default
 * rate, contactless Type B at 106–848 kbit/s), each as a ratio to the link's physical limit;
 * `--fuzz N` adds N fuzz cases with the oracle.
 */
import { generateKeyPairSync } from 'node:crypto';
import type { CardReader, CardSession } from '../../../firmware/ports/card-reader.ts';
import { PcscCardReader } from '../../../firmware/platform/pcsc/pcsc-reader.ts';
import { systemClock } from '../../../firmware/platform/system-clock.ts';
import { parse } from '../../args.ts';
import type { Command } from '../../command.ts';
import { loadCardSim } from '../../compose.ts';
import { SimulatedTerminalAuthenticator } from '../../../firmware/apdu/myna/terminal-auth.ts';
import { contactlessTypeB, contactT1, linkTime, type ApduSize } from './card-links.ts';
import { facePhase, pinPhase, type PhaseInput, type PhaseResult } from './card-phases.ts';

interface Summary {
  readonly runs: number;
  readonly msMedian: number;
  readonly msP95: number;
  readonly last: Omit<PhaseResult, 'sizes'>;
}

function summarize(results: PhaseResult[]): Summary {
  const ms = results.map((r) => r.ms).sort((a, b) => a - b);
  const q = (p: number): number => Number((ms[Math.min(ms.length - 1, Math.floor(p * ms.length))] ?? 0).toFixed(2));
  const { sizes: _sizes, ...last } = results[results.length - 1] as PhaseResult;
  return { runs: results.length, msMedian: q(0.5), msP95: q(0.95), last: { ...last, ms: Number(last.ms.toFixed(2)) } };
}

/** One entry per link: the face and PIN phases' APDUs (short and extended) on it. */
function links(
  atr: Uint8Array,
  traces: { face: Record<'short' | 'extended', readonly ApduSize[]>; pin: Record<'short' | 'extended', readonly ApduSize[]> },
): unknown[] {
  const models = [contactT1(atr), ...([106, 212, 424, 848] as const).map((r) => contactlessTypeB(r))];
  return models.map((m) => ({
    link: m.name,
    bitRate: m.bitRate,
    face: { short: linkTime(m, traces.face.short), extended: linkTime(m, traces.face.extended) },
    pin: { short: linkTime(m, traces.pin.short), extended: linkTime(m, traces.pin.extended) },
  }));
}

async function measure(
  connect: () => Promise<CardSession>,
  input: PhaseInput,
  runs: number,
): Promise<{ face: Summary; pin: Summary; sizes: { face: readonly ApduSize[]; pin: readonly ApduSize[] } }> {
  const face: PhaseResult[] = [];
  const pin: PhaseResult[] = [];
  for (let i = 0; i < runs; i++) {
    for (const [phase, into] of [
      [facePhase, face],
      [pinPhase, pin],
    ] as const) {
      const session = await connect();
      try {
        into.push(await phase(session, input));
      } finally {
        await session.disconnect('reset'); // as every visit ends: part of what a visit costs
      }
    }
  }
  return { face: summarize(face), pin: summarize(pin), sizes: { face: face.at(-1)?.sizes ?? [], pin: pin.at(-1)?.sizes ?? [] } };
}

async function waitInserted(reader: CardReader, timeoutMs: number): Promise<void> {
  const it = reader.events()[Symbol.asyncIterator]();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const next = await Promise.race([it.next(), new Promise<undefined>((r) => setTimeout(() => r(undefined), deadline - Date.now()))]);
    if (next && !next.done && next.value.type === 'inserted') return;
    if (!next || next.done) break;
  }
  throw new Error('the virtual card did not appear in pcscd');
}

export const cardBenchCommand: Command = {
  name: 'card',
  summary: 'card phases: APDUs, bytes, time (in-process and over pcscd)',
  usage: `kaoreader bench card [--json] [--runs N] [--pcsc-runs N] [--no-pcsc] [--fuzz N] [--seed S]

Face-mode phase: detect, 照合番号B (tries + VERIFY), card face (EF 0004, EF 0002, chip proof),
certificate, 特定機関認証 + signature. PIN-mode phase: detect, certificate, PIN (tries + VERIFY),
signature. links: those APDUs on contact T=1 and contactless Type B 106/212/424/848 kbit/s.
Short and extended APDUs; in-process (SimCardReader) and over our own pcscd + vpcd (root).`,
  async run(argv, ctx) {
    const { values } = parse(argv, {
      json: { type: 'boolean' },
      runs: { type: 'string' },
      'pcsc-runs': { type: 'string' },
      'no-pcsc': { type: 'boolean' },
      fuzz: { type: 'string' },
      seed: { type: 'string' },
    });
    const sim = await loadCardSim();
    const pki = await sim.loadTestPki();
    const profile = await sim.defaultPatient('bench-patient');
    const card = await sim.issueVirtualCard(profile, { pki, counters: new sim.MemoryStore() });
    const verificationNumberB = sim.verificationNumberBOf(profile);
    const base = {
      trust: sim.trustFor(pki),
      terminalAuthenticator: new SimulatedTerminalAuthenticator(pki.terminal.privateKey),
      pin: new Uint8Array(Buffer.from(profile.pin, 'latin1')),
      verificationNumberB,
    };
    const runs = Number(values.runs ?? 20);
    const out: Record<string, unknown> = { machine: `${process.arch}, Node ${process.version}`, photoBytes: profile.photoJp2.length };

    const inProcess: Record<string, unknown> = {};
    const traces = {
      face: { short: [] as readonly ApduSize[], extended: [] as readonly ApduSize[] },
      pin: { short: [] as readonly ApduSize[], extended: [] as readonly ApduSize[] },
    };
    for (const extended of [false, true]) {
      const reader = new sim.SimCardReader({ features: { extendedApdu: extended } });
      reader.insert(card);
      const { sizes, ...m } = await measure(() => reader.connect(), { ...base, extended }, runs);
      const kind = extended ? 'extended' : 'short';
      inProcess[kind] = m;
      traces.face[kind] = sizes.face;
      traces.pin[kind] = sizes.pin;
      await reader.close();
    }
    out['inProcess'] = inProcess;
    out['links'] = links(card.atr, traces);
    out['linksNote'] =
      'transmission only (card.md): on-card computing is extra: face = chip proof (RSA-2048 sign) + terminal authentication + user-auth signature; PIN = user-auth signature';

    if (!values['no-pcsc']) {
      let pcscd: Awaited<ReturnType<typeof sim.startPcscd>> | undefined;
      try {
        pcscd = await sim.startPcscd();
        await sim.ensureQuickAckRoute();
        const overPcsc: Record<string, unknown> = {};
        for (const [label, host, n] of [
          ['fast', sim.FAST_PATH_HOST, Number(values['pcsc-runs'] ?? 5)],
          ['slow', '127.0.0.1', 1],
        ] as const) {
          const bridge = new sim.VpcdBridge({ host, port: pcscd.vpcdPort });
          for (const extended of label === 'fast' ? [false, true] : [false]) {
            const reader = new PcscCardReader({ clock: systemClock, readerName: 'Virtual PCD 00 00', extendedApdu: extended });
            const seen = waitInserted(reader, 10_000);
            bridge.attach(card);
            await seen;
            const { sizes: _sizes, ...m } = await measure(() => reader.connect(), { ...base, extended }, n);
            overPcsc[`${label}-${extended ? 'extended' : 'short'}`] = m;
            bridge.detach();
            await reader.close();
            await new Promise((r) => setTimeout(r, 600)); // pcscd notices the removal
          }
          bridge.close();
        }
        out['overPcscd'] = overPcsc;
      } catch (err) {
        out['overPcscd'] = { skipped: err instanceof Error ? err.message : String(err) };
      } finally {
        await pcscd?.stop();
      }
    }

    if (values.fuzz) {
      const issued = await sim.issueCardContents(profile, { pki });
      const spareKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      const r = await sim.fuzzCardResponses({
        issued,
        pki,
        spareKey,
        trust: base.trust,
        pin: base.pin,
        verificationNumberB,
        cases: Number(values.fuzz),
        seed: Number(values.seed ?? 1),
        caseLimitMs: 5000,
      });
      out['fuzz'] = { ...r, totalMs: Math.round(r.totalMs), maxCaseMs: Number(r.maxCaseMs.toFixed(1)), findings: r.findings.slice(0, 20) };
    }
    ctx.stdout.write(values.json ? `${JSON.stringify(out, null, 2)}\n` : `${JSON.stringify(out)}\n`);
    return 0;
  },
};
