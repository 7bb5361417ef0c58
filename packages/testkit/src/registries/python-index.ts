import {
  type BuiltFile,
  buildSdist,
  buildWheel,
  normalizePythonName,
  type PythonPackage,
  sha256,
} from './build-packages.js';
import { type LoggedServer, serveLogged } from './serve-registry.js';

export interface PythonIndex extends LoggedServer {
  /** The PEP 503 simple index, for PIP_INDEX_URL. */
  readonly indexUrl: string;
  /** How many times the file of this distribution was downloaded (metadata files not counted). */
  downloads(name: string): number;
}

/**
 * A PEP 503 simple index of the given packages, built here (wheels by python's zipfile): each
 * project page lists its files with their sha256, and with `pep658` their metadata as PyPI does. Off by
 * default: Debian 12's pip (23.0) then downloads a wheel twice in one install, which would blur what
 * the tests count.
 */
export async function startPythonIndex(
  packages: PythonPackage[],
  opts: { port?: number; pep658?: boolean } = {},
): Promise<PythonIndex> {
  const port = opts.port ?? 0;
  const byProject = new Map<string, BuiltFile[]>();
  const files = new Map<string, BuiltFile>();
  for (const pkg of packages) {
    const built = pkg.sdistOnlyMarker
      ? buildSdist({ ...pkg, sdistOnlyMarker: pkg.sdistOnlyMarker })
      : buildWheel(pkg);
    const key = normalizePythonName(pkg.name);
    byProject.set(key, [...(byProject.get(key) ?? []), built]);
    files.set(built.filename, built);
  }
  const server = await serveLogged((_req, res, url) => {
    const path = url.pathname;
    if (path === '/simple/' || path === '/simple') {
      const links = [...byProject.keys()].map((p) => `<a href="/simple/${p}/">${p}</a>`).join('\n');
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(`<!DOCTYPE html><html><body>${links}</body></html>`);
      return;
    }
    const project = /^\/simple\/([^/]+)\/?$/.exec(path);
    if (project?.[1]) {
      const list = byProject.get(normalizePythonName(project[1]));
      if (!list) return void res.writeHead(404).end('not found');
      const links = list
        .map((f) => {
          const meta =
            opts.pep658 && f.metadata ? ` data-dist-info-metadata="sha256=${sha256(f.metadata)}"` : '';
          return `<a href="/files/${f.filename}#sha256=${sha256(f.bytes)}"${meta}>${f.filename}</a>`;
        })
        .join('\n');
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(`<!DOCTYPE html><html><body>${links}</body></html>`);
      return;
    }
    const file = /^\/files\/(.+?)(\.metadata)?$/.exec(path);
    const built = file?.[1] ? files.get(file[1]) : undefined;
    if (!built) return void res.writeHead(404).end('not found');
    if (file?.[2]) {
      if (!built.metadata) return void res.writeHead(404).end('not found');
      return void res.writeHead(200, { 'content-type': 'text/plain' }).end(built.metadata);
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(built.bytes);
  }, port);
  return Object.assign(server, {
    get indexUrl() {
      return `${server.url}/simple/`;
    },
    downloads: (name: string) => {
      const prefix = `/files/${name.replace(/[-.]+/g, '_')}-`;
      return server.requests.filter((r) => r.path.startsWith(prefix) && !r.path.endsWith('.metadata')).length;
    },
  });
}
