/**
 * One accepted result as the online-qualification result file that clinic systems already read
 * (顔認証付きカードリーダーの資格確認結果). Names and nesting as public open-source clinic software
 * parses them: `XmlMsg > MessageHeader` (ProcessExecutionTime, QualificationConfirmationDate,
 * MedicalInstitutionCode, ReferenceClassification, SegmentOfResult, CharacterCodeIdentifier) and
 * `MessageBody` (ProcessingResultStatus, QualificationValidity, ResultList >
 * ResultOfQualificationConfirmation, PrescriptionIssueSelect). Codes: SegmentOfResult 1 normal;
 * ProcessingResultStatus 1 normal; ReferenceClassification 1 My Number Card;
 * CharacterCodeIdentifier 0 UTF-8; QualificationValidity 1–5; consent flags 0/1.
 * Our own fields (result, reader, visit, identity method, proof) are in a separate element in
 * our own namespace after MessageBody, never mixed into the standard ones.
 */
import type { InsuredData, VisitResult } from '../../firmware/ports/facility-link.ts';
import type { PersonData } from '../qualification/provider.ts';

/** Our consent item id → the standard consent element's stem (`…ConsFlg`, `…ConsTime`, `…AvailableTime`). */
export const CONSENT_ELEMENTS: Readonly<Record<string, string>> = {
  checkups: 'SpecificHealthCheckupsInfo',
  medication: 'PharmacistsInfo',
  treatment: 'DiagnosisInfo',
  surgery: 'OperationInfo',
};

export const KAOREADER_NS = 'urn:kaoreader:result:1';

/** The five predefined XML entities (named, which every reader decodes; numeric references some simple readers leave alone). */
const ENTITIES: Readonly<Record<string, string>> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' };
const esc = (s: string): string => s.replace(/[<>&"']/g, (c) => ENTITIES[c] ?? c);

/** `2026-11-24T09:00:12.500Z` → `20261124180012` (JST, as the deployed files use local time). */
export function jstStamp(iso: string | number): string {
  const d = new Date((typeof iso === 'number' ? iso : Date.parse(iso)) + 9 * 3600_000);
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

type Node = readonly [name: string, value: string | number | readonly Node[] | undefined];

function render(nodes: readonly Node[], indent: string): string[] {
  const out: string[] = [];
  for (const [name, value] of nodes) {
    if (value === undefined || value === '') continue; // absent, not empty: readers treat a present empty element as a value
    if (Array.isArray(value)) out.push(`${indent}<${name}>`, ...render(value as readonly Node[], `${indent}  `), `${indent}</${name}>`);
    else out.push(`${indent}<${name}>${esc(String(value))}</${name}>`);
  }
  return out;
}

export interface XmlInput {
  readonly result: VisitResult;
  readonly institutionCode: string;
  readonly insured: InsuredData | undefined;
  readonly person: PersonData | undefined;
  /** When the facility stored (and verified) the result: the processing time. */
  readonly storedAt: number;
}

export function resultToXml(x: XmlInput): string {
  const r = x.result;
  const consentNodes: Node[] = [];
  for (const [item, stem] of Object.entries(CONSENT_ELEMENTS)) {
    const agreed = r.consent?.items[item];
    if (agreed === undefined || !r.consent) continue;
    consentNodes.push([`${stem}ConsFlg`, agreed ? 1 : 0], [`${stem}ConsTime`, jstStamp(r.consent.at)]);
    if (agreed) consentNodes.push([`${stem}AvailableTime`, jstStamp(Date.parse(r.consent.at) + 24 * 3600_000)]);
  }
  const confirmation: Node[] = [
    ['InsurerNumber', x.insured?.insurerNumber],
    ['InsuredCardSymbol', x.insured?.symbol],
    ['InsuredIdentificationNumber', x.insured?.number],
    ['InsuredBranchNumber', x.insured?.branch],
    ['Name', x.person?.name],
    ['NameKana', x.person?.nameKana],
    ['Sex1', x.person?.sex],
    ['Birthdate', x.person?.birthdate],
    ['InsuredPartialContributionRatio', x.insured?.copayRatio],
    [
      'LimitApplicationCertificateRelatedInfo',
      x.insured?.limitCategory ? [['LimitApplicationCertificateClassificationFlag', x.insured.limitCategory]] : undefined,
    ],
    ...consentNodes,
  ];
  const doc: Node[] = [
    [
      'MessageHeader',
      [
        ['ProcessExecutionTime', jstStamp(x.storedAt)],
        ['QualificationConfirmationDate', jstStamp(r.finishedAt).slice(0, 8)],
        ['MedicalInstitutionCode', x.institutionCode],
        ['ReferenceClassification', 1],
        ['SegmentOfResult', 1],
        ['CharacterCodeIdentifier', 0],
      ],
    ],
    [
      'MessageBody',
      [
        ['ProcessingResultStatus', 1],
        ['QualificationValidity', x.insured?.validity],
        ['ResultList', [['ResultOfQualificationConfirmation', confirmation]]],
        ['PrescriptionIssueSelect', r.prescription === 'electronic' ? 1 : r.prescription === 'paper' ? 2 : undefined],
      ],
    ],
  ];
  const ours: Node[] = [
    ['ResultId', r.id],
    ['ReaderId', r.readerId],
    ['VisitId', r.visitId],
    ['IdentityVerificationMethod', r.method ?? undefined],
    ['ProofVerified', 'true'],
    ['CertificateSerial', r.certificateSerial],
    ['ConsentMode', r.consent?.mode],
    ['RegisteredNow', r.registeredNow ? 'true' : undefined],
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<XmlMsg>',
    ...render(doc, '  '),
    `  <KaoreaderResult xmlns="${KAOREADER_NS}">`,
    ...render(ours, '    '),
    '  </KaoreaderResult>',
    '</XmlMsg>',
    '',
  ].join('\n');
}

/** `<JST processing time>_<result id>.xml` */
export function xmlFileName(result: VisitResult, storedAt: number): string {
  return `${jstStamp(storedAt)}_${result.id}.xml`;
}
