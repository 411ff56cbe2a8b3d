/**
 * The simulated qualification provider (`kaoreader sim facility`, demos, benches): insured data
 * and person deterministic per certificate serial unless given in `patients`; about one card in
 * four is not registered until `register()` is called. Registrations live as long as the
 * provider object (a simulator that restarts its service keeps the same provider).
 */
import { createHash } from 'node:crypto';
import type { InsuredData } from '../../firmware/ports/facility-link.ts';
import type { PersonData, Qualification, QualificationProvider, QualificationQuery } from './provider.ts';

export interface SimulatedPatient {
  readonly registered: boolean;
  readonly insured: InsuredData;
  readonly person?: PersonData;
}

const KANA = ['サトウ', 'スズキ', 'タカハシ', 'タナカ', 'ワタナベ', 'イトウ', 'ヤマモト', 'ナカムラ'] as const;
const GIVEN = ['ハナコ', 'タロウ', 'アイコ', 'ケンジ', 'ユミ', 'ヒロシ'] as const;

export class SimulatedQualificationProvider implements QualificationProvider {
  readonly name = 'simulated';
  readonly #registered = new Set<string>();
  constructor(private readonly patients: ReadonlyMap<string, SimulatedPatient> = new Map()) {}

  /** What the simulated system knows about a card (also used by tests and the in-process link). */
  lookup(serial: string): Qualification & { insured: InsuredData; person: PersonData } {
    const key = serial.toLowerCase();
    const given = this.patients.get(key);
    const h = createHash('sha256').update(key).digest();
    const insured: InsuredData = given?.insured ?? {
      insurerNumber: `0613${String(h.readUInt16BE(0) % 10000).padStart(4, '0')}`,
      symbol: `記号${h[2] ?? 0}`,
      number: String(h.readUInt32BE(3) % 1_000_000),
      branch: '00',
      copayRatio: (['030', '020', '010'] as const)[(h[7] ?? 0) % 3] ?? '030',
      limitCategory: (['A01', 'A02', 'A03', 'A04', 'A05'] as const)[(h[8] ?? 0) % 5] ?? 'A03',
      validity: 1,
    };
    const person: PersonData = given?.person ?? {
      name: '模擬 患者',
      nameKana: `${KANA[(h[10] ?? 0) % KANA.length] ?? 'サトウ'} ${GIVEN[(h[11] ?? 0) % GIVEN.length] ?? 'ハナコ'}`,
      birthdate: `19${String(40 + ((h[12] ?? 0) % 60)).padStart(2, '0')}${String(1 + ((h[13] ?? 0) % 12)).padStart(2, '0')}${String(1 + ((h[14] ?? 0) % 28)).padStart(2, '0')}`,
      sex: (h[15] ?? 0) % 2 === 0 ? '1' : '2',
    };
    const registered = this.#registered.has(key) || (given ? given.registered : (h[9] ?? 0) % 4 !== 0);
    return { registered, insured, person };
  }

  confirm(q: QualificationQuery): Promise<Qualification> {
    const found = this.lookup(q.certificateSerial);
    return Promise.resolve(found.registered ? found : { registered: false });
  }

  register(q: QualificationQuery): Promise<void> {
    this.#registered.add(q.certificateSerial.toLowerCase());
    return Promise.resolve();
  }
}
