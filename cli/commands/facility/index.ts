/** `kaoreader facility …`: pairing readers with a facility and configuring its broker. */
import { group } from '../../command.ts';
import { brokerConfig, identity, initCa, install, pair, unpair } from './pairing.ts';

export const facilityCommand = group('facility', 'pair readers with a facility, generate its broker config', [initCa, identity, pair, install, unpair, brokerConfig]);
