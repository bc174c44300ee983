#!/usr/bin/env bash
# Stops the local cluster started by cluster-up.sh (web nodes and silos gracefully, then nginx and
# PostgreSQL) and deletes its folder.
set -uo pipefail

state="${CLINICCHAT_CLUSTER_DIR:-/tmp/clinicchat-cluster}"
pg_bin="${PG_BIN:-/usr/lib/postgresql/15/bin}"
[[ -e "$state/pids" ]] || { echo "No cluster in $state."; exit 0; }

# Web nodes first (they are listed last), then silos: SIGTERM lets silos hand their grains over.
tac "$state/pids" | while read -r kind what; do
  case "$kind" in
    proc) kill -TERM "$what" 2>/dev/null && timeout 30 tail --pid="$what" -f /dev/null ;;
    nginx) [[ -e "$what" ]] && kill -QUIT "$(cat "$what")" 2>/dev/null ;;
    pg) if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$pg_bin/pg_ctl" -D "$what" -m fast -w stop >/dev/null;
        else "$pg_bin/pg_ctl" -D "$what" -m fast -w stop >/dev/null; fi ;;
  esac
done
rm -rf "$state"
echo "Stopped and removed $state."
