#!/usr/bin/env bash
# Memory per concurrent upload: starts ClinicChat (embedded, fresh data folder), uploads N files of
# SIZE_MB at once, samples the server's resident memory while they stream, and fails when the peak
# grows by more than CEILING_MB over the idle process. Uploads must be streamed (no per-request
# buffer of the file), so the growth stays far below N × SIZE_MB.
#   usage: bench/attachments-memory.sh [N=8] [SIZE_MB=20] [CEILING_MB=150]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-8}; size_mb=${2:-20}; ceiling_mb=${3:-150}
port=5391; work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

dotnet build src/Web -v q -nologo >/dev/null
(cd src/Web && ASPNETCORE_ENVIRONMENT=Development Urls="http://127.0.0.1:$port" \
  ClinicChat__Storage__DataDirectory="$work/data" ClinicChat__Orleans__SiloPort=11391 ClinicChat__Orleans__GatewayPort=30391 \
  exec dotnet bin/Debug/net10.0/ClinicChat.Web.dll >"$work/server.log" 2>&1) &
pid=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.5; done

curl -sf -c "$work/cookies" -H "X-ClinicChat-Request: 1" -H 'content-type: application/json' \
  -d '{"email":"alice.clinician@northside.example","password":"Demo!2345"}' "http://127.0.0.1:$port/api/v1/auth/login" >/dev/null
patient=$(curl -sf -b "$work/cookies" "http://127.0.0.1:$port/api/v1/patients?query=ava%20anderson" | python3 -c 'import sys,json; print(json.load(sys.stdin)[0]["id"])')
thread=$(curl -sf -b "$work/cookies" -H "X-ClinicChat-Request: 1" -H 'content-type: application/json' -d "{\"patientId\":\"$patient\"}" \
  "http://127.0.0.1:$port/api/v1/conversations" | python3 -c 'import sys,json; print(json.load(sys.stdin)["id"])')
{ printf '%%PDF-1.4\n'; head -c $((size_mb * 1024 * 1024 - 9)) /dev/zero | tr '\0' 'x'; } > "$work/file.pdf"

rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status"; }
idle=$(rss); peak=$idle; uploads=()
for i in $(seq 1 "$n"); do
  curl -s -H "X-ClinicChat-Request: 1" -o /dev/null -w '%{http_code}\n' -b "$work/cookies" -F "file=@$work/file.pdf" \
    "http://127.0.0.1:$port/api/v1/conversations/$thread/attachments" >>"$work/codes" &
  uploads+=($!)
done
running() { for u in "${uploads[@]}"; do kill -0 "$u" 2>/dev/null && return 0; done; return 1; }
while running; do now=$(rss); [ "$now" -gt "$peak" ] && peak=$now; sleep 0.1; done
created=$(grep -c '^201$' "$work/codes" || true)

growth=$((peak - idle))
echo "| uploads | size | created | idle RSS | peak RSS | growth | ceiling |"
echo "|---|---|---|---|---|---|---|"
echo "| $n concurrent | ${size_mb} MB | $created | ${idle} MB | ${peak} MB | ${growth} MB | ${ceiling_mb} MB |"
[ "$created" -eq "$n" ] || { echo "only $created of $n uploads were stored" >&2; exit 1; }
[ "$growth" -le "$ceiling_mb" ] || { echo "memory grew by ${growth} MB, over the ${ceiling_mb} MB ceiling" >&2; exit 1; }
