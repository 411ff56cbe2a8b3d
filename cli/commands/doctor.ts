/** `kaoreader doctor`: one clear line per piece of hardware or service the reader needs. */
import { loadConfig } from '../../firmware/config/load.ts';
import { cameraProbe, framebufferProbe, gpioProbe, touchProbe } from '../../firmware/platform/probes/devices.ts';
import type { Probe, ProbeResult } from '../../firmware/platform/probes/probe.ts';
import { runtimeProbe } from '../../firmware/platform/probes/runtime.ts';
import { brokerProbe, hidKeypadProbe, pcscProbe } from '../../firmware/platform/probes/services.ts';
import { parse } from '../args.ts';
import type { Command } from '../command.ts';

const MARK: Record<ProbeResult['status'], string> = { ok: '✔', missing: '–', error: '✘' };

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'report which hardware and services this machine has',
  usage: `kaoreader doctor [--config FILE] [--json]

Reports the Node.js runtime and whether every native addon loads on it, then looks for PC/SC
readers (pcscd) and cards, cameras (V4L2 and libcamera), framebuffer, touch panel, HID keypads,
the GPIO driver for the LEDs and buzzer, and the facility broker: one line each. Returns within
seconds whatever pcscd does. Exit 0 unless the runtime or a probe itself failed.`,
  async run(argv, ctx) {
    const { values } = parse(argv, { config: { type: 'string' }, json: { type: 'boolean' } });
    const config = await loadConfig(values.config);
    const probes: Probe[] = [
      runtimeProbe(),
      pcscProbe(),
      cameraProbe(config.hardware.camera.source),
      framebufferProbe(),
      touchProbe(),
      hidKeypadProbe(config.hardware.keypad.vendorId, config.hardware.keypad.productId),
      gpioProbe(config.hardware.gpio),
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
      ctx.stdout.write(
        found === 0
          ? 'No reader hardware found on this machine: "kaoreader run" uses the simulator.\n'
          : `${found} of ${results.length} found.\n`,
      );
    }
    return results.some((r) => r.name === 'runtime' && r.status === 'error') ? 1 : 0;
  },
};
