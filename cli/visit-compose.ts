/**
 * The one place the visit loop is built: from the reader's ports and parts and the configuration.
 * The daemon on hardware (compose.ts) and the simulated reader (sim/sim-reader.ts) both call it;
 * they differ only in the drivers passed in (PC/SC or the virtual card's slot, the camera or the
 * scene camera, the framebuffer or the simulated panel), never in how the visit is put together.
 */
import type { MyNumberCardTrust } from '../firmware/apdu/myna/client.ts';
import type { TerminalAuthenticator } from '../firmware/apdu/myna/terminal-auth.ts';
import type { VisitConfig } from '../firmware/config/sections/visit.ts';
import type { AuditLog, Logger } from '../firmware/core/logger.ts';
import { uuidv7 } from '../firmware/core/uuidv7.ts';
import type { CardReader } from '../firmware/ports/card-reader.ts';
import type { Clock } from '../firmware/ports/clock.ts';
import type { FacilityLink } from '../firmware/ports/facility-link.ts';
import type { Gpio } from '../firmware/ports/gpio.ts';
import { MynaCardOpener } from '../firmware/visit/adapters/myna-card.ts';
import type { CardFront, StaffAuth, VisitFace, VisitUi } from '../firmware/visit/deps.ts';
import type { VisitObserver } from '../firmware/visit/events.ts';
import { VisitLoop, type VisitUpdateLock } from '../firmware/visit/loop.ts';
import type { VisitOutcome } from '../firmware/visit/visit.ts';

/** Transitions a visit may take before it is ended as too long (a loop guard, not a policy). */
const MAX_STEPS = 200;

/** The drivers and parts of one reader: real on hardware, simulated in the simulator. */
export interface VisitParts {
  readonly readerId: string;
  readonly cardReader: CardReader;
  readonly trust: MyNumberCardTrust;
  /** 特定機関認証 for face mode; absent: face mode ends with the PIN. */
  readonly terminalAuthenticator?: TerminalAuthenticator | undefined;
  readonly cardFront: CardFront;
  readonly face: VisitFace;
  readonly ui: VisitUi;
  readonly facility: FacilityLink;
  readonly staff: StaffAuth;
  readonly gpio?: Gpio;
  readonly clock: Clock;
  /** The reader's logger; the visit and card parts log under their own namespaces. */
  readonly log: Logger;
  readonly audit: AuditLog;
}

export interface VisitLoopConfig {
  /** The idle screen's language, and every visit's until the patient picks another. */
  readonly language: string;
  readonly visit: VisitConfig;
}

/** Who watches the loop: the QA console and scenarios (observer), benches (onVisitEnd), the OTA agent (updateLock). */
export interface VisitLoopHooks {
  readonly observer?: VisitObserver;
  readonly onVisitEnd?: (outcome: VisitOutcome) => void;
  readonly updateLock?: VisitUpdateLock;
}

export function composeVisitLoop(parts: VisitParts, config: VisitLoopConfig, hooks: VisitLoopHooks = {}): VisitLoop {
  const { clock, log } = parts;
  return new VisitLoop({
    reader: parts.cardReader,
    defaultLanguage: config.language,
    ...(parts.gpio ? { gpio: parts.gpio } : {}),
    ...(hooks.observer ? { observer: hooks.observer } : {}),
    ...(hooks.onVisitEnd ? { onVisitEnd: hooks.onVisitEnd } : {}),
    ...(hooks.updateLock ? { updateLock: hooks.updateLock } : {}),
    visit: {
      readerId: parts.readerId,
      cards: new MynaCardOpener(parts.cardReader, {
        clock,
        trust: parts.trust,
        log: log.child('card'),
        ...(parts.terminalAuthenticator ? { terminalAuthenticator: parts.terminalAuthenticator } : {}),
      }),
      cardFront: parts.cardFront,
      face: parts.face,
      ui: parts.ui,
      facility: parts.facility,
      staff: parts.staff,
      clock,
      log: log.child('visit'),
      audit: parts.audit,
      settings: { timeouts: config.visit.timeouts, faceMaxFailures: config.visit.faceMaxFailures, maxSteps: MAX_STEPS },
      newId: () => uuidv7(clock.now()),
    },
  });
}
