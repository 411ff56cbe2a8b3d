/** One line of `kaoreader doctor`: what was looked for, whether it is there, and what to do. */
export type ProbeStatus = 'ok' | 'missing' | 'error';

export interface ProbeResult {
  readonly name: string;
  readonly status: ProbeStatus;
  /** What was found, or what is wrong and the fix. */
  readonly detail: string;
}

export interface Probe {
  readonly name: string;
  run(signal: AbortSignal): Promise<ProbeResult>;
}

export function result(name: string, status: ProbeStatus, detail: string): ProbeResult {
  return { name, status, detail };
}
