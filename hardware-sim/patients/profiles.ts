/**
 * Simulated patients: who they are, what their card says, and which face they show. Faces are
 * fixed crops of the group photos that ship in `@vladmandic/face-api` (demo/sample*.jpg, MIT);
 * eye centres were read off the crops by eye (crop pixel coordinates) for the live-face
 * generator's blinks. Fictional people: every name, date and number here is invented.
 *
 * The chip photo and the camera should show two photographs of the person, as at a real reader.
 * The demo photos hold one woman twice (sample1, right, head tilted; sample3, middle — judged
 * the same by eye: face shape, eyes, hairline; our recognizer scores the pair 0.958), so
 * tanaka-yuki's card carries the sample1 photograph (`chipPhoto`) while the camera shows sample3.
 * Every other patient has one photograph only: their card photo is their camera face, greyscale,
 * as JPEG 2000 — a genuine match easier than a real one (docs/benchmarks/face.md; `bench visit
 * --dataset DIR` takes patients with two photographs from a labelled set instead).
 */
import type { CalendarDate } from '../../firmware/card-front/era.ts';

/**
 * Another photograph of the same person, for the chip photo: a region around (cx, cy) turned by
 * `rotateDeg` first (an ID photo is taken upright), in a demo photo's pixels.
 */
export interface ChipPhotoSource {
  readonly sample: string;
  readonly cx: number;
  readonly cy: number;
  readonly width: number;
  readonly height: number;
  readonly rotateDeg: number;
}

export interface FaceCrop {
  /** File inside node_modules/@vladmandic/face-api/demo/. */
  readonly sample: string;
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
  /** Eye centres in crop pixels: the patient's right eye (image left) first. */
  readonly eyes: readonly [readonly [number, number], readonly [number, number]];
  /** Where the card's photo comes from, when the demo photos hold a second one of this person. */
  readonly chipPhoto?: ChipPhotoSource;
}

export interface PatientProfile {
  readonly id: string;
  readonly nameKanji: string;
  readonly sex: '男' | '女';
  readonly address: string;
  readonly birthDate: CalendarDate;
  /** The card expires on a birthday (10th after issue for adults). */
  readonly cardExpiry: CalendarDate;
  readonly securityCode: string;
  /** 利用者証明用 PIN (4 digits). */
  readonly pin: string;
  readonly face: FaceCrop;
}

export const PATIENTS: readonly PatientProfile[] = [
  {
    id: 'sato-hanako',
    nameKanji: '佐藤 花子',
    sex: '女',
    address: '東京都千代田区霞が関二丁目１番２号',
    birthDate: { year: 1980, month: 2, day: 17 },
    cardExpiry: { year: 2035, month: 2, day: 17 },
    securityCode: '2285',
    pin: '1357',
    face: {
      sample: 'sample6.jpg',
      left: 580,
      top: 260,
      width: 360,
      height: 400,
      eyes: [
        [122, 192],
        [218, 186],
      ],
    },
  },
  {
    id: 'suzuki-aiko',
    nameKanji: '鈴木 愛子',
    sex: '女',
    address: '大阪府大阪市北区中之島一丁目３番２０号',
    birthDate: { year: 1989, month: 3, day: 15 },
    cardExpiry: { year: 2031, month: 3, day: 15 },
    securityCode: '0419',
    pin: '2468',
    face: {
      sample: 'sample6.jpg',
      left: 180,
      top: 380,
      width: 340,
      height: 420,
      eyes: [
        [137, 227],
        [242, 215],
      ],
    },
  },
  {
    id: 'takahashi-mei',
    nameKanji: '高橋 芽衣',
    sex: '女',
    address: '愛知県名古屋市中区三の丸三丁目１番２号',
    birthDate: { year: 2000, month: 11, day: 3 },
    cardExpiry: { year: 2033, month: 11, day: 3 },
    securityCode: '7730',
    pin: '8024',
    face: {
      sample: 'sample6.jpg',
      left: 1100,
      top: 240,
      width: 360,
      height: 420,
      eyes: [
        [127, 186],
        [227, 187],
      ],
    },
  },
  {
    id: 'tanaka-yuki',
    nameKanji: '田中 由紀',
    sex: '女',
    address: '北海道札幌市中央区北三条西六丁目',
    birthDate: { year: 1967, month: 7, day: 29 },
    cardExpiry: { year: 2029, month: 7, day: 29 },
    securityCode: '5196',
    pin: '9130',
    face: {
      sample: 'sample3.jpg',
      left: 1000,
      top: 120,
      width: 400,
      height: 440,
      eyes: [
        [117, 197],
        [220, 220],
      ],
      // sample1's face at (1476, 199, 203×241), eyes (1555, 281) and (1614, 335): turned upright by −42.5°.
      chipPhoto: { sample: 'sample1.jpg', cx: 1584, cy: 330, width: 320, height: 380, rotateDeg: -42.5 },
    },
  },
  {
    id: 'watanabe-emi',
    nameKanji: '渡辺 恵美',
    sex: '女',
    address: '福岡県福岡市博多区東公園７番７号',
    birthDate: { year: 2019, month: 5, day: 1 },
    cardExpiry: { year: 2029, month: 5, day: 1 },
    securityCode: '3608',
    pin: '4702',
    face: {
      sample: 'sample3.jpg',
      left: 1420,
      top: 200,
      width: 360,
      height: 440,
      eyes: [
        [132, 207],
        [235, 202],
      ],
    },
  },
];
