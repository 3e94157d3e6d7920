# Shared set-up for scripts/run, scripts/test and the benchmarks. Source it; do not run it.
# shellcheck shell=bash

VIGIL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

log() { printf '[vigil] %s\n' "$*" >&2; }
die() { printf '[vigil] error: %s\n' "$*" >&2; exit 1; }

# Installs the Debian packages Vigil builds and runs with, when any is missing.
ensure_packages() {
  local wanted=(libpq-dev libprotobuf-c-dev zlib1g-dev pkg-config postgresql "$@")
  local missing=()
  for package in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing missing packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The bin folder of the newest installed PostgreSQL server.
pg_bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -x "$dir/initdb" ] || die "PostgreSQL server binaries not found under /usr/lib/postgresql"
  echo "$dir"
}

# A TCP port nothing listens on now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Runs a command as the owner of the cluster: PostgreSQL refuses to run as root.
as_pg_user() {
  if [ "$(id -u)" -eq 0 ]; then
    su postgres -s /bin/bash -c "$(printf '%q ' "$@")"
  else
    "$@"
  fi
}

# start_postgres DIR PORT: creates (if needed) and starts a cluster in DIR listening on
# 127.0.0.1:PORT with trust authentication for the superuser "vigil".
start_postgres() {
  local dir="$1" port="$2" bin
  bin=$(pg_bin_dir)
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_pg_user "$bin/initdb" -D "$dir/data" -U vigil --auth=trust --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  fi
  as_pg_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=${VIGIL_PG_FSYNC:-on} -c max_connections=200" start >/dev/null \
    || { tail -n 30 "$dir/postgres.log" >&2; die "PostgreSQL did not start"; }
}

# stop_postgres DIR
stop_postgres() {
  local dir="$1" bin
  bin=$(pg_bin_dir)
  [ -f "$dir/data/postmaster.pid" ] && as_pg_user "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

# create_database URL NAME: creates NAME through the admin URL unless it exists.
create_database() {
  local admin="$1" name="$2"
  if ! psql "$admin" -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
    psql "$admin" -qc "CREATE DATABASE \"$name\"" >/dev/null
  fi
}
