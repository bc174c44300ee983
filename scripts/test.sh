#!/usr/bin/env bash
# Runs every test: the .NET suites (rules, grains, web API and SignalR, real processes, browser)
# and the front end's Vitest suite. Needs the .NET 10 SDK, Node 20.19+, Debian's Chromium and Ghostscript,
# and PostgreSQL's server binaries (the cluster-mode tests start throwaway servers of their own).
set -euo pipefail
cd "$(dirname "$0")/.."

# Browser tests drive Debian's Chromium; PDF previews are rendered through Ghostscript.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v gs >/dev/null || missing+=(ghostscript)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
# The load-balancer tests run the shipped nginx configuration in front of two web nodes.
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing ${missing[*]} for the tests..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "The tests need: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

# Building src/Web also installs and builds the front end (npm ci, vite build).
dotnet build ClinicChat.sln
(cd src/Web/ClientApp && npx vitest run)
dotnet test ClinicChat.sln --no-build
# The benchmark harness in smoke size (about a minute): every scenario runs against a real server and
# what was acknowledged must be exactly what is stored. It checks the harness and the data, never timings.
dotnet run --no-build --project bench/ClinicChat.Bench -- --smoke --no-build
