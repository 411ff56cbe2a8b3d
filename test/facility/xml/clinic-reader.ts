/**
 * Reads an online-qualification result file the way open-source clinic software does, with an
 * XML parser of its own (fast-xml-parser), not our writer's code. Facts from public parsers:
 * - a reception agent's face-reader XML parser (C#, XDocument): root `XmlMsg`; exactly one
 *   `MessageHeader` and one `MessageBody`; `MessageHeader/SegmentOfResult` and
 *   `MessageBody/ProcessingResultStatus` must be "1" for a normal result; exactly one
 *   `MessageBody/ResultList/ResultOfQualificationConfirmation`; its `NameKana` non-empty and
 *   `Birthdate` an 8-digit yyyyMMdd date; `MessageHeader/MedicalInstitutionCode` 10 digits;
 *   optional `InsurerNumber`, `InsuredCardSymbol`, `InsuredIdentificationNumber`,
 *   `InsuredBranchNumber`, `Name`, each at most once; the declared encoding must be the one used.
 * - a TypeScript clinic system's code tables: ReferenceClassification 1|2, SegmentOfResult
 *   1|2|9, CharacterCodeIdentifier 0 (UTF-8)|1, ProcessingResultStatus 1|2, QualificationValidity
 *   1–5, PrescriptionIssueSelect 1|2 (in MessageBody), consent flags 0|1.
 * - a Python reader iterates `ResultOfQualificationConfirmation` and takes every child as patient
 *   data: nothing of ours may be inside it.
 * Not a test file itself.
 */
import { XMLParser } from 'fast-xml-parser';

type El = Record<string, unknown>;

export class ClinicReadError extends Error {}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
  ignoreDeclaration: false,
});

function all(parent: El, name: string): El[] {
  const v = parent[name];
  return Array.isArray(v) ? (v as El[]) : [];
}

function one(parent: El, name: string): El {
  const v = all(parent, name);
  if (v.length !== 1) throw new ClinicReadError(`${name}: ${v.length} elements, expected exactly one`);
  return v[0] as El;
}

function text(e: El | string | undefined): string {
  if (e === undefined) return '';
  if (typeof e === 'string') return e;
  return String(e['#text'] ?? '');
}

function value(parent: El, name: string): string {
  const v = parent[name];
  if (!Array.isArray(v) || v.length !== 1) throw new ClinicReadError(`${name}: expected exactly one`);
  return text(v[0] as El | string);
}

function optional(parent: El, name: string): string | undefined {
  const v = parent[name];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length > 1) throw new ClinicReadError(`${name} is duplicated`);
  return text(v[0] as El | string);
}

export interface ClinicView {
  readonly institutionCode: string;
  readonly nameKana: string;
  readonly birthdate: string;
  readonly insurerNumber: string | undefined;
  readonly symbol: string | undefined;
  readonly number: string | undefined;
  readonly branch: string | undefined;
  readonly name: string | undefined;
  readonly qualificationValidity: string | undefined;
  readonly prescriptionIssueSelect: string | undefined;
  readonly processExecutionTime: string;
  /** Tag names directly inside ResultOfQualificationConfirmation (what an iterating reader takes as patient data). */
  readonly confirmationChildren: readonly string[];
  readonly confirmation: Readonly<Record<string, string>>;
  /** Other elements directly under XmlMsg (ours), with their attributes. */
  readonly extensions: readonly {
    readonly name: string;
    readonly xmlns: string | undefined;
    readonly fields: Readonly<Record<string, string>>;
  }[];
}

export function readAsClinic(bytes: Buffer): ClinicView {
  const textDoc = bytes.toString('utf8');
  if (!Buffer.from(textDoc, 'utf8').equals(bytes)) throw new ClinicReadError('not valid UTF-8');
  const declared = /^<\?xml[^>]*encoding="([^"]+)"/.exec(textDoc)?.[1];
  if (declared && declared.toUpperCase() !== 'UTF-8') throw new ClinicReadError(`declared ${declared}, read as UTF-8`);
  const doc = parser.parse(textDoc) as El;
  const rootNames = Object.keys(doc).filter((k) => k !== '?xml');
  if (rootNames.length !== 1 || rootNames[0] !== 'XmlMsg') throw new ClinicReadError(`root is ${rootNames.join(',')}`);
  const root = one(doc, 'XmlMsg');
  const header = one(root, 'MessageHeader');
  const body = one(root, 'MessageBody');
  if (value(header, 'SegmentOfResult') !== '1' || value(body, 'ProcessingResultStatus') !== '1')
    throw new ClinicReadError('not a normally finished qualification result');
  const reference = value(header, 'ReferenceClassification');
  if (!['1', '2'].includes(reference)) throw new ClinicReadError(`ReferenceClassification ${reference}`);
  if (value(header, 'CharacterCodeIdentifier') !== '0') throw new ClinicReadError('CharacterCodeIdentifier is not UTF-8');
  const record = one(one(body, 'ResultList'), 'ResultOfQualificationConfirmation');
  const nameKana = value(record, 'NameKana').trim();
  const birthdate = value(record, 'Birthdate').trim();
  const d = /^(\d{4})(\d{2})(\d{2})$/.exec(birthdate);
  const date = d ? new Date(Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]))) : undefined;
  if (!d || !date || date.getUTCMonth() !== Number(d[2]) - 1 || date.getUTCDate() !== Number(d[3]))
    throw new ClinicReadError('Birthdate is not a valid yyyyMMdd date');
  if (nameKana.length === 0 || nameKana.length > 200) throw new ClinicReadError('NameKana empty or too long');
  const institutionCode = value(header, 'MedicalInstitutionCode').trim();
  if (!/^[0-9]{10}$/.test(institutionCode)) throw new ClinicReadError('MedicalInstitutionCode is not 10 digits');
  const qualificationValidity = optional(body, 'QualificationValidity');
  if (qualificationValidity !== undefined && !['1', '2', '3', '4', '5'].includes(qualificationValidity))
    throw new ClinicReadError(`QualificationValidity ${qualificationValidity}`);
  const prescriptionIssueSelect = optional(body, 'PrescriptionIssueSelect');
  if (prescriptionIssueSelect !== undefined && !['1', '2'].includes(prescriptionIssueSelect))
    throw new ClinicReadError(`PrescriptionIssueSelect ${prescriptionIssueSelect}`);
  const confirmation: Record<string, string> = {};
  for (const k of Object.keys(record)) {
    const v = all(record, k)[0];
    confirmation[k] =
      typeof v === 'object' && v !== null && Object.keys(v).some((x) => x !== '#text') ? '[element]' : text(v as El | string);
  }
  for (const [k, v] of Object.entries(confirmation))
    if (/ConsFlg$/.test(k) && !['0', '1'].includes(v)) throw new ClinicReadError(`${k} ${v}`);
  const extensions = Object.keys(root)
    .filter((k) => k !== 'MessageHeader' && k !== 'MessageBody')
    .map((name) => {
      const e = one(root, name);
      const fields: Record<string, string> = {};
      for (const k of Object.keys(e)) if (!k.startsWith('@')) fields[k] = text(all(e, k)[0] as El | string);
      return { name, xmlns: typeof e['@xmlns'] === 'string' ? e['@xmlns'] : undefined, fields };
    });
  return {
    institutionCode,
    nameKana,
    birthdate,
    insurerNumber: optional(record, 'InsurerNumber'),
    symbol: optional(record, 'InsuredCardSymbol'),
    number: optional(record, 'InsuredIdentificationNumber'),
    branch: optional(record, 'InsuredBranchNumber'),
    name: optional(record, 'Name'),
    qualificationValidity,
    prescriptionIssueSelect,
    processExecutionTime: value(header, 'ProcessExecutionTime'),
    confirmationChildren: Object.keys(record),
    confirmation,
    extensions,
  };
}
