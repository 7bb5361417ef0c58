#!/usr/bin/env bash
# Installs what Hard Fix needs on Debian or Ubuntu, for running it without Docker and for its tests:
# redis-server, bubblewrap, python3 and pip, a JDK, Go, docker-compose and chromium (the test suite
# uses them), and pnpm at the version package.json pins. Node.js itself (20.11 or later) must already be
# there. Idempotent: what is present is left alone. TypeScript comes from npm (`pnpm install`).
#
#   scripts/setup.sh           install what is missing (as root, or through sudo)
#   scripts/setup.sh --check   only report; exit 1 when something is missing
set -euo pipefail
cd "$(dirname "$0")/.."

check_only=false
case "${1:-}" in
  --check) check_only=true ;;
  '') ;;
  *) echo "usage: scripts/setup.sh [--check]" >&2; exit 2 ;;
esac

if ! command -v node >/dev/null; then
  echo "node: missing — install Node.js 20.11 or later first (nvm install 20, or https://nodejs.org)" >&2
  exit 1
fi
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=11)?0:1)'; then
  echo "node: $(node --version) is too old — install Node.js 20.11 or later (nvm install 20)" >&2
  exit 1
fi
PNPM_VERSION=$(node -p "require('./package.json').packageManager.split('@')[1]")

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then sudo=(sudo); else
    echo "not root and no sudo: run this as root" >&2
    exit 1
  fi
fi

# what ^ the check that says it is present ^ the Debian package that provides it.
jdk=openjdk-17-jdk-headless
items=(
  "redis-server^command -v redis-server^redis-server"
  "bubblewrap^[ -x /usr/bin/bwrap ]^bubblewrap"
  "python3^[ -x /usr/bin/python3 ]^python3"
  "pip^/usr/bin/python3 -m pip --version^python3-pip"
  "java, javac^[ -x /usr/bin/javac ] && [ -x /usr/bin/java ]^$jdk"
  "go^command -v go || [ -x /usr/lib/go/bin/go ]^golang-go"
  "docker-compose^command -v docker-compose^docker-compose"
  "chromium^[ -x /usr/bin/chromium ]^chromium"
)

missing_pkgs=()
for item in "${items[@]}"; do
  IFS='^' read -r what test pkg <<<"$item"
  if bash -c "$test" >/dev/null 2>&1; then
    printf 'ok       %s\n' "$what"
  else
    printf 'missing  %s  (apt package %s)\n' "$what" "$pkg"
    missing_pkgs+=("$pkg")
  fi
done
pnpm_found=$(pnpm --version 2>/dev/null || true)
if [ "$pnpm_found" = "$PNPM_VERSION" ]; then
  printf 'ok       pnpm %s\n' "$PNPM_VERSION"
else
  printf 'missing  pnpm %s  (found: %s)\n' "$PNPM_VERSION" "${pnpm_found:-none}"
fi

if $check_only; then
  if [ ${#missing_pkgs[@]} -gt 0 ] || [ "$pnpm_found" != "$PNPM_VERSION" ]; then
    echo "fix: scripts/setup.sh"
    exit 1
  fi
  exit 0
fi

if [ ${#missing_pkgs[@]} -gt 0 ]; then
  echo "installing: ${missing_pkgs[*]}"
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300 update -qq
  available=()
  for pkg in "${missing_pkgs[@]}"; do
    # A release without JDK 17 (newer Debian) gets its default JDK instead.
    if [ "$pkg" = "$jdk" ] && ! apt-cache show "$jdk" >/dev/null 2>&1; then pkg=default-jdk-headless; fi
    if apt-cache show "$pkg" >/dev/null 2>&1; then available+=("$pkg")
    else echo "skipped  $pkg: not in this system's apt sources (only the test suite needs chromium and docker-compose)"; fi
  done
  if [ ${#available[@]} -gt 0 ]; then
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${available[@]}" >/dev/null
  fi
fi
if [ "$pnpm_found" != "$PNPM_VERSION" ]; then
  echo "installing: pnpm $PNPM_VERSION"
  if [ -w "$(npm prefix -g)" ]; then npm install -g "pnpm@$PNPM_VERSION" >/dev/null
  else "${sudo[@]}" npm install -g "pnpm@$PNPM_VERSION" >/dev/null; fi
fi

# The Go adapter's warm standard-library cache (scripts/warm-go-cache.sh), refilled when Go changed.
if [ -x /usr/bin/go ] && [ "$(cat /var/cache/hardfix-go/GO_VERSION 2>/dev/null)" != "$(/usr/bin/go version)" ]; then
  "${sudo[@]}" sh "$(dirname "$0")/warm-go-cache.sh"
fi

# pnpm start runs a Redis of its own when none answers; pnpm test wants one on the default port (apt
# starts the service under systemd; a machine without it, a container say, does not).
redis_up() { (exec 3<>/dev/tcp/127.0.0.1/6379 && printf 'PING\r\n' >&3 && head -c 5 <&3 | grep -q PONG) 2>/dev/null; }
if ! redis_up && command -v redis-server >/dev/null; then
  "${sudo[@]}" service redis-server start >/dev/null 2>&1 || true
  redis_up && echo "started the redis-server service (127.0.0.1:6379), for pnpm test"
fi

echo "done: every package is installed. Next: pnpm install, then pnpm start (run) or pnpm test (test);"
echo "pnpm run doctor checks the rest (Redis, the sandbox, each language, the model)."
