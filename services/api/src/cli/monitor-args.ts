/** What `pnpm monitor` was asked to do. */
export interface MonitorArgs {
  mode: 'live' | 'status' | 'json' | 'events';
  /** Base URL of the API, without a trailing slash. */
  url: string;
  /** The API token, which GET /events needs (--token or HARDFIX_TOKEN). */
  token?: string;
}

export const DEFAULT_URL = 'http://127.0.0.1:3000';

export const USAGE = `usage: pnpm monitor [--status | --json | --events] [--url <base>] [--token <token>]

  (no flag)        live view, refreshed every 2 s; Ctrl-C quits
  --status         print the figures once and exit
  --json           print the raw GET /status JSON and exit
  --events         follow GET /events: one line per project event as it happens; Ctrl-C quits
  --url <base>     the API to watch (default: $HARDFIX_URL or ${DEFAULT_URL})
  --token <token>  the API token, for --events (default: $HARDFIX_TOKEN)`;

export class UsageError extends Error {}

/** A tiny parser on purpose: a few flags do not justify a dependency. */
export function parseMonitorArgs(
  argv: readonly string[],
  envUrl: string | undefined,
  envToken?: string,
): MonitorArgs {
  let mode: MonitorArgs['mode'] = 'live';
  let url = envUrl || DEFAULT_URL;
  let token = envToken || undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--status') mode = 'status';
    else if (arg === '--json') mode = 'json';
    else if (arg === '--events') mode = 'events';
    else if (arg === '--token' || arg.startsWith('--token=')) {
      token = arg === '--token' ? argv[++i] : arg.slice('--token='.length);
      if (!token) throw new UsageError('--token needs a value');
    } else if (arg === '--url' || arg.startsWith('--url=')) {
      const value = arg === '--url' ? argv[++i] : arg.slice('--url='.length);
      if (!value) throw new UsageError('--url needs a value, e.g. --url http://127.0.0.1:3000');
      url = value;
    } else if (arg === '--') continue;
    else throw new UsageError(`unknown argument ${arg}`);
  }
  if (!/^https?:\/\/[^/]/.test(url)) throw new UsageError(`--url must be an http(s) URL, got ${url}`);
  if (mode === 'events' && !token)
    throw new UsageError('--events needs the API token: --token <token> or HARDFIX_TOKEN');
  return { mode, url: url.replace(/\/+$/, ''), ...(token ? { token } : {}) };
}
