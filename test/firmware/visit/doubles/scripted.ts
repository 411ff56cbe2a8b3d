/** Base of the scripted doubles: only the calls a scenario allows; anything else throws. */
export class UnexpectedCall extends Error {}

export class Scripted {
  readonly calls: string[] = [];
  /** When each call was made (performance.now(), faked in the harness). */
  readonly callsAt: number[] = [];
  constructor(
    readonly part: string,
    private readonly allowed: readonly string[],
  ) {}

  protected call(name: string): void {
    this.calls.push(name);
    this.callsAt.push(performance.now());
    if (!this.allowed.includes(name)) throw new UnexpectedCall(`${this.part}.${name}() is not part of this scenario`);
  }
}

/** Rejects when the signal fires (like a real part honouring cancellation). */
export function untilAborted(signal: AbortSignal, what: string): Promise<never> {
  return new Promise((_, reject) => {
    const fail = (): void => reject(Object.assign(new Error(`${what} cancelled`), { code: 'CANCELLED' }));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}
