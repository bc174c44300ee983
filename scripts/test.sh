#!/usr/bin/env bash
# Runs every test: the .NET suites (rules, grains, web API and SignalR, real processes, browser)
# and the front end's Vitest suite. Needs the .NET 10 SDK, Node 20.19+ and Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's Chromium for the browser tests..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "The browser tests need Chromium at /usr/bin/chromium: sudo apt-get install -y chromium" >&2
    exit 1
  fi
fi

# Building src/Web also installs and builds the front end (npm ci, vite build).
dotnet build ClinicChat.sln
(cd src/Web/ClientApp && npx vitest run)
dotnet test ClinicChat.sln --no-build
