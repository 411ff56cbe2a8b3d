/**
 * The one configuration schema. Each area owns a section file in `sections/`; this file only
 * composes them. Validated at start with every error reported at once, defaults filled in.
 */
import { cardSection, type CardConfig } from './sections/card.ts';
import { faceSection, type FaceConfig } from './sections/face.ts';
import { facilitySection, type FacilityConfig } from './sections/facility.ts';
import { hardwareSection, type HardwareConfig } from './sections/hardware.ts';
import { logSection, type LogConfig } from './sections/log.ts';
import { otaSection, type OtaConfig } from './sections/ota.ts';
import { readerSection, type ReaderConfig } from './sections/reader.ts';
import { screenSection, type ScreenConfig } from './sections/screen.ts';
import { visitSection, type VisitConfig } from './sections/visit.ts';

export const configSchema = {
  $id: 'https://kaoreader.invalid/schema/config.json',
  type: 'object',
  additionalProperties: false,
  properties: {
    log: logSection,
    reader: readerSection,
    hardware: hardwareSection,
    facility: facilitySection,
    visit: visitSection,
    screen: screenSection,
    card: cardSection,
    ota: otaSection,
    face: faceSection,
  },
} as const;

export interface Config {
  log: LogConfig;
  reader: ReaderConfig;
  hardware: HardwareConfig;
  facility: FacilityConfig;
  visit: VisitConfig;
  screen: ScreenConfig;
  card: CardConfig;
  ota: OtaConfig;
  face: FaceConfig;
}
