/**
 * The CA keys that sign card-face CV certificates (EF 0004), by 16-byte key id. The card does not
 * carry them: the reader ships the two public J-LIS keys of spec card-apdu.md §EF 0004
 * (production `5000023/001`, JPKI test hierarchy `6000023/001`, RSA-2048, e = 65537), and the
 * device configuration adds its own (`card.cardFaceIssuers`; the simulator's CA is one of those).
 * Only the production key is trusted by default: the test hierarchy signs J-LIS *test* cards,
 * which a device in service must not take for a patient's card; a QA rig opts in
 * (`card.trustJpkiTestCards`, trust.ts).
 */
import type { KeyObject } from 'node:crypto';
import { keyIdFromText } from './key-id.ts';
import { rsaPublicKey } from './rsa.ts';

export interface CardFaceIssuerKey {
  /** 証明者鍵ID, 16 raw bytes, compared whole. */
  readonly keyId: Uint8Array;
  readonly publicKey: KeyObject;
  /** Where the key came from (`built-in`, or the configured file), for messages. */
  readonly source: string;
}

const E65537 = Uint8Array.of(0x01, 0x00, 0x01);

/** Public moduli as published in the spec (hex, big-endian, 256 bytes each). */
const BUILT_IN = [
  {
    id: '5000023/001',
    modulus:
      'b2f740f0ad86d17cf3f537d23b4b3c65a3cb58474d857f55d0b9bc0411b1cb08' +
      '49068de332a50d63b3e6921c9ccbe6156496efb04be8ffcc74fde9a228a36ad7' +
      'edce9793204e35973dc911108365002c40169e0b60018dfb99e1e2310d9a110f' +
      'f0fc269f1f220c63b8a1510de5a6898220c78908fc280d8aa95d5d113b7cf007' +
      '00f3ff5ad8b3d6ad2eb53c7d563498b4a938deffc9bda32bf4146c1b07ef870d' +
      '99eb35de5d70ac18715874277a13151d217d04d42e97923923a40fbc7d06faa8' +
      '338ccbe876620f9b8ef4471cd4b9e29d4ea621e0fb8f1dc04b487210097dbaaf' +
      '3d8e0550c76a5b97cf202fa47c7a2622f1c084e65c13d13b8e7ab226f5f51f87',
  },
  {
    id: '6000023/001',
    modulus:
      'e08ca1caa0e58c5df24bfd67e45b7ce4b50eff828c10568055f7e012b7212e7d' +
      '2879b9e0b951e7ac5a6dc0d7d3c31c223951a1e2774f398cf46602a8aec04898' +
      '714981f813cb9dbd2ef9068528e9450361c00154738ca4dd79d138098b91fae2' +
      '9a4fd750556367bb854158953af58c0e8bbf289c3a30e595fef044519e967ef0' +
      '686cbcf6ef6b9ed6fc2a19f800ce07e929ac11556f1073077372279ba130216f' +
      'c680b7c39788c8e7534f71eeb4c00c9053fbf6e92a07784f26308af78f9c1800' +
      '3ecbf12965bd303045b8a76391c431787ffc745cc274206616d91e81b39bb9a2' +
      'db4b64c4ad47831ab06cc401f2162f30d9316c38557d4d96ed5e76db49b9092d',
  },
] as const;

/** Both J-LIS card-face CA keys the reader ships (production first, then the test hierarchy's). */
export const BUILT_IN_CARD_FACE_ISSUERS: readonly CardFaceIssuerKey[] = BUILT_IN.map((k) => {
  const keyId = keyIdFromText(k.id);
  if (!keyId) throw new RangeError(`built-in key id ${k.id}`);
  return {
    keyId,
    publicKey: rsaPublicKey(new Uint8Array(Buffer.from(k.modulus, 'hex')), E65537, `built-in card-face CA ${k.id}`),
    source: 'built-in',
  };
});

const isTestHierarchy = (k: CardFaceIssuerKey): boolean => k.keyId[0] === 0x36; // ids of the JPKI test hierarchy begin "6"

/** The production J-LIS key (`5000023/001`): what every reader trusts. */
export const PRODUCTION_CARD_FACE_ISSUERS: readonly CardFaceIssuerKey[] = BUILT_IN_CARD_FACE_ISSUERS.filter((k) => !isTestHierarchy(k));

/** The JPKI test hierarchy's key (`6000023/001`, J-LIS test cards): trusted only when configured. */
export const JPKI_TEST_CARD_FACE_ISSUERS: readonly CardFaceIssuerKey[] = BUILT_IN_CARD_FACE_ISSUERS.filter(isTestHierarchy);
