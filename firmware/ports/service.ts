/**
 * A long-running part of the daemon (facility link, visit loop, OTA agent). Started in order,
 * stopped in reverse order on shutdown. `start` resolves once the service is ready.
 */
export interface HealthCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  /** false: reported, but no reason to roll back a release (an unreachable facility). Default true. */
  readonly critical?: boolean;
}

export interface Service {
  readonly name: string;
  start(signal: AbortSignal): Promise<void>;
  stop(): Promise<void>;
  /** Self-test used for READY and the OTA health window. */
  health?(): Promise<HealthCheck[]>;
}
