/**
 * The attack suite (issue #14): every finding of the security review and more, tried as an
 * attacker would, against a real mosquitto with the generated configuration and on real files.
 * Each attack is one test that fails if the attack succeeds; the suite ends with the line
 * `N attacks tried, N refused`.
 */
import './mqtt-attacks.ts';
import './command-attacks.ts';
import './secret-attacks.ts';
import './pairing-attacks.ts';
import './archive-attacks.ts';
import { runAttacks } from './ledger.ts';

runAttacks();
