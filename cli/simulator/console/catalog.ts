/** The choices the console offers, in words a QA person uses; every scene and card kind has one (the compiler checks). */
import { LANGS } from '../../../firmware/display/i18n/languages.ts';
import { PATIENTS } from '../../../hardware-sim/patients/profiles.ts';
import type { Scene } from '../scene-camera.ts';
import { SCENES } from '../scene-camera.ts';
import type { Catalog, CardKind, Choice } from './protocol.ts';

const SCENE_TEXT: Readonly<Record<Scene, readonly [string, string]>> = {
  live: ['The patient, live', 'the card holder looks at the camera and does what the screen asks (blink, turn the head)'],
  photo: ['A printed photo', "the patient's photo on paper, held up and moved by hand (must be refused)"],
  phone: ['A photo on a phone', "the patient's photo on a phone screen, held up (must be refused)"],
  replay: [
    'A replayed recording',
    "a recording of the patient's earlier live session (blinking, answering another challenge), replayed (must be refused)",
  ],
  nobody: ['Nobody', 'no one in front of the camera'],
  'other-person': ['Another person', 'someone else, live, in front of the camera (must not match)'],
  'two-people': ['Two people', 'the patient with another person beside them'],
};

const CARD_TEXT: Readonly<Record<CardKind, readonly [string, string]>> = {
  patient: ["The patient's My Number Card", 'a valid card of the chosen patient'],
  'not-my-number-card': ['Another IC card', 'an IC card that is not a My Number Card (a transit card)'],
  expired: ['An expired card', "the patient's card whose certificate has expired"],
};

const choice = ([id, [label, help]]: readonly [string, readonly [string, string]]): Choice => ({ id, label, help });
const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });

export function catalog(scenarios: readonly string[], screenSize: { width: number; height: number }): Catalog {
  return {
    patients: PATIENTS.map((p) => ({
      id: p.id,
      label: `${p.nameKanji} (${p.id})`,
      help: `born ${p.birthDate.year}, PIN ${p.pin}`,
      pin: p.pin,
    })),
    cards: Object.entries(CARD_TEXT).map(choice),
    scenes: SCENES.map((s) => choice([s, SCENE_TEXT[s]])),
    languages: LANGS.map((l) => ({ id: l, label: languageNames.of(l) ?? l, help: '' })),
    scenarios,
    screenSize,
  };
}
