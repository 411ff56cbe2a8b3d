/**
 * A reader that is not paired with a facility yet (first boot) shows the pairing screen, with
 * its pairing code and QR (reader id and key fingerprint), instead of taking patients: a
 * check-in would have no facility to go to. Facility IT pairs it (`kaoreader facility pair`,
 * docs/facility-protocol.md); the paired daemon then runs the visit loop.
 */
import type { Logger } from '../firmware/core/logger.ts';
import type { HealthCheck, Service } from '../firmware/ports/service.ts';
import { LANGS, type Lang } from '../firmware/display/i18n/languages.ts';
import type { ScreenUi } from '../firmware/display/screen-ui.ts';

export function pairingScreenService(
  ui: ScreenUi,
  pairing: { readonly code: string; readonly qr: string },
  language: string,
  log: Logger,
): Service {
  return {
    name: 'pairing-screen',
    async start() {
      const lang: Lang = (LANGS as readonly string[]).includes(language) ? (language as Lang) : 'ja';
      await ui.show('pairing', { qr: pairing.qr, args: { code: pairing.code } }, lang);
      log.info('not paired: the pairing screen is shown');
    },
    stop: () => Promise.resolve(),
    health: (): Promise<HealthCheck[]> =>
      Promise.resolve([{ name: 'pairing', critical: false, ok: false, detail: 'not paired with a facility: the pairing screen is shown' }]),
  };
}
