/**
 * Bridge for existing clinic systems: writes each stored result as one XML file in a folder,
 * with the fields deployed readers put in their qualification-result files (processing time,
 * medical institution code, reference classification, result segment + error, qualification
 * validity, insurer number, card symbol/number/branch, co-payment ratio, limit category,
 * per-item consent flag + time + expiry, prescription choice). Element names follow the
 * online-qualification result files as far as public material shows them; the mapping is here
 * in one table. Written atomically (temp + rename), so a clinic system never reads half a file.
 */
import { mkdir } from 'node:fs/promises';
import { writeFileAtomic } from '../../firmware/platform/file-store.ts';
import type { InsuredData, VisitResult } from '../../firmware/ports/facility-link.ts';

/** Our consent item id → the deployed files' consent flag element. */
const CONSENT_ELEMENTS: Readonly<Record<string, string>> = {
  checkups: 'SpecificHealthCheckupsInfoConsFlg',
  medication: 'PharmacistsInfoConsFlg',
  surgery: 'OperationInfoConsFlg',
  treatment: 'DiagnosisInfoConsFlg',
};

const esc = (s: string): string => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
const el = (name: string, value: string | number | undefined, indent: string): string =>
  value === undefined || value === '' ? `${indent}<${name}/>` : `${indent}<${name}>${esc(String(value))}</${name}>`;

/** `2026-11-24T09:00:12.500Z` → `20261124090012` (JST, as the deployed files use local time). */
export function jstStamp(iso: string): string {
  const d = new Date(Date.parse(iso) + 9 * 3600_000);
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

export function resultToXml(r: VisitResult, institutionCode: string, insured?: InsuredData): string {
  const i = '    ';
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<XmlMsg>',
    '  <MessageHeader>',
    el('ProcessExecutionTime', jstStamp(r.finishedAt), i),
    el('MedicalInstitutionCode', institutionCode, i),
    el('ReferenceClassification', 1, i),
    el('SegmentOfResult', r.segment, i),
    el('ErrorCode', r.errorCode, i),
    el('ErrorMessage', r.errorCode ? `reader outcome ${r.outcome}` : undefined, i),
    el('CharacterCodeIdentifier', 0, i),
    el('ReaderId', r.readerId, i),
    el('ResultId', r.id, i),
    '  </MessageHeader>',
    '  <MessageBody>',
    el('QualificationValidity', insured?.validity, i),
    '    <ResultOfQualificationConfirmation>',
    el('InsurerNumber', insured?.insurerNumber, `${i}  `),
    el('InsuredCardSymbol', insured?.symbol, `${i}  `),
    el('InsuredIdentificationNumber', insured?.number, `${i}  `),
    el('InsuredBranchNumber', insured?.branch, `${i}  `),
    el('InsuredPartialContributionRatio', insured?.copayRatio, `${i}  `),
    el('LimitApplicationCertificateClassification', insured?.limitCategory, `${i}  `),
    el('IdentityVerificationMethod', r.method === 'face' ? 1 : r.method === 'pin' ? 2 : r.method === 'staff' ? 3 : undefined, `${i}  `),
    '    </ResultOfQualificationConfirmation>',
  ];
  for (const [item, tag] of Object.entries(CONSENT_ELEMENTS)) {
    const agreed = r.consent?.items[item];
    lines.push(el(tag, agreed === undefined ? undefined : agreed ? 1 : 0, i));
    lines.push(el(`${tag.replace(/Flg$/, '')}Time`, agreed === undefined || !r.consent ? undefined : jstStamp(r.consent.at), i));
    lines.push(el(`${tag.replace(/Flg$/, '')}Expiry`, agreed && r.consent ? jstStamp(new Date(Date.parse(r.consent.at) + 24 * 3600_000).toISOString()) : undefined, i));
  }
  lines.push(el('PrescriptionIssueSelect', r.prescription === 'electronic' ? 1 : r.prescription === 'paper' ? 2 : undefined, i));
  lines.push('  </MessageBody>', '</XmlMsg>', '');
  return lines.join('\n');
}

export class XmlBridge {
  constructor(readonly dir: string, readonly institutionCode: string) {
    if (!/^[0-9]{10}$/.test(institutionCode)) throw new RangeError('medical institution code must be 10 digits');
  }

  /** One file per result: `<processing time>_<result id>.xml`. */
  async write(r: VisitResult, insured?: InsuredData): Promise<string> {
    const name = `${jstStamp(r.finishedAt)}_${r.id}.xml`;
    await mkdir(this.dir, { recursive: true });
    await writeFileAtomic(this.dir, name, resultToXml(r, this.institutionCode, insured));
    return name;
  }
}
