#!/usr/bin/env bash
# Starts (or stops) the servers that server mode is tested against, on 127.0.0.1 only:
#   PostgreSQL 17 + pgvector, and an S3 server (Ceph RADOS Gateway on its SQLite "dbstore" backend).
# They come from Debian trixie packages installed into a minbase debootstrap chroot kept in a
# cache dir (the host's Debian 12 packages neither pgvector nor an S3 server) and run from it
# with `chroot`, no mounts, as the chroot's unprivileged postgres and ceph users.
#
#   scripts/services.sh up      installs what is missing, starts both (or finds them running) and
#                               prints their settings as `export` lines: eval "$(scripts/services.sh up)"
#   scripts/services.sh down    stops both and removes their data (idempotent)
#   scripts/services.sh env     prints the `export` lines of the running servers
#   scripts/services.sh status  says what runs where
#
# Settings (environment):
#   NEPTUNE_CACHE            cache dir (default ~/.cache/neptune); the chroot is $NEPTUNE_CACHE/trixie
#   NEPTUNE_SERVICES_ID      names this set of servers (default: one per checkout, from its path)
#   NEPTUNE_PG_PORT          PostgreSQL port (default: the first free one from 55432)
#   NEPTUNE_S3_PORT          S3 port (default: the first free one from 57480)
#   NEPTUNE_DEBIAN_MIRROR    Debian mirror (default: the one this host's apt uses)
#   NEPTUNE_SERVICES_TIMEOUT seconds to wait for each server to answer (default 90)
# Needs root (debootstrap and chroot). Progress goes to stderr, exports to stdout.
set -euo pipefail

SUITE=trixie
PACKAGES="postgresql-17 postgresql-17-pgvector radosgw curl"
# Changing the packages or the way the chroot is prepared changes the stamp and rebuilds it.
STAMP="suite=$SUITE layout=1 packages=$PACKAGES"
PG_BIN=/usr/lib/postgresql/17/bin
CHROOT_PATH=/usr/sbin:/usr/bin:/sbin:/bin

repo="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cache="${NEPTUNE_CACHE:-$HOME/.cache/neptune}"
root="$cache/$SUITE"
id="${NEPTUNE_SERVICES_ID:-$(basename "$repo")-$(printf '%s' "$repo" | cksum | cut -d' ' -f1)}"
run="/srv/neptune/$id"   # inside the chroot
host_run="$root$run"
timeout="${NEPTUNE_SERVICES_TIMEOUT:-90}"

say() { echo "services: $*" >&2; }
die() { say "$*"; exit 1; }

# ---------------------------------------------------------------- the chroot

host_mirror() {
  local codename
  codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
  {
    # one-line style: deb [options] URI suite components
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
      sed -E 's/\[[^]]*\]//' | awk -v s="$codename" '$1 == "deb" && $3 == s { print $2 }'
    # deb822 style: paragraphs with URIs: and Suites:
    cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
      awk -v s="$codename" 'BEGIN { RS = "" } {
        uri = ""; hit = 0
        n = split($0, lines, "\n")
        for (j = 1; j <= n; j++) {
          if (lines[j] ~ /^URIs:/) { split(lines[j], f, /[ \t]+/); uri = f[2] }
          if (lines[j] ~ /^Suites:/) { m = split(lines[j], f, /[ \t]+/); for (k = 2; k <= m; k++) if (f[k] == s) hit = 1 }
        }
        if (hit && uri != "") print uri
      }'
  } | head -n 1
}

ensure_debootstrap() {
  command -v debootstrap >/dev/null 2>&1 && return
  command -v apt-get >/dev/null 2>&1 || die "debootstrap is missing and there is no apt-get to install it"
  say "installing debootstrap"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap; } >&2
}

# Builds the chroot into a temp dir and renames it into place, so an interrupted build is never
# taken for a finished one; the stamp inside says which packages it holds.
ensure_chroot() {
  [ -f "$root/.neptune-stamp" ] && [ "$(cat "$root/.neptune-stamp")" = "$STAMP" ] && return
  mkdir -p "$cache"
  exec 8>"$cache/.build.lock"
  flock 8
  if [ -f "$root/.neptune-stamp" ] && [ "$(cat "$root/.neptune-stamp")" = "$STAMP" ]; then
    flock -u 8
    return
  fi
  ensure_debootstrap
  rm -rf "$cache/$SUITE".tmp.*
  local tmp="$cache/$SUITE.tmp.$$" mirror="${NEPTUNE_DEBIAN_MIRROR:-$(host_mirror)}" started=$SECONDS
  mirror="${mirror:-http://deb.debian.org/debian}"
  say "building the $SUITE chroot in $root from $mirror (a few minutes, once)"
  debootstrap --variant=minbase "$SUITE" "$tmp" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
    { tail -n 30 "$cache/debootstrap.log" >&2; die "debootstrap failed (full log: $cache/debootstrap.log)"; }
  # No service starts while packages install; postgresql-common makes no default cluster;
  # dpkg skips docs and fsyncs (a cache, rebuilt if lost).
  printf '#!/bin/sh\nexit 101\n' >"$tmp/usr/sbin/policy-rc.d"
  chmod +x "$tmp/usr/sbin/policy-rc.d"
  mkdir -p "$tmp/etc/postgresql-common/createcluster.d"
  echo 'create_main_cluster = false' >"$tmp/etc/postgresql-common/createcluster.d/neptune.conf"
  cat >"$tmp/etc/dpkg/dpkg.cfg.d/neptune" <<'EOF'
force-unsafe-io
path-exclude=/usr/share/doc/*
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
EOF
  echo 'APT::Install-Recommends "false";' >"$tmp/etc/apt/apt.conf.d/99neptune"
  # shellcheck disable=SC2086
  chroot "$tmp" /usr/bin/env -i PATH=$CHROOT_PATH LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q $PACKAGES >"$cache/apt.log" 2>&1 ||
    { tail -n 30 "$cache/apt.log" >&2; die "installing $PACKAGES into the chroot failed (full log: $cache/apt.log)"; }
  chroot "$tmp" apt-get clean
  rm -rf "$tmp"/var/lib/apt/lists/*
  echo "$STAMP" >"$tmp/.neptune-stamp"
  if [ -e "$root" ]; then
    mv "$root" "$cache/$SUITE.old.$$"
  fi
  mv "$tmp" "$root"
  rm -rf "$cache/$SUITE.old.$$"
  say "chroot ready in $((SECONDS - started))s"
  flock -u 8
}

# ---------------------------------------------------------------- running things in it

# Runs a command in the chroot as one of its users (names resolved inside the chroot, not on the host).
# The lock files stay behind: a server that kept them open would hold the lock for as long as it runs.
as() {
  local user="$1"
  shift
  chroot --userspec="$(chroot "$root" id -u "$user"):$(chroot "$root" id -g "$user")" "$root" \
    /usr/bin/env -i PATH="$CHROOT_PATH" LANG=C.UTF-8 HOME=/tmp "$@" 8>&- 9>&-
}

alive() { # pid: running and not a zombie
  [ -n "${1:-}" ] && [ -r "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() { # first free port from $1
  local p="$1"
  while port_in_use "$p"; do p=$((p + 1)); done
  echo "$p"
}

random_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }  # $1 random bytes as hex

pg_ready() { as postgres "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2; }

s3_ready() { as ceph curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$S3_PORT/"; }

# Signed S3 request with the instance's keys (radosgw wants the payload hash header).
s3() {
  as ceph curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' \
    --aws-sigv4 'aws:amz:us-east-1:s3' --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" "$@"
}

wait_for() { # name check log
  local deadline=$((SECONDS + timeout))
  until "$2"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      say "$1 did not answer within ${timeout}s; the end of its log ($3):"
      tail -n 40 "$3" >&2 || true
      return 1
    fi
    sleep 0.5
  done
}

load_state() { [ -f "$host_run/state" ] && . "$host_run/state"; }

print_exports() {
  cat <<EOF
export PGHOST=127.0.0.1 PGPORT=$PG_PORT PGUSER=postgres PGPASSWORD=$PG_PASSWORD PGDATABASE=neptune
export Neptune__Database__ConnectionString='Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=$PG_PASSWORD;Database=neptune'
export S3_ENDPOINT=http://127.0.0.1:$S3_PORT S3_ACCESS_KEY=$S3_ACCESS_KEY S3_SECRET_KEY=$S3_SECRET_KEY S3_BUCKET=$S3_BUCKET
EOF
}

start_postgres() {
  mkdir -p "$host_run/pg"
  chroot "$root" chown postgres:postgres "$run/pg"
  printf '%s\n' "$PG_PASSWORD" >"$host_run/pg/pwfile"
  chroot "$root" chown postgres:postgres "$run/pg/pwfile"
  as postgres "$PG_BIN/initdb" -D "$run/pg/data" -U postgres --pwfile="$run/pg/pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$host_run/pg/initdb.log" 2>&1 ||
    { tail -n 20 "$host_run/pg/initdb.log" >&2; return 1; }
  rm -f "$host_run/pg/pwfile"
  # Test server: loopback only, no durability (fsync off) for speed, room for pooled test connections.
  cat >>"$host_run/pg/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$run/pg'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  as postgres "$PG_BIN/pg_ctl" -D "$run/pg/data" -l "$run/pg/postgres.log" -s start >/dev/null ||
    { tail -n 20 "$host_run/pg/postgres.log" >&2; return 1; }
  wait_for PostgreSQL pg_ready "$host_run/pg/postgres.log"
  as postgres "$PG_BIN/psql" -q -h "$run/pg" -p "$PG_PORT" -U postgres -d postgres -c 'CREATE DATABASE neptune' >/dev/null
}

start_s3() {
  mkdir -p "$host_run/s3/db"
  cat >"$host_run/s3/ceph.conf" <<EOF
[global]
fsid = 6e6b1d52-0c1f-4c39-9a5e-6e6570747565
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
log_file = $run/s3/radosgw.log
log_to_stderr = false
admin_socket = $run/s3/\$name.asok
run_dir = $run/s3
[client]
rgw_backend_store = dbstore
rgw_config_store = dbstore
dbstore_db_dir = $run/s3/db
dbstore_config_uri = file://$run/s3/db/config.db
rgw_frontends = beast endpoint=127.0.0.1:$S3_PORT
rgw_luarocks_location = $run/s3/luarocks
EOF
  chroot "$root" chown -R ceph:ceph "$run/s3"
  as ceph radosgw-admin -c "$run/s3/ceph.conf" -n client.rgw user create --uid neptune --display-name Neptune \
    --access-key "$S3_ACCESS_KEY" --secret "$S3_SECRET_KEY" >"$host_run/s3/user.log" 2>&1 ||
    { tail -n 20 "$host_run/s3/user.log" >&2; return 1; }
  as ceph radosgw -c "$run/s3/ceph.conf" -n client.rgw --pid-file "$run/s3/radosgw.pid" >"$host_run/s3/stdout.log" 2>&1 ||
    { cat "$host_run/s3/stdout.log" >&2; tail -n 20 "$host_run/s3/radosgw.log" >&2 || true; return 1; }
  wait_for 'S3 (radosgw)' s3_ready "$host_run/s3/radosgw.log"
  local code
  code="$(s3 -X PUT "http://127.0.0.1:$S3_PORT/$S3_BUCKET")"
  [ "$code" = 200 ] || { say "creating bucket $S3_BUCKET answered HTTP $code"; return 1; }
}

stop_all() {
  if [ -f "$host_run/pg/data/postmaster.pid" ] && alive "$(head -n 1 "$host_run/pg/data/postmaster.pid")"; then
    as postgres "$PG_BIN/pg_ctl" -D "$run/pg/data" -m fast -w -t 60 -s stop >&2 || true
  fi
  local pid
  pid="$(cat "$host_run/s3/radosgw.pid" 2>/dev/null || true)"
  if alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do alive "$pid" || break; sleep 0.25; done
    if alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
  fi
}

# ---------------------------------------------------------------- verbs

running() { load_state && pg_ready 2>/dev/null && s3_ready 2>/dev/null; }

up() {
  [ "$(id -u)" = 0 ] || die "needs root (debootstrap and chroot); run it as root, or skip the server suites"
  ensure_chroot
  mkdir -p "$root/srv/neptune"
  exec 9>"$root/srv/neptune/$id.lock"
  flock 9
  if running; then
    say "already running (PostgreSQL on $PG_PORT, S3 on $S3_PORT)"
    print_exports
    return
  fi
  stop_all
  rm -rf "$host_run"
  mkdir -p "$host_run"
  local started=$SECONDS
  if [ -n "${NEPTUNE_PG_PORT:-}" ]; then
    PG_PORT="$NEPTUNE_PG_PORT"
    ! port_in_use "$PG_PORT" || die "NEPTUNE_PG_PORT=$PG_PORT is taken"
  else
    PG_PORT="$(free_port 55432)"
  fi
  if [ -n "${NEPTUNE_S3_PORT:-}" ]; then
    S3_PORT="$NEPTUNE_S3_PORT"
    ! port_in_use "$S3_PORT" || die "NEPTUNE_S3_PORT=$S3_PORT is taken"
  else
    S3_PORT="$(free_port 57480)"
    [ "$S3_PORT" != "$PG_PORT" ] || S3_PORT="$(free_port $((PG_PORT + 1)))"
  fi
  PG_PASSWORD="$(random_hex 16)"
  S3_ACCESS_KEY="NEPTUNE$(random_hex 7 | tr '[:lower:]' '[:upper:]')"
  S3_SECRET_KEY="$(random_hex 20)"
  S3_BUCKET=neptune
  # A failure anywhere below stops what did start (set -e exits through this trap).
  trap 'stop_all; say "could not start the servers; their files are in $host_run"' EXIT
  start_postgres
  start_s3
  trap - EXIT
  cat >"$host_run/state" <<EOF
PG_PORT=$PG_PORT
PG_PASSWORD=$PG_PASSWORD
S3_PORT=$S3_PORT
S3_ACCESS_KEY=$S3_ACCESS_KEY
S3_SECRET_KEY=$S3_SECRET_KEY
S3_BUCKET=$S3_BUCKET
EOF
  say "PostgreSQL 17 on 127.0.0.1:$PG_PORT and S3 on 127.0.0.1:$S3_PORT, up in $((SECONDS - started))s ($host_run)"
  print_exports
}

down() {
  [ -d "$host_run" ] || { say "nothing to stop"; return; }
  exec 9>"$root/srv/neptune/$id.lock"
  flock 9
  stop_all
  rm -rf "$host_run"
  say "stopped"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  env) running || die "not running: scripts/services.sh up"; print_exports ;;
  status)
    if running; then say "running: PostgreSQL on 127.0.0.1:$PG_PORT, S3 on 127.0.0.1:$S3_PORT ($host_run)"; else say "not running"; exit 1; fi ;;
  *) echo "usage: $0 up|down|env|status" >&2; exit 2 ;;
esac
