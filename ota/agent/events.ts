/** What the OTA agent reports while it works (screen "update in progress", MQTT status, logs). */
import type { RejectReason } from './errors.ts';

export type OtaEvent =
  | { readonly type: 'checking'; readonly source: string }
  | { readonly type: 'up-to-date'; readonly version: string | undefined }
  | { readonly type: 'available'; readonly version: string; readonly bytes: number }
  /** About every 1 % of the download, and at its end. */
  | { readonly type: 'download'; readonly version: string; readonly bytes: number; readonly total: number }
  | { readonly type: 'downloaded'; readonly version: string }
  | { readonly type: 'verified'; readonly version: string }
  /** At the first entry, then every UNPACK_EVERY (stage.ts) entries. */
  | { readonly type: 'unpack'; readonly version: string; readonly entries: number }
  | { readonly type: 'unpacked'; readonly version: string }
  | { readonly type: 'deferred'; readonly version: string; readonly reason: 'busy' }
  | { readonly type: 'linked'; readonly version: string }
  | { readonly type: 'switched'; readonly version: string; readonly from: string | undefined }
  | { readonly type: 'restarting'; readonly why: 'update' | 'rollback' }
  | { readonly type: 'trial'; readonly version: string; readonly attempts: number; readonly windowMs: number }
  | { readonly type: 'committed'; readonly version: string; readonly warnings: readonly string[] }
  | { readonly type: 'rolled-back'; readonly version: string; readonly to: string; readonly reason: string }
  | { readonly type: 'rejected'; readonly reason: RejectReason; readonly detail: string }
  | { readonly type: 'failed'; readonly detail: string };

export type OtaListener = (e: OtaEvent) => void;
