#!/usr/bin/env bash
# Bring up a throw-away single-host Ceph cluster (1 mon, 1 OSD, no mgr) plus
# radosgw on 127.0.0.1, create an S3 user and print its endpoint and keys.
# The backend of the S3ObjectStore suites and test/scale-out (docs/scale-out.md).
# Copied from /work/shared/services/ceph-rgw/start.sh; one change: the 256-byte
# object-name limit is applied to filestore only (see the [osd] section).
#
# Idempotent: if the cluster it started earlier (same CEPH_DIR) is still
# running and the gateway answers, it only prints the credentials again;
# otherwise it wipes CEPH_DIR and builds a new cluster (~2-3 s once the
# packages are installed). Exits non-zero on failure, after stopping any
# daemon it started. Stop with stop.sh.
#
# Env knobs:
#   CEPH_DIR        state dir                (default /tmp/ceph-rgw)
#   RGW_PORT        S3 port on 127.0.0.1      (default 7480)
#   MON_PORT        mon v2 port (v1 = +1)     (default 13300)
#   OSD_BACKEND     memstore|bluestore|filestore (default memstore)
#   MEMSTORE_BYTES  memstore capacity         (default 4 GiB)
#   S3_ACCESS_KEY / S3_SECRET_KEY            (defaults below)
#   CEPH_INSTALL=1  apt-get install the packages if missing (default 1)
#   APT_OPTS        extra apt-get options for that install
#
# Output (stdout, also written to $CEPH_DIR/s3.env): KEY=VALUE lines, e.g.
#   set -a; eval "$(./start.sh)"; set +a
set -euo pipefail

CEPH_DIR=${CEPH_DIR:-/tmp/ceph-rgw}
RGW_PORT=${RGW_PORT:-7480}
MON_PORT=${MON_PORT:-13300}
MON_PORT_V1=$((MON_PORT + 1))
OSD_BACKEND=${OSD_BACKEND:-memstore}
MEMSTORE_BYTES=${MEMSTORE_BYTES:-4294967296}
S3_ACCESS_KEY=${S3_ACCESS_KEY:-CIACCESSKEY000000000}
S3_SECRET_KEY=${S3_SECRET_KEY:-CIsecretKEY0000000000000000000000000000000}
S3_USER=${S3_USER:-ci}
CEPH_INSTALL=${CEPH_INSTALL:-1}
CONF=$CEPH_DIR/ceph.conf
ENDPOINT=http://127.0.0.1:$RGW_PORT
if [ "$OSD_BACKEND" = filestore ]; then OSD_NAME_LEN=256; else OSD_NAME_LEN=2048; fi

T_START=$(date +%s.%N)
log() { echo "[ceph-rgw] +$(awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $T_START}")s $*" >&2; }
die() {
  log "ERROR: $*"
  for f in "$CEPH_DIR"/log/*.log "$CEPH_DIR"/log/*.out; do
    [ -f "$f" ] && { echo "--- tail $f" >&2; tail -n 15 "$f" >&2; }
  done
  # do not leave half a cluster behind (logs are kept)
  if [ -d "$CEPH_DIR" ]; then CEPH_DIR=$CEPH_DIR "$(dirname "$0")/ceph-rgw-stop.sh" || true; fi
  exit 1
}

print_creds() {
  cat <<EOC | tee "$CEPH_DIR/s3.env"
S3_ENDPOINT=$ENDPOINT
S3_ACCESS_KEY=$S3_ACCESS_KEY
S3_SECRET_KEY=$S3_SECRET_KEY
S3_REGION=us-east-1
S3_FORCE_PATH_STYLE=true
EOC
}

alive() { local s; s=$(ps -o stat= -p "$1" 2>/dev/null) && [ -n "$s" ] && [ "${s:0:1}" != Z ]; }
rgw_up() { curl -s -o /dev/null -m 2 "$ENDPOINT/" 2>/dev/null; }

# ---------------------------------------------------------------- packages
need_pkgs=()
for b in ceph-mon:ceph-mon ceph-osd:ceph-osd radosgw:radosgw radosgw-admin:radosgw ceph:ceph-common curl:curl uuidgen:uuid-runtime ps:procps; do
  command -v "${b%%:*}" >/dev/null 2>&1 || need_pkgs+=("${b%%:*}")
done
if [ ${#need_pkgs[@]} -gt 0 ]; then
  [ "$CEPH_INSTALL" = 1 ] || die "missing packages: ${need_pkgs[*]}"
  log "missing ${need_pkgs[*]}: apt-get install"
  export DEBIAN_FRONTEND=noninteractive
  PKGS="radosgw ceph-mon ceph-osd ceph-common curl uuid-runtime procps"
  # shellcheck disable=SC2086
  apt-get install -y --no-install-recommends ${APT_OPTS:-} $PKGS >/dev/null 2>&1 \
    || { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends ${APT_OPTS:-} $PKGS >/dev/null; } \
    || die "apt-get install failed"
fi

# ---------------------------------------------------------------- already up?
all_alive() {
  local p
  for p in mon osd rgw; do
    [ -f "$CEPH_DIR/$p.pid" ] && alive "$(cat "$CEPH_DIR/$p.pid")" || return 1
  done
}
if all_alive && rgw_up; then
  log "already running"
  # A cluster started by an older copy of this script has the 256-byte limit on
  # a non-filestore OSD: raise it in place (takes effect at once, no restart).
  if [ "$OSD_NAME_LEN" != 256 ] && grep -q '^osd max object name len = 256$' "$CONF" \
    && ! grep -q '^osd objectstore = filestore$' "$CONF"; then
    if timeout 20 ceph -c "$CONF" tell osd.0 config set osd_max_object_name_len "$OSD_NAME_LEN" >/dev/null 2>&1; then
      log "raised osd_max_object_name_len to $OSD_NAME_LEN"
    else
      log "WARNING: could not raise osd_max_object_name_len; keys over ~210 bytes will fail"
    fi
  fi
  print_creds
  exit 0
fi
# Partial / stale state: tear it down and start afresh.
if [ -d "$CEPH_DIR" ]; then
  CEPH_DIR=$CEPH_DIR CEPH_WIPE=1 "$(dirname "$0")/ceph-rgw-stop.sh"
fi
for port in "$RGW_PORT" "$MON_PORT" "$MON_PORT_V1"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "127.0.0.1:$port is already in use (set RGW_PORT / MON_PORT)"
  fi
done
mkdir -p "$CEPH_DIR"/{log,run,mon.a,osd.0,rgw}

FSID=$(uuidgen)
OSD_UUID=$(uuidgen)

cat >"$CONF" <<EOF
# Lines marked (!) were shown to be required by removing them one at a time.
[global]
fsid = $FSID
mon host = [v2:127.0.0.1:$MON_PORT,v1:127.0.0.1:$MON_PORT_V1]
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind ipv6 = false
# (!) no cephx: otherwise every daemon and client needs a keyring
auth cluster required = none
auth service required = none
auth client required = none
mon warn on insecure global id reclaim allowed = false
run dir = $CEPH_DIR/run
admin socket = $CEPH_DIR/run/\$name.asok
log file = $CEPH_DIR/log/\$name.log
pid file = $CEPH_DIR/run/\$name.pid
mon cluster log file = $CEPH_DIR/log/cluster.log
# (!) one OSD: replicated size 1 (or at least min_size 1), else PGs stay
# inactive and radosgw hangs creating its pools
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
mon allow pool size one = true
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0

[mon]
mon data = $CEPH_DIR/mon.\$id
# (!) for speed: every osdmap change (osd boot, each pool create and
# "application enable") waits paxos_propose_interval (default 1 s); rgw's
# first start makes ~10 such changes. 0.05 cuts cold start from ~13 s to ~2 s
# and the first CreateBucket+PutObject from ~4.5 s to ~0.3 s.
paxos propose interval = 0.05
paxos min wait = 0.01
# the mon shuts itself down when its disk has < 5 % free; relax that
mon data avail crit = 1
mon data avail warn = 2

[osd]
osd data = $CEPH_DIR/osd.\$id
osd objectstore = $OSD_BACKEND
# memstore keeps all objects in the OSD's RAM; this is its reported capacity
memstore device bytes = $MEMSTORE_BYTES
# bluestore on a sparse file (no block device / LVM needed)
bluestore block path = $CEPH_DIR/osd.\$id/block.file
bluestore block create = true
bluestore block size = 10737418240
bluestore fsck on mount = false
bluestore fsck on mkfs = false
bluestore cache autotune = false
bluestore cache size = 268435456
osd memory target = 1073741824
# filestore (deprecated): ext4 needs short object names, else
# "osd init failed: (36) File name too long". Only there: the head object of
# an S3 object is named <bucket marker>_<key>, so 256 refuses keys longer than
# ~210 bytes with 500 ENAMETOOLONG, and OSS keys may have 1023 bytes.
osd journal = $CEPH_DIR/osd.\$id/journal
osd journal size = 100
osd max object name len = $OSD_NAME_LEN
osd max object namespace len = 64

[client.rgw]
# (!) radosgw's built-in defaults are ms_mon_client_mode=secure and
# auth_client_required=cephx; with auth=none "secure" cannot be negotiated
# and rgw loops on "get_initial_auth_request returned -13" for 300 s.
ms mon client mode = crc
auth client required = none
# tcp_nodelay=1: without it every GET/LIST response stalls ~40 ms
# (Nagle + delayed ACK); with it ~2 ms.
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT tcp_nodelay=1
rgw data = $CEPH_DIR/rgw
rgw enable usage log = false
# Deleted objects' data (tails of objects > 4 MiB, multipart parts) go to
# rgw's garbage collector, which by default waits 2 h before freeing them;
# with memstore that data stays in the OSD's RAM (~+200 MB per 100 MB
# test object). Collect promptly instead.
rgw gc obj min wait = 5
rgw gc processor period = 10
rgw gc processor max time = 10
EOF

# Run each daemon in the foreground (-f) but detached (setsid), so that we
# know its PID at once and never block on a daemon that cannot reach the mon.
start_daemon() {
  local name=$1; shift
  setsid "$@" -f </dev/null >>"$CEPH_DIR/log/$name.out" 2>&1 &
  echo $! >"$CEPH_DIR/$name.pid"
  sleep 0.2
  alive "$(cat "$CEPH_DIR/$name.pid")" || die "$name exited at start"
}

T0=$(date +%s.%N)
# ---------------------------------------------------------------- mon
monmaptool --create --fsid "$FSID" --addv a "[v2:127.0.0.1:$MON_PORT,v1:127.0.0.1:$MON_PORT_V1]" "$CEPH_DIR/monmap" >/dev/null \
  || die "monmaptool failed"
ceph-mon -c "$CONF" --mkfs -i a --monmap "$CEPH_DIR/monmap" >/dev/null 2>&1 || die "ceph-mon --mkfs failed"
start_daemon mon ceph-mon -c "$CONF" -i a
timeout 30 ceph -c "$CONF" mon stat >/dev/null 2>&1 || die "mon did not answer"
log "mon up"

# ---------------------------------------------------------------- osd
OSD_ID=$(timeout 30 ceph -c "$CONF" osd new "$OSD_UUID") || die "ceph osd new failed"
[ "$OSD_ID" = 0 ] || die "unexpected osd id $OSD_ID"
ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$OSD_UUID" >"$CEPH_DIR/log/osd-mkfs.out" 2>&1 || die "ceph-osd --mkfs failed"
start_daemon osd ceph-osd -c "$CONF" -i 0
for _ in $(seq 120); do
  timeout 10 ceph -c "$CONF" osd dump 2>/dev/null | grep -q '^osd.0 up' && break
  sleep 0.5
done
timeout 10 ceph -c "$CONF" osd dump 2>/dev/null | grep -q '^osd.0 up' || die "osd.0 did not come up"
log "osd up"

# ---------------------------------------------------------------- rgw
start_daemon rgw radosgw -c "$CONF" -n client.rgw
for _ in $(seq 240); do
  rgw_up && break
  alive "$(cat "$CEPH_DIR/rgw.pid")" || die "radosgw exited"
  sleep 0.25
done
rgw_up || die "radosgw did not answer on $ENDPOINT"
log "rgw up"

radosgw-admin -c "$CONF" -n client.rgw user create --uid="$S3_USER" --display-name="CI user" \
  --access-key="$S3_ACCESS_KEY" --secret-key="$S3_SECRET_KEY" >"$CEPH_DIR/log/user-create.json" 2>"$CEPH_DIR/log/user-create.err" \
  || die "radosgw-admin user create failed"
log "ready: cluster + gateway up in $(awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $T0}") s"
print_creds
