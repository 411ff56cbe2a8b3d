/** `kaoreader release …`: the manufacturer's release tooling (build, sign, publish, keys). */
import { group } from '../../command.ts';
import { buildCommand } from './build.ts';
import { initCommand, publishCommand, rotateCommand, serveCommand, signCommand, timestampCommand } from './repo.ts';

export const releaseCommand = group('release', 'build, sign and publish signed OTA releases', [
  buildCommand,
  initCommand,
  signCommand,
  timestampCommand,
  rotateCommand,
  publishCommand,
  serveCommand,
]);
