/**
 * Declarative tag tables: a structure is described as `{ name: { tag, required, minLength,
 * maxLength } }` and `readTagged` returns the values by name, or a `MalformedResponseError`
 * naming the offending tag (missing, repeated, wrong length, unknown when `strict`).
 */
import { MalformedResponseError } from './errors.ts';
import { parseTlvs, type TlvLimits, DEFAULT_TLV_LIMITS } from './tlv.ts';

export interface TagSpec {
  readonly tag: number;
  readonly required: boolean;
  readonly minLength?: number;
  readonly maxLength?: number;
}

export type TagTable = Readonly<Record<string, TagSpec>>;

export type Tagged<T extends TagTable> = { [K in keyof T]: T[K]['required'] extends true ? Uint8Array : Uint8Array | undefined };

export function readTagged<T extends TagTable>(
  buf: Uint8Array,
  table: T,
  what: string,
  strict = false,
  limits: TlvLimits = DEFAULT_TLV_LIMITS,
): Tagged<T> {
  const byTag = new Map<number, [string, TagSpec]>();
  for (const [name, spec] of Object.entries(table)) byTag.set(spec.tag, [name, spec]);
  const out: Record<string, Uint8Array> = {};
  for (const tlv of parseTlvs(buf, what, limits)) {
    const entry = byTag.get(tlv.tag);
    const hex = tlv.tag.toString(16).toUpperCase();
    if (!entry) {
      if (strict) throw new MalformedResponseError(what, `unexpected tag ${hex}`);
      continue;
    }
    const [name, spec] = entry;
    if (out[name]) throw new MalformedResponseError(what, `tag ${hex} (${name}) repeated`);
    const n = tlv.value.length;
    if ((spec.minLength !== undefined && n < spec.minLength) || (spec.maxLength !== undefined && n > spec.maxLength)) {
      throw new MalformedResponseError(
        what,
        `${name} (tag ${hex}) has ${n} bytes, want ${spec.minLength ?? 0}..${spec.maxLength ?? 'any'}`,
      );
    }
    out[name] = tlv.value;
  }
  for (const [name, spec] of Object.entries(table)) {
    if (spec.required && !out[name]) throw new MalformedResponseError(what, `missing ${name} (tag ${spec.tag.toString(16).toUpperCase()})`);
  }
  return out as Tagged<T>;
}
