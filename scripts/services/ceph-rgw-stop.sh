#!/usr/bin/env bash
# Stop the daemons started by ceph-rgw-start.sh (by the PIDs it recorded).
# Copied from /work/shared/services/ceph-rgw/stop.sh.
# Set CEPH_WIPE=1 to also delete the state directory.
set -uo pipefail
CEPH_DIR=${CEPH_DIR:-/tmp/ceph-rgw}
alive() { local s; s=$(ps -o stat= -p "$1" 2>/dev/null) && [ -n "$s" ] && [ "${s:0:1}" != Z ]; }
for p in rgw osd mon; do
  f=$CEPH_DIR/$p.pid
  [ -f "$f" ] || continue
  pid=$(cat "$f")
  if alive "$pid"; then
    kill "$pid" 2>/dev/null
    for _ in $(seq 30); do alive "$pid" || break; sleep 0.1; done
    alive "$pid" && kill -9 "$pid" 2>/dev/null
    echo "[ceph-rgw] stopped $p (pid $pid)" >&2
  fi
  rm -f "$f"
done
[ "${CEPH_WIPE:-0}" = 1 ] && rm -rf "$CEPH_DIR"
exit 0
