/**
 * A small ICU MessageFormat subset: `{name}`, `{n, number}`, `{n, number, percent|integer}`,
 * `{n, plural, =0 {…} one {…} other {…}}` with `#`, and `{x, select, a {…} other {…}}`.
 * Plural categories come from Intl.PluralRules and numbers from Intl.NumberFormat of the locale,
 * so messages are whole sentences per language: no string concatenation in the screens.
 */
import { KaoreaderError } from '../../core/errors.ts';

export class MessageFormatError extends KaoreaderError {
  readonly code = 'MESSAGE_FORMAT';
}

export type MessageArgs = Readonly<Record<string, string | number>>;

type Node =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'pound' }
  | { readonly kind: 'arg'; readonly name: string; readonly type: 'string' | 'number'; readonly style?: string }
  | { readonly kind: 'plural' | 'select'; readonly name: string; readonly options: ReadonlyMap<string, Node[]> };

const MAX_LENGTH = 4000;

class Parser {
  #i = 0;
  constructor(readonly src: string) {}

  parse(): Node[] {
    const nodes = this.#message(false, 0);
    if (this.#i < this.src.length) this.#fail('unexpected "}"');
    return nodes;
  }

  #fail(what: string): never {
    throw new MessageFormatError(`message pattern: ${what} at offset ${this.#i} in ${JSON.stringify(this.src.slice(0, 60))}`);
  }

  #message(inPlural: boolean, depth: number): Node[] {
    if (depth > 4) this.#fail('nesting too deep');
    const out: Node[] = [];
    let text = '';
    while (this.#i < this.src.length) {
      const c = this.src[this.#i] as string;
      if (c === '}') break;
      if (c === '{') {
        if (text) out.push({ kind: 'text', text });
        text = '';
        this.#i++;
        out.push(this.#argument(depth));
        continue;
      }
      if (c === '#' && inPlural) {
        if (text) out.push({ kind: 'text', text });
        text = '';
        out.push({ kind: 'pound' });
        this.#i++;
        continue;
      }
      text += c;
      this.#i++;
    }
    if (text) out.push({ kind: 'text', text });
    return out;
  }

  #word(): string {
    this.#skipSpace();
    const m = /^[A-Za-z0-9_=.-]+/.exec(this.src.slice(this.#i));
    if (!m) this.#fail('expected a name');
    this.#i += m[0].length;
    this.#skipSpace();
    return m[0];
  }

  #skipSpace(): void {
    while (this.#i < this.src.length && /\s/.test(this.src[this.#i] as string)) this.#i++;
  }

  #expect(ch: string): void {
    if (this.src[this.#i] !== ch) this.#fail(`expected "${ch}"`);
    this.#i++;
  }

  #argument(depth: number): Node {
    const name = this.#word();
    if (this.src[this.#i] === '}') {
      this.#i++;
      return { kind: 'arg', name, type: 'string' };
    }
    this.#expect(',');
    const type = this.#word();
    if (type === 'number') {
      let style: string | undefined;
      if (this.src[this.#i] === ',') {
        this.#i++;
        style = this.#word();
      }
      this.#expect('}');
      return style === undefined ? { kind: 'arg', name, type: 'number' } : { kind: 'arg', name, type: 'number', style };
    }
    if (type !== 'plural' && type !== 'select') this.#fail(`unknown argument type "${type}"`);
    this.#expect(',');
    const options = new Map<string, Node[]>();
    for (let n = 0; n < 20; n++) {
      this.#skipSpace();
      if (this.src[this.#i] === '}') break;
      const selector = this.#word();
      this.#expect('{');
      options.set(selector, this.#message(type === 'plural', depth + 1));
      this.#expect('}');
    }
    this.#expect('}');
    if (!options.has('other')) this.#fail(`${type} "${name}" has no "other" case`);
    return { kind: type, name, options };
  }
}

const cache = new Map<string, Node[]>();

function parsed(pattern: string): Node[] {
  let nodes = cache.get(pattern);
  if (!nodes) {
    if (pattern.length > MAX_LENGTH) throw new MessageFormatError(`message pattern longer than ${MAX_LENGTH} characters`);
    nodes = new Parser(pattern).parse();
    cache.set(pattern, nodes);
  }
  return nodes;
}

const numberFormats = new Map<string, Intl.NumberFormat>();
const pluralRules = new Map<string, Intl.PluralRules>();

function numberFormat(locale: string, style: string | undefined): Intl.NumberFormat {
  const key = `${locale}|${style ?? ''}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, style === 'percent' ? { style: 'percent' } : style === 'integer' ? { maximumFractionDigits: 0 } : {});
    numberFormats.set(key, f);
  }
  return f;
}

function plural(locale: string): Intl.PluralRules {
  let r = pluralRules.get(locale);
  if (!r) {
    r = new Intl.PluralRules(locale);
    pluralRules.set(locale, r);
  }
  return r;
}

function argValue(args: MessageArgs, name: string): string | number {
  const v = args[name];
  if (v === undefined) throw new MessageFormatError(`message argument "${name}" is missing`);
  return v;
}

function render(nodes: readonly Node[], args: MessageArgs, locale: string, pound: number | undefined): string {
  let out = '';
  for (const node of nodes) {
    switch (node.kind) {
      case 'text':
        out += node.text;
        break;
      case 'pound':
        out += pound === undefined ? '#' : numberFormat(locale, undefined).format(pound);
        break;
      case 'arg': {
        const v = argValue(args, node.name);
        out += node.type === 'number' ? numberFormat(locale, node.style).format(Number(v)) : String(v);
        break;
      }
      case 'plural': {
        const n = Number(argValue(args, node.name));
        if (!Number.isFinite(n)) throw new MessageFormatError(`plural argument "${node.name}" is not a number`);
        const branch = node.options.get(`=${n}`) ?? node.options.get(plural(locale).select(n)) ?? node.options.get('other') ?? [];
        out += render(branch, args, locale, n);
        break;
      }
      case 'select': {
        const v = String(argValue(args, node.name));
        out += render(node.options.get(v) ?? node.options.get('other') ?? [], args, locale, pound);
        break;
      }
    }
  }
  return out;
}

/** Formats `pattern` with `args` for `locale`; throws MessageFormatError on a bad pattern or missing argument. */
export function formatMessage(pattern: string, args: MessageArgs, locale: string): string {
  return render(parsed(pattern), args, locale, undefined);
}

/** The argument names a pattern uses with their kind (`name:number`, `name:plural`…), sorted. */
export function placeholders(pattern: string): string[] {
  const found = new Set<string>();
  const walk = (nodes: readonly Node[]): void => {
    for (const n of nodes) {
      if (n.kind === 'arg') found.add(`${n.name}:${n.type === 'number' ? 'number' : 'string'}`);
      else if (n.kind === 'plural' || n.kind === 'select') {
        found.add(`${n.name}:${n.kind}`);
        for (const branch of n.options.values()) walk(branch);
      }
    }
  };
  walk(parsed(pattern));
  return [...found].sort();
}
