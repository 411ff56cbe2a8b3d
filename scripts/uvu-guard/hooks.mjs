// Module resolve hook (registered by preload.mjs): test files' `import … from 'uvu'` resolves to
// guard.ts, which re-exports uvu with hooks that print their errors. guard.ts itself gets uvu.
const GUARD = new URL('./guard.ts', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === 'uvu' && context.parentURL !== GUARD) return next(GUARD, context);
  return next(specifier, context);
}
