/**
 * A real partition scenario (root, network namespaces): the reader process runs in its own
 * netns, the broker listens on the host end of a veth pair; mid-run the cable is pulled
 * (`ip link set down`: no RST, half-open connections on both ends) for `partitionMs`, longer
 * than 1.5× the MQTT keepalive, so the broker publishes the reader's last will and the reader
 * gives up the dead connection. Report: the counting report plus what the facility saw
 * (will "offline" during the partition, "online" after).
 */
import { type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../firmware/core/logger.ts';
import { startMosquitto } from './mosquitto.ts';
import { NetnsLink } from './netns.ts';
import { startFacilitySimulator } from './simulator.ts';

export interface PartitionOptions {
  readonly results: number;
  readonly ratePerSec: number;
  readonly partitionMs: number;
  readonly keepaliveS: number;
  readonly workDir: string;
  readonly log: Logger;
}

const READER = fileURLToPath(new URL('./reader-process.ts', import.meta.url));

export async function runNetnsPartition(o: PartitionOptions): Promise<Record<string, unknown>> {
  const net = new NetnsLink();
  net.setup();
  const t0 = Date.now();
  let child: ChildProcess | undefined;
  try {
    const broker = await startMosquitto({ dir: join(o.workDir, 'broker'), alsoListenOn: [net.hostIp] });
    const sim = await startFacilitySimulator({
      brokerUrl: broker.url,
      facilityId: 'clinic-a',
      log: o.log,
      dataDir: join(o.workDir, 'facility'),
    });
    const expected = new Set<string>();
    let depth = -1;
    let submitted = false;
    child = net.exec(
      process.execPath,
      [
        '--import',
        'tsx',
        READER,
        join(o.workDir, 'outbox'),
        `mqtt://${net.hostIp}:${broker.port}`,
        'reader-01',
        String(o.results),
        String(o.ratePerSec),
      ],
      { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, KAOREADER_KEEPALIVE: String(o.keepaliveS) } },
    );
    let buf = '';
    child.stdout?.on('data', (d: Buffer) => {
      const lines = (buf + d.toString()).split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) {
        if (l.startsWith('stored ')) expected.add(l.slice(7));
        else if (l.startsWith('depth ')) depth = Number(l.split(' ')[1]);
        else if (l === 'submitted') submitted = true;
      }
    });
    const missing = async (): Promise<number> => {
      const found = await sim.store.storedResults([...expected]);
      return [...expected].filter((id) => !found.has(id)).length;
    };
    const waitFor = async (cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> => {
      const end = Date.now() + ms;
      for (let i = 0; !(await cond()); i++) {
        if (Date.now() > end || i > 1_000_000)
          throw new Error(
            `partition: timed out waiting for ${what} (stored ${expected.size}, depth ${depth}, facility ${await sim.stored()})`,
          );
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await waitFor(() => expected.size >= o.results * 0.3, 120_000, '30 % submitted');
    const downAt = Date.now();
    net.down();
    await new Promise((r) => setTimeout(r, o.partitionMs));
    const depthAtEnd = depth;
    net.up();
    const upAt = Date.now();
    await waitFor(() => sim.statusLog.some((s) => s.state === 'online' && s.at > upAt), 60_000, 'reader back online');
    const backOnlineMs = (sim.statusLog.find((s) => s.state === 'online' && s.at > upAt)?.at ?? upAt) - upAt;
    await waitFor(async () => submitted && depth === 0 && (await missing()) === 0, 120_000, 'all delivered');
    const will = sim.statusLog.find((s) => s.state === 'offline' && s.at > downAt && s.at < upAt);
    const c = sim.readers.get('reader-01');
    const report = {
      scenario: 'netns partition (ip link down)',
      partitionMs: o.partitionMs,
      keepaliveS: o.keepaliveS,
      expected: expected.size,
      received: await sim.stored(),
      unmatched: await missing(),
      refused: c?.refused ?? 0,
      duplicates: c?.duplicates ?? 0,
      outOfOrder: c?.outOfOrder ?? 0,
      outboxDepthAtPartitionEnd: depthAtEnd,
      willSeenAfterMs: will ? will.at - downAt : null,
      backOnlineAfterMs: backOnlineMs,
      durationMs: Date.now() - t0,
    };
    child.stdin?.end();
    await sim.close();
    await broker.stop();
    return report;
  } finally {
    child?.kill('SIGKILL');
    net.teardown();
  }
}
