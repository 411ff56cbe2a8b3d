/**
 * OpenSC's `opensc-tool` as the reader: sends a list of APDUs in one card session through PC/SC
 * and parses what it prints (`Received (SW1=0x90, SW2=0x00):` then hex rows of 16 bytes). Our
 * APDU stack plays no part: this is how the independent checks read the virtual card.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface OpenscResponse {
  readonly sw: number;
  readonly data: Uint8Array;
}

export function parseOpenscOutput(stdout: string): OpenscResponse[] {
  const out: OpenscResponse[] = [];
  let current: { sw: number; bytes: number[] } | undefined;
  for (const line of stdout.split('\n')) {
    const received = /^Received \(SW1=0x([0-9A-Fa-f]{2}), SW2=0x([0-9A-Fa-f]{2})\)/.exec(line);
    if (received) {
      if (current) out.push({ sw: current.sw, data: Uint8Array.from(current.bytes) });
      current = { sw: parseInt(`${received[1] ?? ''}${received[2] ?? ''}`, 16), bytes: [] };
      continue;
    }
    if (line.startsWith('Sending:')) {
      if (current) out.push({ sw: current.sw, data: Uint8Array.from(current.bytes) });
      current = undefined;
      continue;
    }
    const row = /^((?:[0-9A-F]{2} ){1,16})/.exec(line);
    if (current && row)
      current.bytes.push(
        ...(row[1] ?? '')
          .trim()
          .split(' ')
          .map((h) => parseInt(h, 16)),
      );
  }
  if (current) out.push({ sw: current.sw, data: Uint8Array.from(current.bytes) });
  return out;
}

/** Sends `apdus` (hex) in order in one session on `reader`; one response per APDU or it throws. */
export async function openscSend(
  reader: string,
  apdus: readonly string[],
  env: Readonly<Record<string, string>>,
): Promise<OpenscResponse[]> {
  const args = ['-r', reader, ...apdus.flatMap((a) => ['-s', a])];
  const { stdout } = await run('opensc-tool', args, { timeout: 60_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, ...env } });
  const responses = parseOpenscOutput(stdout);
  if (responses.length !== apdus.length)
    throw new Error(`opensc-tool answered ${responses.length} of ${apdus.length} APDUs:\n${stdout.slice(-2000)}`);
  return responses;
}
