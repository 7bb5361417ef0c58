import { createHash } from 'node:crypto';
import { buildNpmTarball, type NpmPackage } from './build-packages.js';
import { type LoggedServer, serveLogged } from './serve-registry.js';

export interface NpmRegistry extends LoggedServer {
  /** How many times a tarball of this package was downloaded. */
  downloads(name: string): number;
}

/** A registry of packuments and tarballs (`package/` prefix), as npm reads them; unscoped names only. */
export async function startNpmRegistry(packages: NpmPackage[], port = 0): Promise<NpmRegistry> {
  const tarballs = new Map<string, Buffer>();
  const packuments = new Map<string, { versions: Record<string, unknown>; latest: string }>();
  let base = '';
  const built = packages.map((pkg) => ({ pkg, ...buildNpmTarball(pkg) }));
  const server = await serveLogged((_req, res, url) => {
    const tarball = /^\/([^/]+)\/-\/([^/]+\.tgz)$/.exec(url.pathname);
    if (tarball?.[2]) {
      const bytes = tarballs.get(tarball[2]);
      if (!bytes) return void res.writeHead(404).end('{"error":"not found"}');
      return void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bytes);
    }
    const name = decodeURIComponent(url.pathname.slice(1));
    const doc = packuments.get(name);
    if (!doc)
      return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ name, 'dist-tags': { latest: doc.latest }, versions: doc.versions }));
  }, port);
  base = server.url;
  for (const { pkg, filename, bytes, manifest } of built) {
    tarballs.set(filename, bytes);
    const doc = packuments.get(pkg.name) ?? { versions: {}, latest: pkg.version };
    doc.versions[pkg.version] = {
      ...manifest,
      dist: {
        tarball: `${base}/${pkg.name}/-/${filename}`,
        shasum: createHash('sha1').update(bytes).digest('hex'),
        integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
      },
    };
    doc.latest = pkg.version;
    packuments.set(pkg.name, doc);
  }
  return Object.assign(server, {
    downloads: (name: string) => server.requests.filter((r) => r.path.startsWith(`/${name}/-/`)).length,
  });
}
