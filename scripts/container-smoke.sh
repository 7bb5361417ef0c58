#!/usr/bin/env bash
# Builds the Dockerfile's images and runs docker-compose.yml for real on a Debian machine WITHOUT a Docker
# engine: podman serves the Docker API, docker-compose v1 drives it, unchanged. A simulated model (the test
# kit's Messages API, on this host) stands in for Claude; everything else is the real stack: Redis with AOF,
# the API and one worker, verification under bubblewrap inside the worker container.
#
#   sudo scripts/container-smoke.sh            run, check, tear down (volumes removed, images kept)
#   sudo scripts/container-smoke.sh --keep     leave the stack running (the last lines say how to stop it)
#
# What it checks: both images build; the worker's sandbox self-test passes for python, javascript and java
# (GET /status sandbox.workers); a project per language is generated, verified and delivered into the
# `delivered` volume by the `node` user; an imported broken program goes through hard fix to manual review
# and a reviewer's fix is verified by the worker; a program under verification cannot reach Redis, which the
# worker itself reaches; a project queued while the worker is down survives a Redis restart (AOF) and is
# delivered when the worker is back; a restarted or exited worker comes back ready; /ready, /metrics and
# /admin/queues answer; the API image has no python3, java or bwrap. Minutes, not seconds: not in .ci/run.
#
# If docker.io/library/node:20-bookworm-slim or redis:7-alpine cannot be pulled, local stand-ins are built
# (scripts/container-standins.sh explains how they differ). Root is needed (rootful podman, debootstrap).
set -euo pipefail
cd "$(dirname "$0")/.."

KEEP=false
[ "${1:-}" = --keep ] && KEEP=true
export COMPOSE_PROJECT_NAME=${COMPOSE_PROJECT_NAME:-hfsmoke}
export PORT=${SMOKE_PORT:-3717}
export API_TOKEN=${API_TOKEN:-smoke-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')}
export ANTHROPIC_API_KEY=sk-ant-simulated
# Quick escalation, so the hard-fix path ends in manual review within a minute.
export RETRY_INTERVAL_MS=1000 HARD_FIX_MAX_ATTEMPTS=2 NORMAL_RETRIES=1
API=http://127.0.0.1:$PORT
WORK=$(mktemp -d /var/tmp/hardfix-smoke.XXXXXX)
export DOCKER_HOST=unix://$WORK/podman.sock

step() { printf '\n== %s ==\n' "$*"; }
fail() {
  printf 'FAILED: %s\n' "$*" >&2
  exit 1
}
# Reads one value from JSON on stdin: json '<js expression of d>'.
json() { node -e 'let s="";process.stdin.on("data",c=>s+=c).on("end",()=>{const d=JSON.parse(s);const v=('"$1"');console.log(typeof v==="string"?v:JSON.stringify(v))})'; }
authed() { curl -fsS -H "Authorization: Bearer $API_TOKEN" -H 'Content-Type: application/json' "$@"; }
compose() { docker-compose "$@"; }

SERVICE_PID='' MODEL_PID='' HEALTH_PID=''
cleanup() {
  local rc=$?
  [ -n "$HEALTH_PID" ] && kill "$HEALTH_PID" 2>/dev/null || true
  if [ "$KEEP" = true ] && [ $rc -eq 0 ]; then
    printf '\nLeft running: API %s, token %s (health checks are no longer run). Stop with:\n' "$API" "$API_TOKEN"
    printf '  DOCKER_HOST=%s COMPOSE_PROJECT_NAME=%s docker-compose down -v; kill %s %s; rm -rf %s\n' \
      "$DOCKER_HOST" "$COMPOSE_PROJECT_NAME" "$SERVICE_PID" "$MODEL_PID" "$WORK"
    return
  fi
  if [ -n "$SERVICE_PID" ]; then
    [ $rc -ne 0 ] && compose logs --no-color --tail=40 >&2 || true
    compose down -v --remove-orphans >/dev/null 2>&1 || true
    kill "$SERVICE_PID" 2>/dev/null || true
  fi
  [ -n "$MODEL_PID" ] && kill "$MODEL_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

step "tools"
[ "$(id -u)" = 0 ] || fail "run as root (rootful podman and debootstrap)"
missing=()
for tool in podman buildah debootstrap docker-compose; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v node >/dev/null && command -v pnpm >/dev/null || fail "Node 20 and pnpm are needed on this host (README: Run it)"
[ -d node_modules ] || pnpm install --frozen-lockfile >/dev/null
podman --version && docker-compose --version

# podman's configuration for this run only (CONTAINERS_CONF replaces the machine's): without systemd the
# cgroups are managed directly and events go to a file, and a container may not ask for more open files or
# processes than this shell may have (podman's defaults exceed that where CAP_SYS_RESOURCE is missing).
nofile=$(ulimit -Hn)
[ "$nofile" = unlimited ] || [ "$nofile" -gt 1048576 ] && nofile=1048576
nproc=$(ulimit -Hu)
[ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ] && nproc=32768
{
  echo '[containers]'
  echo "default_ulimits = [\"nofile=$nofile:$nofile\", \"nproc=$nproc:$nproc\"]"
  echo '[engine]'
  if [ ! -d /run/systemd/system ]; then
    echo 'cgroup_manager = "cgroupfs"'
    echo 'events_logger = "file"'
  fi
} >"$WORK/containers.conf"
export CONTAINERS_CONF=$WORK/containers.conf

step "base images"
for image in docker.io/library/node:20-bookworm-slim docker.io/library/redis:7-alpine; do
  if podman image exists "$image"; then
    echo "present: $image"
  elif timeout 120 podman pull -q "$image" >/dev/null 2>&1; then
    echo "pulled: $image"
  else
    echo "cannot pull $image: building local stand-ins"
    scripts/container-standins.sh
    break
  fi
done
podman run --rm docker.io/library/node:20-bookworm-slim node --version >/dev/null ||
  fail "podman cannot run a container here (see the error above)"

step "simulated model"
host_ip=$(hostname -I | awk '{print $1}')
node --import tsx packages/testkit/src/serve.ts 0 "$host_ip" >"$WORK/model.out" 2>"$WORK/model.err" &
MODEL_PID=$!
for _ in $(seq 60); do grep -q '^ANTHROPIC_BASE_URL=' "$WORK/model.out" && break; sleep 0.5; done
export ANTHROPIC_BASE_URL
ANTHROPIC_BASE_URL=$(sed -n 's/^ANTHROPIC_BASE_URL=//p' "$WORK/model.out")
[ -n "$ANTHROPIC_BASE_URL" ] || fail "the simulated model did not start: $(cat "$WORK/model.err")"
echo "ANTHROPIC_BASE_URL=$ANTHROPIC_BASE_URL (simulated: canned answers, no real model)"

step "podman's Docker API"
podman system service --time=0 "$DOCKER_HOST" >"$WORK/podman-service.log" 2>&1 &
SERVICE_PID=$!
for _ in $(seq 40); do curl -fsS --unix-socket "$WORK/podman.sock" http://d/_ping >/dev/null 2>&1 && break; sleep 0.5; done
curl -fsS --unix-socket "$WORK/podman.sock" http://d/version | json 'd.Components[0].Name + " " + d.Version'

step "docker-compose config -q"
compose config -q && echo ok
compose --profile monitoring config -q && echo "ok (monitoring profile)"

step "docker-compose up -d --build"
# Docker runs health checks itself; podman without systemd only when asked, so ask every 2 s (the
# compose file's depends_on: service_healthy waits on them).
(
  while sleep 2; do
    for c in $(podman ps --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME" --format '{{.Names}}'); do
      podman healthcheck run "$c" >/dev/null 2>&1 || true
    done
  done
) &
HEALTH_PID=$!
compose up -d --build >"$WORK/compose-up.log" 2>&1 || {
  tail -40 "$WORK/compose-up.log" >&2
  fail "docker-compose up"
}
grep -E '^(Successfully tagged|Creating)' "$WORK/compose-up.log" | sort -u
c_api=$(compose ps -q api) c_worker=$(compose ps -q worker) c_redis=$(compose ps -q redis)

step "ready"
for _ in $(seq 120); do curl -fsS "$API/ready" >/dev/null 2>&1 && break; sleep 1; done
curl -fsS "$API/ready" || fail "/ready"
echo
status=$(curl -fsS "$API/status")
echo "$status" | json 'd.sandbox.workers.map(w => `worker ${w.worker}: ${w.state} (${w.mode}) ` + Object.entries(w.languages).map(([l, t]) => `${l}=${t.ok ? "ok" : "FAILED " + t.reason}`).join(" ")).join("\n")'
[ "$(echo "$status" | json 'd.sandbox.workers.length === 1 && d.sandbox.workers.every(w => w.state === "ready" && w.mode === "bubblewrap" && ["python","javascript","java"].every(l => w.languages[l]?.ok && w.languages[l]?.installed))')" = true ] ||
  fail "the worker's sandbox self-test did not pass for all three languages under bubblewrap"

step "users and image contents"
echo "api runs as $(podman exec "$c_api" id -un), worker as $(podman exec "$c_worker" id -un)"
[ "$(podman exec "$c_worker" id -un)" = node ] && [ "$(podman exec "$c_api" id -un)" = node ] || fail "not the node user"
podman exec "$c_api" sh -c 'for b in python3 java javac bwrap; do if command -v $b; then exit 1; fi; done' ||
  fail "the API image carries an interpreter or bwrap"
echo "api image: no python3, java, javac or bwrap"

wait_status() { # id wanted timeout-seconds
  local s=''
  for _ in $(seq "$3"); do
    # Tolerates a refused request: the API answers 503 while it reconnects to a restarted Redis.
    s=$(authed "$API/projects/$1" 2>/dev/null | json 'd.status' 2>/dev/null || true)
    [ "$s" = "$2" ] && return 0
    sleep 1
  done
  fail "project $1 is $s, not $2"
}

step "a project per language: generation, verification in the worker's sandbox, delivery"
for spec in smoke-python:python smoke-javascript:javascript smoke-java:java; do
  id=$(authed -X POST "$API/projects" -d "{\"name\":\"${spec%%:*}\",\"language\":\"${spec#*:}\",\"prompt\":\"print a greeting\"}" | json 'd.id')
  wait_status "$id" delivered 90
  authed "$API/projects/$id" | json '`${d.id} ${d.name} ${d.status} ${d.delivery.path} attempts: ` + d.attempts.map(a => `${a.stage}#${a.n} ${a.outcome}`).join(", ")'
done
podman exec "$c_worker" sh -c 'cd /data/delivered && for d in smoke-*; do echo "$d: $(ls -A "$d" | tr "\n" " ")(owner $(stat -c %U "$d"))"; done'

step "import -> hard fix -> manual review -> a reviewer's fix verified by the worker"
id=$(authed -X POST "$API/projects/import" -d '{"name":"smoke-import","language":"python","files":[{"path":"main.py","content":"print(PI * 2)\n"}]}' | json 'd.id')
wait_status "$id" manual-review 120
authed "$API/projects/$id" | json 'd.attempts.map(a => `${a.stage}#${a.n} ${a.outcome}` + (a.error ? `: ${a.error.type}: ${a.error.message}` : "")).join("\n")'
authed -X POST "$API/review/$id/resolve" -d '{"files":[{"path":"main.py","content":"import math\nprint(math.pi * 2)\n"}]}' >/dev/null
wait_status "$id" delivered 60
authed "$API/projects/$id" | json '`${d.id} ${d.name} ${d.status} ${d.delivery.path}`'

step "the sandbox has no network: the worker reaches Redis, the program it verifies does not"
redis_ip=$(podman inspect "$c_redis" --format '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}')
podman exec "$c_worker" node -e "require('node:net').connect(6379, '$redis_ip').on('connect', () => { console.log('worker -> $redis_ip:6379 connected'); process.exit(0); })"
probe="import socket\\nsocket.create_connection(('$redis_ip', 6379), timeout=3)\\nprint('connected')\\n"
id=$(authed -X POST "$API/projects/import" -d "{\"name\":\"smoke-network\",\"language\":\"python\",\"files\":[{\"path\":\"main.py\",\"content\":\"$probe\"}]}" | json 'd.id')
wait_status "$id" manual-review 120
verdict=$(authed "$API/projects/$id" | json 'd.attempts[0].error ? `${d.attempts[0].error.type}: ${d.attempts[0].error.message}` : "no error"')
echo "sandboxed program -> $redis_ip:6379: $verdict"
case "$verdict" in *"Network is unreachable"*) ;; *) fail "the sandboxed program was not cut off from the network" ;; esac
authed -X POST "$API/review/$id/abandon" -d '{"reason":"smoke test: network probe"}' | json '`${d.name} ${d.status}`'

step "a worker down, Redis restarted (AOF), the worker back: nothing lost"
compose stop worker >/dev/null 2>&1
id=$(authed -X POST "$API/projects" -d '{"name":"smoke-restart","language":"python","prompt":"print a greeting"}' | json 'd.id')
podman restart "$c_redis" >/dev/null 2>&1
for i in $(seq 60); do curl -fsS "$API/ready" >/dev/null 2>&1 && break; sleep 1; done
echo "the API answers /ready again ${i} s after the Redis restart"
echo "after the Redis restart: $(authed "$API/projects/$id" | json 'd.status')"
podman start "$c_worker" >/dev/null 2>&1
wait_status "$id" delivered 90
echo "after the worker came back: $id delivered"
export BEFORE
# Waits for a worker that was not in $BEFORE to pass its self-test.
wait_new_worker() {
  local ready=false
  for _ in $(seq 90); do
    ready=$(curl -fsS "$API/status" | json 'd.sandbox.workers.some(w => w.state === "ready" && !process.env.BEFORE.split(" ").includes(w.worker))')
    [ "$ready" = true ] && return 0
    sleep 1
  done
  fail "no new worker became ready after $1"
}
BEFORE=$(curl -fsS "$API/status" | json 'd.sandbox.workers.map(w => w.worker).join(" ")')
podman restart "$c_worker" >/dev/null 2>&1
wait_new_worker "podman restart"
curl -fsS "$API/status" | json '"after podman restart of the worker: " + d.sandbox.workers.map(w => `${w.worker} ${w.state}`).join(", ") + `; projects delivered: ${d.projects.delivered} of ${d.projects.total}`'

step "restart: unless-stopped brings back a worker that exits"
restarts=$(podman inspect "$c_worker" --format '{{.RestartCount}}')
BEFORE=$(curl -fsS "$API/status" | json 'd.sandbox.workers.map(w => w.worker).join(" ")')
podman exec "$c_worker" node -e 'process.kill(1, "SIGTERM")'
for _ in $(seq 60); do
  [ "$(podman inspect "$c_worker" --format '{{.RestartCount}} {{.State.Status}}')" = "$((restarts + 1)) running" ] && break
  sleep 1
done
podman inspect "$c_worker" --format 'worker: restarts {{.RestartCount}}, {{.State.Status}}, last exit {{.State.ExitCode}}'
[ "$(podman inspect "$c_worker" --format '{{.RestartCount}} {{.State.Status}}')" = "$((restarts + 1)) running" ] ||
  fail "the worker was not restarted"
wait_new_worker "its exit"

step "metrics and Bull Board"
metrics=$(curl -fsS "$API/metrics")
echo "$metrics" | grep -E '^hardfix_(sandbox_self_test_ok|sandbox_workers\{state="ready"\}|projects\{status="delivered"\})'
[ "$(echo "$metrics" | grep -c '^hardfix_sandbox_self_test_ok{language="[a-z]*"} 1$')" = 3 ] || fail "/metrics: a language's self-test is not ok"
code=$(curl -s -o /dev/null -w '%{http_code}' -u "admin:$API_TOKEN" "$API/admin/queues")
echo "/admin/queues: $code"
[ "$code" = 200 ] || fail "/admin/queues"

step "passed"
