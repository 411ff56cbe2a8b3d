/** `kaoreader doctor`: one clear line per piece of hardware or service the reader needs. */
import { loadConfig } from '../../firmware/config/load.ts';
import { cameraProbe, framebufferProbe, gpioProbe, touchProbe } from '../../firmware/platform/probes/devices.ts';
import type { Probe, ProbeResult } from '../../firmware/platform/probes/probe.ts';
import { brokerProbe, hidKeypadProbe, pcscProbe } from '../../firmware/platform/probes/services.ts';
import { parse } from '../args.ts';
import type { Command } from '../command.ts';

const MARK: Record<ProbeResult['status'], string> = { ok: '✔', missing: '–', error: '✘' };

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'report which hardware and services this machine has',
  usage: `kaoreader doctor [--config FILE] [--json]

Looks for PC/SC readers (pcscd), cameras, framebuffer, touch panel, HID keypads, GPIO and the
facility broker, and prints one line for each. Exit 0 unless a probe itself failed.`,
  async run(argv, ctx) {
    const { values } = parse(argv, { config: { type: 'string' }, json: { type: 'boolean' } });
    const config = await loadConfig(values.config);
    const probes: Probe[] = [
      pcscProbe(),
      cameraProbe(),
      framebufferProbe(),
      touchProbe(),
      hidKeypadProbe(config.hardware.keypad.vendorId, config.hardware.keypad.productId),
      gpioProbe(),
      brokerProbe(config.facility.brokerUrl),
    ];
    const results: ProbeResult[] = [];
    for (const p of probes) {
      try {
        results.push(await p.run(ctx.signal));
      } catch (err) {
        results.push({ name: p.name, status: 'error', detail: `probe failed: ${(err as Error).message}` });
      }
    }
    if (values.json) ctx.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    else {
      for (const r of results) ctx.stdout.write(`${MARK[r.status]} ${r.name.padEnd(12)} ${r.detail}\n`);
      const found = results.filter((r) => r.status === 'ok').length;
      ctx.stdout.write(found === 0 ? 'No reader hardware found on this machine: "kaoreader run" uses the simulator.\n' : `${found} of ${results.length} found.\n`);
    }
    return 0;
  },
};
