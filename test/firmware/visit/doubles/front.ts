/** Scripted card-front OCR: the scenario's 照合番号B, or "unreadable" (never a guess). */
import type { CardFront } from '../../../../firmware/visit/deps.ts';
import { CardError } from './card.ts';
import { Scripted } from './scripted.ts';

export class ScriptedFront extends Scripted implements CardFront {
  constructor(
    private readonly verificationNumberB: string | 'unreadable',
    allowed: boolean,
  ) {
    super('cardFront', allowed ? ['readVerificationNumberB'] : []);
  }

  readVerificationNumberB(): Promise<Uint8Array> {
    this.call('readVerificationNumberB');
    if (this.verificationNumberB === 'unreadable')
      return Promise.reject(new CardError('VERIFICATION_NUMBER_B_UNREADABLE', 'card front not read with confidence'));
    return Promise.resolve(new Uint8Array(Buffer.from(this.verificationNumberB, 'ascii')));
  }
}
