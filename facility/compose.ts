/**
 * The facility service's composition root: configuration → trust anchors, revocation lists,
 * database, qualification provider, broker TLS, service, metrics endpoint. `kaoreader facility
 * serve` and `kaoreader sim facility` both start the service here; they differ only in the
 * provider and configuration they pass.
 */
import type { KeyObject } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createAuditLog, stderrSink, type AuditLog, type Logger, type LogSink } from '../firmware/core/logger.ts';
import type { Clock } from '../firmware/ports/clock.ts';
import type { FacilityConfig } from './config/schema.ts';
import { startMetricsServer, type MetricsEndpoint } from './metrics/http-server.ts';
import type { QualificationProvider } from './qualification/provider.ts';
import { SimulatedQualificationProvider } from './qualification/simulated-provider.ts';
import { FacilityService } from './service/facility-service.ts';
import type { BrokerSettings } from './service/mqtt-consumer.ts';
import { openFacilityStore } from './store/open-store.ts';
import type { FacilityStore } from './store/store.ts';
import { ProofVerifier } from './verify/proof-verifier.ts';
import { Revocation } from './verify/revocation.ts';
import { TrustAnchors } from './verify/trust-anchors.ts';

export interface RunningFacility {
  readonly service: FacilityService;
  readonly store: FacilityStore;
  readonly revocation: Revocation;
  readonly metrics: MetricsEndpoint | undefined;
  /** Stops the service, then the metrics endpoint, the CRL schedule and the database. */
  close(options?: { readonly endSession?: boolean }): Promise<void>;
}

export interface FacilityParts {
  readonly clock: Clock;
  readonly log: Logger;
  /** The qualification provider; the one the configuration names when absent. */
  readonly provider?: QualificationProvider;
  /** Where audit records go; the configured file (or stderr) when absent. */
  readonly auditSink?: LogSink;
  /** The facility command key; the CA directory's (`broker.caDir`, DIR/facility/command-key.pem) when absent. */
  readonly commandKey?: KeyObject;
  /** Opens the broker connection (`mqtt.connect` when absent). */
  readonly connectMqtt?: BrokerSettings['connect'];
}

/** The audit stream: the given sink, else the configured file (appended, 0600), else stderr. */
function auditFor(c: FacilityConfig, parts: FacilityParts): { audit: AuditLog; file: WriteStream | undefined } {
  const file = !parts.auditSink && c.log.audit ? createWriteStream(c.log.audit, { flags: 'a', mode: 0o600 }) : undefined;
  const sink: LogSink =
    parts.auditSink ??
    (file
      ? {
          write: (line) => {
            file.write(`${line}\n`);
          },
        }
      : stderrSink);
  return { audit: createAuditLog(sink, () => parts.clock.now()), file };
}

async function brokerTls(caDir: string | undefined): Promise<{ ca: string; cert: string; key: string } | undefined> {
  if (!caDir) return undefined;
  const { facilityTls } = await import('../firmware/facility/pairing/facility-ca.ts');
  return facilityTls(caDir);
}

/** The key that signs commands: given, else the CA directory's, else none (no command is sent). */
async function commandKeyFor(caDir: string | undefined, given: KeyObject | undefined): Promise<KeyObject | undefined> {
  if (given || !caDir) return given;
  const { facilityCommandKey } = await import('../firmware/facility/pairing/facility-ca.ts');
  return facilityCommandKey(caDir);
}

/** A CRL without nextUpdate is used for this many refresh intervals after its thisUpdate unless configured. */
const CRL_MAX_AGE_REFRESHES = 24;

export async function startFacility(c: FacilityConfig, parts: FacilityParts): Promise<RunningFacility> {
  const { clock, log } = parts;
  const anchors = await TrustAnchors.fromFiles(c.trust.jpkiUserAuthCa);
  const revocation = await Revocation.start({
    sources: c.trust.crl,
    anchors,
    clock,
    log: log.child('crl'),
    refreshMs: c.trust.crlRefreshSeconds * 1000,
    graceMs: c.trust.crlGraceSeconds * 1000,
    maxAgeMs: (c.trust.crlMaxAgeSeconds ?? CRL_MAX_AGE_REFRESHES * c.trust.crlRefreshSeconds) * 1000,
  });
  let store: FacilityStore | undefined;
  let service: FacilityService | undefined;
  const { audit, file } = auditFor(c, parts);
  try {
    store = await openFacilityStore(c.store, log.child('store'));
    const tls = await brokerTls(c.broker.caDir);
    const commandKey = await commandKeyFor(c.broker.caDir, parts.commandKey);
    service = await FacilityService.start({
      facilityId: c.facilityId,
      broker: {
        url: c.broker.url,
        protocolVersion: c.broker.protocolVersion,
        ...(tls ? { tls } : {}),
        ...(c.broker.clientId ? { clientId: c.broker.clientId } : {}),
        ...(c.broker.shareGroup ? { shareGroup: c.broker.shareGroup } : {}),
        ...(parts.connectMqtt ? { connect: parts.connectMqtt } : {}),
      },
      store,
      provider: parts.provider ?? new SimulatedQualificationProvider(),
      verifier: new ProofVerifier(c.facilityId, anchors, revocation),
      revocation,
      clock,
      log,
      audit,
      challengeTtlMs: c.challengeTtlSeconds * 1000,
      providerTimeoutMs: c.qualification.timeoutMs,
      consentItems: c.visit.consentItems,
      ePrescription: c.visit.ePrescription,
      xml: c.xml,
      commandKey,
    });
    const running = service;
    const metrics = c.metrics.enabled
      ? await startMetricsServer({
          host: c.metrics.host,
          port: c.metrics.port,
          metrics: () => running.metrics.text(),
          contentType: running.metrics.registry.contentType,
          healthy: () => running.connected,
        })
      : undefined;
    const opened = store;
    return {
      service: running,
      store: opened,
      revocation,
      metrics,
      async close(options = {}) {
        await running.close(options);
        await metrics?.close();
        revocation.close();
        await opened.close();
        if (file) await new Promise<void>((r) => file.end(() => r()));
      },
    };
  } catch (err) {
    await service?.close().catch(() => undefined);
    await store?.close().catch(() => undefined);
    revocation.close();
    file?.end();
    throw err;
  }
}
