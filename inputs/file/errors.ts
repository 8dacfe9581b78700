/** The file input's own error: a glob that cannot be compiled (reported by `sluice check`). */
import { SluiceError } from '../../pipeline/errors.js';

export class GlobError extends SluiceError {
  constructor(message: string) {
    super('SLUICE_CONFIG_INVALID', message);
  }
}
