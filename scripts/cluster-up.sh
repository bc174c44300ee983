#!/usr/bin/env bash
# A local ClinicChat cluster on loopback: a throwaway PostgreSQL, two silos, two web nodes (Orleans
# clients) and nginx in front as the load balancer. Everything lives in one folder; cluster-down.sh
# stops it and deletes the folder. Open http://127.0.0.1:${CLINICCHAT_LB_PORT:-8080} when it says ready.
#
#   bash scripts/cluster-up.sh      # then: bash scripts/cluster-down.sh
#
# Needs PostgreSQL 15 server binaries (/usr/lib/postgresql/15/bin) and nginx (apt-get install -y nginx).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
state="${CLINICCHAT_CLUSTER_DIR:-/tmp/clinicchat-cluster}"
pg_port="${CLINICCHAT_PG_PORT:-55433}"
lb_port="${CLINICCHAT_LB_PORT:-8080}"
web_ports=(5081 5082)
silo_ports=(11111 11112)
gateway_ports=(30000 30001)
pg_bin="${PG_BIN:-/usr/lib/postgresql/15/bin}"

if [[ -e "$state/pids" ]]; then
  echo "A cluster is already running from $state; run scripts/cluster-down.sh first." >&2
  exit 1
fi
command -v nginx >/dev/null || { echo "nginx is missing: apt-get install -y nginx" >&2; exit 1; }
[[ -x "$pg_bin/initdb" ]] || { echo "PostgreSQL server binaries are missing in $pg_bin" >&2; exit 1; }

mkdir -p "$state/logs"
: > "$state/pids"

echo "Building…"
dotnet build "$root/src/Web" -v quiet -nologo >"$state/logs/build.log"
web_dll="$root/src/Web/bin/Debug/net10.0/ClinicChat.Web.dll"
silo_dll="$root/src/Web/bin/Debug/net10.0/ClinicChat.Silo.dll"

# PostgreSQL refuses to run as root; the Debian package's 'postgres' user owns the throwaway server.
run_pg() { if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
echo "Starting PostgreSQL on 127.0.0.1:$pg_port…"
mkdir -p "$state/pg"
[[ "$(id -u)" == 0 ]] && chown postgres "$state/pg"
run_pg "$pg_bin/initdb" -D "$state/pg/data" -U postgres --auth=trust -E UTF8 >"$state/logs/initdb.log"
run_pg "$pg_bin/pg_ctl" -D "$state/pg/data" -l "$state/pg/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $state/pg -c fsync=on -c synchronous_commit=on -c max_connections=300" start >/dev/null
echo "pg $state/pg/data" >> "$state/pids"
"$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres clinicchat
# Four processes share the server: each pool stays well under max_connections / 4.
connection="Host=127.0.0.1;Port=$pg_port;Database=clinicchat;Username=postgres;Maximum Pool Size=50"

export ClinicChat__Storage__Provider=PostgreSql
export ClinicChat__Storage__ConnectionString="$connection"
export ClinicChat__Orleans__ClusterId=clinicchat-local
export DOTNET_ENVIRONMENT=Development ASPNETCORE_ENVIRONMENT=Development

echo "Migrating the schema…"
dotnet "$silo_dll" migrate >"$state/logs/migrate.log" 2>&1

for i in 0 1; do
  ClinicChat__Storage__DataDirectory="$state/silo$i" \
  ClinicChat__Orleans__SiloPort="${silo_ports[$i]}" ClinicChat__Orleans__GatewayPort="${gateway_ports[$i]}" \
    nohup dotnet "$silo_dll" >"$state/logs/silo$i.log" 2>&1 &
  echo "proc $!" >> "$state/pids"
done

wait_ready() {
  for _ in $(seq 1 120); do
    if curl -fs "$1" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "Timed out waiting for $1 (see $state/logs)" >&2
  exit 1
}

# The first web node seeds the demo clinics (once per database); the second starts after it.
for i in 0 1; do
  ClinicChat__Hosting__Mode=Client ClinicChat__Seed__Demo=$([[ $i == 0 ]] && echo true || echo false) \
  ClinicChat__Proxy__KnownProxies__0=127.0.0.1 \
  ClinicChat__Storage__DataDirectory="$state/web$i" Urls="http://127.0.0.1:${web_ports[$i]}" \
    nohup dotnet "$web_dll" >"$state/logs/web$i.log" 2>&1 &
  echo "proc $!" >> "$state/pids"
  wait_ready "http://127.0.0.1:${web_ports[$i]}/readyz"
done

# The shipped configuration (deploy/nginx/clinicchat.conf.template): round robin for the API, one web
# node per SignalR connection for /hubs/.
servers="server 127.0.0.1:${web_ports[0]}; server 127.0.0.1:${web_ports[1]};"
sed -e "s|@STATE@|$state|g" -e "s|@PORT@|$lb_port|g" -e "s|@SERVERS@|$servers|g" \
  "$root/deploy/nginx/clinicchat.conf.template" > "$state/nginx.conf"
mkdir -p "$state/tmp"
nginx -c "$state/nginx.conf" -p "$state" -e "$state/logs/nginx-error.log"
echo "nginx $state/nginx.pid" >> "$state/pids"
wait_ready "http://127.0.0.1:$lb_port/readyz"

echo "Ready: http://127.0.0.1:$lb_port (web nodes ${web_ports[*]}, silos ${silo_ports[*]}, PostgreSQL $pg_port; logs in $state/logs)"
