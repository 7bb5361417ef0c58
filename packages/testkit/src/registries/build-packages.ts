import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A python distribution the test index publishes: as a wheel, or only as an sdist. */
export interface PythonPackage {
  /** Distribution name as published (`Pillow`). */
  name: string;
  version: string;
  /** Top-level module the wheel installs (`PIL`); defaults to the name. */
  module?: string;
  /** The module's `__init__.py`. */
  code?: string;
  /** `Requires-Dist` lines (other distributions of the same index). */
  requires?: string[];
  /**
   * Published only as an sdist whose setup.py writes this file when built: an install that runs
   * package code leaves it behind.
   */
  sdistOnlyMarker?: string;
}

export interface BuiltFile {
  filename: string;
  bytes: Buffer;
  /** PEP 658: the wheel's METADATA, served next to it so a resolver need not download the wheel. */
  metadata?: string;
}

/** PEP 503 normalisation. */
export function normalizePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

// python's zipfile writes the wheel; no build backend (setuptools) is needed, or reachable offline.
const WHEEL_SCRIPT = `
import base64, hashlib, json, sys, zipfile
spec = json.load(sys.stdin)
records = []
with zipfile.ZipFile(spec["out"], "w", zipfile.ZIP_DEFLATED) as z:
    for path, text in spec["files"]:
        data = text.encode()
        z.writestr(path, data)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        records.append(f"{path},sha256={digest},{len(data)}")
    records.append(spec["record"] + ",,")
    z.writestr(spec["record"], "\\n".join(records) + "\\n")
`;

export function buildWheel(pkg: PythonPackage): BuiltFile {
  const dist = pkg.name.replace(/[-.]+/g, '_');
  const module = pkg.module ?? dist.toLowerCase();
  const info = `${dist}-${pkg.version}.dist-info`;
  const metadata = [
    'Metadata-Version: 2.1',
    `Name: ${pkg.name}`,
    `Version: ${pkg.version}`,
    ...(pkg.requires ?? []).map((r) => `Requires-Dist: ${r}`),
    '',
  ].join('\n');
  const wheelInfo =
    'Wheel-Version: 1.0\nGenerator: hardfix-testkit\nRoot-Is-Purelib: true\nTag: py3-none-any\n';
  const code = pkg.code ?? `__version__ = ${JSON.stringify(pkg.version)}\n`;
  const files: [string, string][] = [
    [`${module}/__init__.py`, code],
    [`${info}/METADATA`, metadata],
    [`${info}/WHEEL`, wheelInfo],
    [`${info}/top_level.txt`, `${module}\n`],
  ];
  const dir = mkdtempSync(join(tmpdir(), 'hardfix-wheel-'));
  try {
    const filename = `${dist}-${pkg.version}-py3-none-any.whl`;
    const out = join(dir, filename);
    execFileSync('python3', ['-c', WHEEL_SCRIPT], {
      input: JSON.stringify({ out, files, record: `${info}/RECORD` }),
    });
    return { filename, bytes: readFileSync(out), metadata };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An sdist whose build (setup.py) writes the marker file: only an install that runs package code does. */
export function buildSdist(pkg: PythonPackage & { sdistOnlyMarker: string }): BuiltFile {
  const base = `${pkg.name}-${pkg.version}`;
  const setup = [
    'import pathlib',
    `pathlib.Path(${JSON.stringify(pkg.sdistOnlyMarker)}).write_text("setup.py ran")`,
    'from setuptools import setup',
    `setup(name=${JSON.stringify(pkg.name)}, version=${JSON.stringify(pkg.version)})`,
    '',
  ].join('\n');
  return tarball(`${base}.tar.gz`, base, {
    'setup.py': setup,
    'PKG-INFO': `Metadata-Version: 2.1\nName: ${pkg.name}\nVersion: ${pkg.version}\n`,
  });
}

/** An npm package the test registry publishes. */
export interface NpmPackage {
  name: string;
  version: string;
  /** index.js (CommonJS). */
  code?: string;
  dependencies?: Record<string, string>;
  /** A postinstall script that writes this file: an install that runs scripts leaves it behind. */
  postinstallMarker?: string;
  /** index.d.ts: the package ships its own type declarations (what a typescript project can import). */
  types?: string;
}

export function buildNpmTarball(pkg: NpmPackage): BuiltFile & { manifest: Record<string, unknown> } {
  const manifest: Record<string, unknown> = {
    name: pkg.name,
    version: pkg.version,
    main: 'index.js',
    ...(pkg.types !== undefined ? { types: 'index.d.ts' } : {}),
    ...(pkg.dependencies ? { dependencies: pkg.dependencies } : {}),
    ...(pkg.postinstallMarker ? { scripts: { postinstall: 'node postinstall.js' } } : {}),
  };
  const built = tarball(`${pkg.name}-${pkg.version}.tgz`, 'package', {
    'package.json': `${JSON.stringify(manifest, null, 2)}\n`,
    'index.js': pkg.code ?? `module.exports = { version: ${JSON.stringify(pkg.version)} };\n`,
    ...(pkg.types !== undefined ? { 'index.d.ts': pkg.types } : {}),
    ...(pkg.postinstallMarker
      ? {
          'postinstall.js': `require('fs').writeFileSync(${JSON.stringify(pkg.postinstallMarker)}, 'postinstall ran');\n`,
        }
      : {}),
  });
  return { ...built, manifest };
}

function tarball(filename: string, prefix: string, files: Record<string, string>): BuiltFile {
  const dir = mkdtempSync(join(tmpdir(), 'hardfix-tar-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      const full = join(dir, prefix, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, text);
    }
    const out = join(dir, filename);
    execFileSync('tar', ['-czf', out, '-C', dir, prefix]);
    return { filename, bytes: readFileSync(out) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
