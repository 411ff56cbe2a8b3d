/**
 * Reads and validates the configuration: a YAML or JSON file, or nothing (embedded defaults,
 * which run the simulator). Every problem is reported at once with its path.
 */
import { readFile } from 'node:fs/promises';
import { Ajv, type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../core/errors.ts';
import { configSchema, type Config } from './schema.ts';

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: true, strictTypes: false });
const validate = ajv.compile(configSchema);

function describe(e: ErrorObject): string {
  const where = e.instancePath || '/';
  switch (e.keyword) {
    case 'additionalProperties':
      return `${where}: unknown setting "${String(e.params['additionalProperty'])}"`;
    case 'enum':
      return `${where}: must be one of ${JSON.stringify(e.params['allowedValues'])}`;
    default:
      return `${where}: ${e.message ?? e.keyword}`;
  }
}

/** Validates a parsed object (mutated: defaults filled in) and returns it typed. */
export function validateConfig(raw: unknown, source = '<embedded defaults>'): Config {
  const value = raw ?? {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new ConfigError(source, ['/: the configuration must be a mapping of sections']);
  if (!validate(value)) throw new ConfigError(source, (validate.errors ?? []).map(describe));
  return value as unknown as Config;
}

export function defaultConfig(): Config {
  return validateConfig({});
}

export async function loadConfig(path: string | undefined): Promise<Config> {
  if (!path) return defaultConfig();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(path, [
      code === 'ENOENT'
        ? 'file not found (omit --config to run the simulator with embedded defaults)'
        : `cannot read it (${code ?? 'error'})`,
    ]);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new ConfigError(path, [`not valid YAML/JSON: ${(err as Error).message.split('\n')[0] ?? ''}`]);
  }
  return validateConfig(raw, path);
}
