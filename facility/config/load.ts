/**
 * Reads and validates the facility service's configuration file (YAML or JSON) against its
 * schema: every problem at once, with its path (ConfigError). Relative file paths in it are
 * taken from the configuration file's folder; `${NAME}` in `store.url` is expanded from the
 * environment (a database password stays out of the file).
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../../firmware/core/errors.ts';
import { facilityConfigSchema, type FacilityConfig } from './schema.ts';

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: true, strictTypes: false });
const check = ajv.compile(facilityConfigSchema);

function describe(e: ErrorObject): string {
  const where = e.instancePath || '/';
  if (e.keyword === 'additionalProperties') return `${where}: unknown setting "${String(e.params['additionalProperty'])}"`;
  if (e.keyword === 'enum') return `${where}: must be one of ${JSON.stringify(e.params['allowedValues'])}`;
  return `${where}: ${e.message ?? e.keyword}`;
}

export function validateFacilityConfig(raw: unknown, source: string, env: NodeJS.ProcessEnv = process.env): FacilityConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ConfigError(source, ['/: the configuration must be a mapping']);
  if (!check(raw)) throw new ConfigError(source, (check.errors ?? []).map(describe));
  const c = raw as unknown as FacilityConfig;
  if (c.store.kind === 'postgres') {
    const missing: string[] = [];
    c.store.url = c.store.url.replace(/\$\{([A-Z_][A-Z0-9_]*)\}/g, (_, name: string) => {
      const v = env[name];
      if (v === undefined) missing.push(`/store/url: environment variable ${name} is not set`);
      return encodeURIComponent(v ?? '');
    });
    if (missing.length > 0) throw new ConfigError(source, missing);
  }
  return c;
}

/** Paths in the file are relative to the file. */
function anchor(c: FacilityConfig, base: string): FacilityConfig {
  const p = (f: string): string => (isAbsolute(f) ? f : resolve(base, f));
  if (c.broker.caDir) c.broker.caDir = p(c.broker.caDir);
  if (c.store.kind === 'sqlite' && c.store.path !== ':memory:') c.store.path = p(c.store.path);
  c.trust.jpkiUserAuthCa = c.trust.jpkiUserAuthCa.map(p);
  c.trust.crl = c.trust.crl.map((s) => ('file' in s ? { file: p(s.file) } : s));
  if (c.xml) c.xml.dir = p(c.xml.dir);
  if (c.log.audit) c.log.audit = p(c.log.audit);
  return c;
}

export async function loadFacilityConfig(path: string, env: NodeJS.ProcessEnv = process.env): Promise<FacilityConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError(path, [`cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new ConfigError(path, [`not valid YAML/JSON: ${(err as Error).message.split('\n')[0] ?? ''}`]);
  }
  return anchor(validateFacilityConfig(raw, path, env), dirname(resolve(path)));
}
