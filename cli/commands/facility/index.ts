/** `kaoreader facility …`: the facility service, its fleet status, pairing readers and the broker config. */
import { group } from '../../command.ts';
import { brokerConfig, identity, initCa, install, pair, unpair } from './pairing.ts';
import { serve } from './serve.ts';
import { status } from './status.ts';

export const facilityCommand = group('facility', 'run the facility service, show the fleet, pair readers, broker config', [
  serve,
  status,
  initCa,
  identity,
  pair,
  install,
  unpair,
  brokerConfig,
]);
