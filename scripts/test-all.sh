#!/usr/bin/env bash
# The one command that sets up and runs every check on a fresh machine (README "Quick start").
# Installs npm packages (npm ci), the Debian packages the tests need, starts the services they use,
# then runs `npm run check` (format check, lint, typecheck, all tests).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "[test-all] $*" >&2; }

need_apt=()
command -v g++ >/dev/null 2>&1 || need_apt+=(g++ make python3)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)          # browser e2e tests (playwright-core drives it)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends "${need_apt[@]}" >/dev/null 2>&1 \
    || { apt-get update >/dev/null && apt-get install -y --no-install-recommends "${need_apt[@]}" >/dev/null; }
fi

log "npm ci"
npm ci --no-audit --no-fund

log "starting PostgreSQL for the record-store contract suite"
set -a; eval "$(bash scripts/services/postgres-start.sh)"; set +a

log "starting Ceph RGW (S3) for the gateway-store suites"
set -a; eval "$(bash scripts/services/ceph-rgw-start.sh)"; set +a
trap 'bash scripts/services/ceph-rgw-stop.sh >/dev/null 2>&1 || true; bash scripts/services/postgres-stop.sh >/dev/null 2>&1 || true' EXIT

log "npm run check"
npm run check
