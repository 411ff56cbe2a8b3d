/**
 * Which files of an npm package a release keeps for one target CPU. Other architectures'
 * binaries go (`prebuilds/*-linux-<cpu>`, onnxruntime-node's `bin/napi-v*\/<os>/<cpu>`), and
 * so does what only a developer reads or a compiler eats: type declarations, source maps,
 * TypeScript sources, Markdown (licences stay), and, in a node-gyp package, everything but its
 * JavaScript, JSON and binaries (its C/C++ sources, gyp files and `build/`, which the release
 * replaces with the addon built for the target, see addons.ts). Some packages are used for a
 * part only (SUBSETS).
 */

/**
 * Packages the device uses a part of (path prefixes): face-api's weights are the model conversion
 * inputs and its sample photos the simulator's patients; its code is not run.
 */
export const SUBSETS: Readonly<Record<string, readonly string[]>> = {
  '@vladmandic/face-api': ['package.json', 'LICENSE', 'model/', 'demo/sample'],
};

const DEV_ONLY = /(\.d\.[cm]?ts|\.map|\.tsbuildinfo)$|(^|\/)(\.github|__tests__|\.vscode)\//;
const TS_SOURCE = /\.[cm]?ts$/;
const LICENCE = /(^|\/)(LICEN[CS]E|COPYING|NOTICE)[^/]*$/i;
const GYP_RUNTIME = /\.(js|cjs|mjs|json|node)$|\.so(\.\d+)*$/;

export type PackageKind = 'gyp' | 'plain';

export function keepFile(rel: string, cpu: string, kind: PackageKind, subset?: readonly string[]): boolean {
  if (subset && !subset.some((s) => rel.startsWith(s))) return false;
  const parts = rel.split('/');
  const pi = parts.indexOf('prebuilds');
  const tag = pi >= 0 ? parts[pi + 1] : undefined;
  if (tag !== undefined && parts.length > pi + 2 && !tag.endsWith(`linux-${cpu}`)) return false;
  const napi = parts.findIndex((p) => /^napi-v\d+$/.test(p));
  if (napi >= 0 && parts[napi - 1] === 'bin' && parts.length > napi + 2 && (parts[napi + 1] !== 'linux' || parts[napi + 2] !== cpu))
    return false;
  if (LICENCE.test(rel)) return true;
  if (DEV_ONLY.test(rel) || TS_SOURCE.test(rel) || rel.endsWith('.md')) return false;
  if (kind === 'gyp') return parts[0] !== 'build' && GYP_RUNTIME.test(rel);
  return true;
}
