/**
 * Why the device refused an update. Every refusal is an UpdateRejectedError with a `reason`
 * the facility link maps to a result code and the log shows; a repository that cannot be
 * reached is an UpdateFetchError (retried at the next poll), not a refusal.
 */
import { KaoreaderError } from '../../firmware/core/errors.ts';

export type RejectReason =
  | 'metadata-expired' // freeze: a role's metadata is past its expiry
  | 'metadata-rollback' // replay: a metadata version went down
  | 'metadata-inconsistent' // mix-and-match: snapshot/targets not the ones the timestamp/snapshot vouch for
  | 'metadata-signature' // not signed by a threshold of the role's keys
  | 'metadata-invalid' // unparsable or otherwise unusable metadata
  | 'release-rollback' // the newest release offered is older than the installed one
  | 'wrong-arch' // no build of the newest release for this architecture
  | 'wrong-abi' // built for another Node ABI
  | 'target-truncated' // the repository's file is shorter than the signed length
  | 'target-oversized' // more bytes than the signed length
  | 'target-hash' // the bytes do not hash to the signed value
  | 'download-unsafe' // the download is a symlink, a FIFO or another non-regular file
  | 'manifest-invalid' // the unpacked release's manifest disagrees with the signed target
  | 'no-space'; // not enough free space for download + unpack

export class UpdateRejectedError extends KaoreaderError {
  readonly code = 'UPDATE_REJECTED';
  constructor(
    readonly reason: RejectReason,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`update rejected (${reason}): ${detail}`, options);
  }
}

export class UpdateFetchError extends KaoreaderError {
  readonly code = 'UPDATE_FETCH';
}
