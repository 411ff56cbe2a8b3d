/** The one error of the tar reader and writer: a malformed, oversized or hostile archive. */
import { KaoreaderError } from '../../firmware/core/errors.ts';

export class TarError extends KaoreaderError {
  readonly code = 'TAR_INVALID';
}
