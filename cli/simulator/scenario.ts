/**
 * A scripted patient visit for `kaoreader sim visit` (YAML). Validated with one JSON schema,
 * every problem reported at once. See test/scenarios/*.yaml for examples.
 *
 *   name: face ok
 *   patient: suzuki-aiko            # simulated patient (card + face), hardware-sim/patients
 *   card: patient                   # patient | not-my-number-card | expired
 *   terminalAuthenticator: simulated # simulated (特定機関認証, default) | none (face mode ends with the PIN)
 *   facility: { registered: true, consentItems: [surgery, …], previousConsent: {…}, ePrescription: false, reachable: true }
 *   visit: { faceMaxFailures: 3, timeouts: { choiceMs: 2000 } }   # the config `visit` section
 *   staffPassword: "…"              # set by facility IT before the visit
 *   steps:
 *     - language: en                # tap a language on the idle screen
 *     - insert: card
 *     - expect: method              # wait until this screen is shown
 *     - see: method.faceThenPin     # wait until the screen shows this catalog message (no arguments)
 *     - tap: face                   # a button of the current screen
 *     - camera: live                # live | photo | phone | replay | nobody | other-person | two-people (SCENES)
 *     - pin: "1357"                 # digits on the keypad, then enter
 *     - password: "…"               # staff password on the pad, then enter
 *     - cancel: entry               # 取消 on the PIN/password pad
 *     - pull: card
 *     - wait: 1500                  # ms
 *     - fault: no-answer            # the card's next command is not answered (a bad contact)
 *   expect:
 *     result: { outcome: accepted, method: face, … }   # subset of the VisitResult (the last visit's)
 *     screens: [method, face, consent, done]           # in this order (others may come between)
 *     visits: 2                     # visits made ("try again" on a card problem starts another; default 1)
 *
 * Screen and button ids are the reader's own (firmware/ports/screens.ts), the same on every layer.
 */
import { readFile } from 'node:fs/promises';
import { Ajv, type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { KaoreaderError } from '../../firmware/core/errors.ts';
import { visitSection, type VisitConfig } from '../../firmware/config/sections/visit.ts';
import { LANGS } from '../../firmware/ports/language.ts';
import { SCENES, type Scene } from './scene-camera.ts';

export type ScenarioStep =
  | { readonly language: string }
  | { readonly insert: 'card' }
  | { readonly expect: string; readonly within?: number }
  | { readonly see: string; readonly within?: number }
  | { readonly tap: string }
  | { readonly camera: Scene }
  | { readonly pin: string }
  | { readonly password: string }
  | { readonly cancel: 'entry' }
  | { readonly pull: 'card' }
  | { readonly wait: number }
  | { readonly facility: 'down' | 'up' }
  /** The card's next command is not answered (a bad contact). */
  | { readonly fault: 'no-answer' };

export interface ScenarioFacility {
  readonly registered: boolean;
  readonly consentItems?: readonly string[];
  readonly previousConsent?: Readonly<Record<string, boolean>>;
  readonly ePrescription: boolean;
  readonly reachable: boolean;
}

export interface Scenario {
  readonly name: string;
  readonly patient: string;
  readonly card: 'patient' | 'not-my-number-card' | 'expired';
  readonly terminalAuthenticator: 'simulated' | 'none';
  readonly facility: ScenarioFacility;
  readonly visit: Partial<VisitConfig>;
  readonly staffPassword?: string;
  readonly steps: readonly ScenarioStep[];
  readonly expect: {
    readonly result?: Readonly<Record<string, unknown>>;
    readonly screens?: readonly string[];
    readonly notScreens?: readonly string[];
    readonly visits?: number;
  };
}

export class ScenarioError extends KaoreaderError {
  readonly code = 'SCENARIO_INVALID';
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file}: ${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`);
  }
}

const step = (key: string, value: object): object => ({
  type: 'object',
  additionalProperties: false,
  required: [key],
  properties: {
    [key]: value,
    ...(key === 'expect' || key === 'see' ? { within: { type: 'integer', minimum: 100, maximum: 600000 } } : {}),
  },
});
const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'steps'],
  properties: {
    name: { type: 'string', minLength: 1 },
    patient: { type: 'string', default: 'suzuki-aiko' },
    card: { enum: ['patient', 'not-my-number-card', 'expired'], default: 'patient' },
    terminalAuthenticator: { enum: ['simulated', 'none'], default: 'simulated' },
    facility: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        registered: { type: 'boolean', default: true },
        consentItems: { type: 'array', items: { type: 'string', pattern: '^[a-z][a-z0-9-]{1,40}$' }, maxItems: 20 },
        previousConsent: { type: 'object', additionalProperties: { type: 'boolean' } },
        ePrescription: { type: 'boolean', default: false },
        reachable: { type: 'boolean', default: true },
      },
    },
    visit: { ...visitSection, default: {} },
    staffPassword: { type: 'string', pattern: '^[0-9]{8,16}$' },
    steps: {
      type: 'array',
      maxItems: 200,
      items: {
        oneOf: [
          step('language', { enum: LANGS }),
          step('insert', { const: 'card' }),
          step('expect', { type: 'string' }),
          step('see', { type: 'string', pattern: '^[a-zA-Z][a-zA-Z0-9.-]{0,60}$' }),
          step('tap', { type: 'string' }),
          step('camera', { enum: SCENES }),
          step('pin', { type: 'string', pattern: '^[0-9]{4}$' }),
          step('password', { type: 'string', minLength: 1, maxLength: 128 }),
          step('cancel', { const: 'entry' }),
          step('pull', { const: 'card' }),
          step('wait', { type: 'integer', minimum: 0, maximum: 600000 }),
          step('facility', { enum: ['down', 'up'] }),
          step('fault', { const: 'no-answer' }),
        ],
      },
    },
    expect: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        result: { type: 'object' },
        screens: { type: 'array', items: { type: 'string' } },
        notScreens: { type: 'array', items: { type: 'string' } },
        visits: { type: 'integer', minimum: 1, maximum: 10 },
      },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
const validate = ajv.compile(schema);

function describe(e: ErrorObject): string {
  return `${e.instancePath || '/'}: ${e.keyword === 'additionalProperties' ? `unknown key "${String(e.params['additionalProperty'])}"` : (e.message ?? e.keyword)}`;
}

export function parseScenario(text: string, file = '<scenario>'): Scenario {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new ScenarioError(file, [`not valid YAML: ${(err as Error).message.split('\n')[0] ?? ''}`]);
  }
  const unknown = unknownSteps(raw);
  if (unknown.length > 0) throw new ScenarioError(file, unknown);
  if (!validate(raw)) {
    // oneOf failures report every branch; keep the distinct messages, a handful at most.
    const problems = [...new Set((validate.errors ?? []).map(describe))].slice(0, 12);
    throw new ScenarioError(file, problems);
  }
  return raw as unknown as Scenario;
}

const STEP_KEYS = [
  'language',
  'insert',
  'expect',
  'see',
  'tap',
  'camera',
  'pin',
  'password',
  'cancel',
  'pull',
  'wait',
  'facility',
  'fault',
];

/** Steps whose kind is not known, named plainly (the schema's oneOf would list every branch). */
function unknownSteps(raw: unknown): string[] {
  const steps = (raw as { steps?: unknown } | null)?.steps;
  if (!Array.isArray(steps)) return [];
  return steps.flatMap((st, i) => {
    const key = st !== null && typeof st === 'object' ? Object.keys(st).find((k) => k !== 'within') : undefined;
    return key === undefined || STEP_KEYS.includes(key) ? [] : [`/steps/${i}: unknown step "${key}" (steps: ${STEP_KEYS.join(', ')})`];
  });
}

export async function loadScenario(path: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ScenarioError(path, [`cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  return parseScenario(text, path);
}
