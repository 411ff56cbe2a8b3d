/**
 * The one place that loads @peculiar/x509: its ASN.1 schemas use decorators, so the
 * `reflect-metadata` polyfill must be imported first, and the library is pointed at Node's
 * WebCrypto. Everything that reads or writes certificates imports `x509` from here.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export { x509 };
