/** Our clinic-system XML, read the way open-source clinic software reads such files (clinic-reader.ts). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KAOREADER_NS, resultToXml } from '../../../facility/xml/result-xml.ts';
import type { VisitResult } from '../../../firmware/ports/facility-link.ts';
import { ClinicReadError, readAsClinic } from './clinic-reader.ts';

const STANDARD = new Set([
  'InsuredCardClassification',
  'InsurerNumber',
  'InsuredCardSymbol',
  'InsuredIdentificationNumber',
  'InsuredBranchNumber',
  'PersonalFamilyClassification',
  'InsuredName',
  'Name',
  'NameOfOther',
  'NameKana',
  'NameOfOtherKana',
  'Sex1',
  'Sex2',
  'Birthdate',
  'Address',
  'PostNumber',
  'InsuredCertificateIssuanceDate',
  'InsuredCardValidDate',
  'InsuredCardExpirationDate',
  'InsuredPartialContributionRatio',
  'PreschoolClassification',
  'ReasonOfLoss',
  'InsurerName',
  'ElderlyRecipientCertificateInfo',
  'LimitApplicationCertificateRelatedConsFlg',
  'LimitApplicationCertificateRelatedConsTime',
  'LimitApplicationCertificateRelatedInfo',
  'SpecificDiseasesCertificateRelatedConsFlg',
  'SpecificDiseasesCertificateRelatedConsTime',
  'SpecificDiseasesCertificateList',
  'SpecificHealthCheckupsInfoConsFlg',
  'SpecificHealthCheckupsInfoConsTime',
  'SpecificHealthCheckupsInfoAvailableTime',
  'PharmacistsInfoConsFlg',
  'PharmacistsInfoConsTime',
  'PharmacistsInfoAvailableTime',
  'DiagnosisInfoConsFlg',
  'DiagnosisInfoConsTime',
  'DiagnosisInfoAvailableTime',
  'OperationInfoConsFlg',
  'OperationInfoConsTime',
  'OperationInfoAvailableTime',
]);

const result: VisitResult = {
  schema: 'kaoreader.result/1',
  id: '01900000-0000-7000-8000-000000000042',
  readerId: 'reader-01',
  visitId: '<v&1>',
  startedAt: '2026-11-24T09:00:00.000Z',
  finishedAt: '2026-11-24T09:00:12.500Z',
  method: 'face',
  outcome: 'accepted',
  segment: 1,
  certificateSerial: 'ab12',
  processingMs: 12500,
  consent: { mode: 'individual', items: { surgery: true, medication: false, checkups: true }, at: '2026-11-24T09:00:10.000Z' },
  prescription: 'paper',
};
const insured = {
  insurerNumber: '06139993',
  symbol: '記号<12>',
  number: '345678',
  branch: '01',
  copayRatio: '030',
  limitCategory: 'A03',
  validity: 1 as const,
};
const person = { name: '佐藤 花子', nameKana: 'サトウ ハナコ', birthdate: '19800217', sex: '2' as const };
const xml = (over: Partial<Parameters<typeof resultToXml>[0]> = {}): Buffer =>
  Buffer.from(
    resultToXml({ result, institutionCode: '1312345678', insured, person, storedAt: Date.parse('2026-11-24T09:00:13.000Z'), ...over }),
    'utf8',
  );

test('a clinic system reads the result: normal, one confirmation, person, insurance, codes', () => {
  const v = readAsClinic(xml());
  assert.is(v.institutionCode, '1312345678');
  assert.is(v.nameKana, 'サトウ ハナコ');
  assert.is(v.birthdate, '19800217');
  assert.equal([v.insurerNumber, v.symbol, v.number, v.branch, v.name], ['06139993', '記号<12>', '345678', '01', '佐藤 花子']);
  assert.is(v.qualificationValidity, '1');
  assert.is(v.prescriptionIssueSelect, '2');
  assert.is(v.processExecutionTime, '20261124180013', 'JST processing time');
  assert.is(v.confirmation['InsuredPartialContributionRatio'], '030');
  assert.is(v.confirmation['OperationInfoConsFlg'], '1');
  assert.is(v.confirmation['PharmacistsInfoConsFlg'], '0');
  assert.is(v.confirmation['SpecificHealthCheckupsInfoConsTime'], '20261124180010');
  assert.is(v.confirmation['DiagnosisInfoConsFlg'], undefined, 'an item not asked is absent, not "0"');
});

test('our own fields are in one separate, namespaced element, never inside the standard ones', () => {
  const v = readAsClinic(xml());
  for (const child of v.confirmationChildren)
    assert.ok(STANDARD.has(child), `${child} is not a standard ResultOfQualificationConfirmation element`);
  assert.equal(
    v.extensions.map((e) => [e.name, e.xmlns]),
    [['KaoreaderResult', KAOREADER_NS]],
  );
  assert.equal(v.extensions[0]?.fields['ResultId'], result.id);
  assert.equal(v.extensions[0]?.fields['VisitId'], '<v&1>', 'escaped and read back');
  assert.equal(v.extensions[0]?.fields['IdentityVerificationMethod'], 'face');
});

test('without person data a clinic reader refuses the file (it is never written so: the bridge asks the provider)', () => {
  assert.throws(
    () => readAsClinic(xml({ person: undefined })),
    (e: unknown) => e instanceof ClinicReadError,
  );
});

test.run();
