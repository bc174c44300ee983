#!/usr/bin/env bash
# Measures what issue 15's file attacks cost the server: for each attack, a fresh ClinicChat (Development,
# demo data, own data folder and ports) is started from the given build, a patient uploads the file and
# asks for its preview (in parallel where the attack did), and the server's peak resident memory (VmHWM)
# is read from /proc before and after. Run it against an old and a new build to compare:
#   bash scripts/security/preview-attacks.sh src/Web/bin/Release/net10.0/ClinicChat.Web.dll
# Loopback only; every request loop is bounded.
set -euo pipefail
dll=$(readlink -f "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
hwm() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

python3 - "$work" <<'PY'
import sys, zlib, struct, zipfile
out = sys.argv[1]
def pdf(objs):
    b = b"%PDF-1.4\n"; offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(b)); b += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    x = len(b); b += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs: b += b"%010d 00000 n \n" % o
    return b + b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
open(f"{out}/page-bomb.pdf", "wb").write(pdf([b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
    b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 14400 14400]>>"]))
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
w = h = 10000
row = b"\0" * (1 + w * 8); c = zlib.compressobj(9); idat = b"".join(c.compress(row) for _ in range(h)) + c.flush()
open(f"{out}/pixel-bomb.png", "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 16, 6, 0, 0, 0)) + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
with zipfile.ZipFile(f"{out}/mimetype-bomb.odt", "w", zipfile.ZIP_DEFLATED) as z:
    with z.open("mimetype", "w", force_zip64=True) as m:
        block = b" " * (1 << 20)
        for _ in range(1200): m.write(block)
    z.writestr("content.xml", "<office:document-content/>")
PY

attack() { # name file preview-requests
  local name=$1 file=$2 previews=$3 port silo gateway data pid jar code conversation attachment before after
  port=$(free_port); silo=$(free_port); gateway=$(free_port); data="$work/data-$name"; jar="$work/cookies-$name"
  ASPNETCORE_ENVIRONMENT=Development ClinicChat__Storage__DataDirectory="$data" ClinicChat__Orleans__SiloPort=$silo \
    ClinicChat__Orleans__GatewayPort=$gateway ClinicChat__Metrics__Port=$(free_port) ClinicChat__RateLimits__Enabled=false \
    dotnet "$dll" --contentRoot "$(dirname "$dll")" --urls "http://127.0.0.1:$port" > "$work/server-$name.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.5; done
  curl -fs -c "$jar" -H 'content-type: application/json' -H 'X-ClinicChat-Request: 1' \
    -d '{"email":"pat.portal@example.com","password":"Demo!2345"}' "http://127.0.0.1:$port/api/v1/auth/login" >/dev/null
  conversation=$(curl -fs -b "$jar" "http://127.0.0.1:$port/api/v1/conversations" | python3 -c 'import sys,json; d=json.load(sys.stdin); print(d["threads"][0]["id"])')
  before=$(hwm $pid)
  local started=$(date +%s.%N)
  code=$(curl -s -o "$work/upload-$name.json" -w '%{http_code}' -b "$jar" -H 'X-ClinicChat-Request: 1' \
    -F "file=@$file" "http://127.0.0.1:$port/api/v1/conversations/$conversation/attachments")
  local previewed="-"
  if [ "$code" = 201 ] && [ "$previews" -gt 0 ]; then
    attachment=$(python3 -c 'import sys,json; print(json.load(open(sys.argv[1]))["attachmentId"])' "$work/upload-$name.json")
    for _ in $(seq 1 "$previews"); do
      curl -s -o /dev/null -w '%{http_code}\n' -b "$jar" "http://127.0.0.1:$port/api/v1/attachments/$attachment/preview" >> "$work/previews-$name" &
    done
    wait $(jobs -p | grep -v "^$pid$") 2>/dev/null || true
    previewed=$(sort "$work/previews-$name" | uniq -c | awk '{printf "%s×%s ", $1, $2}')
  fi
  local seconds=$(python3 -c "import time; print(f'{time.time() - $started:.1f}')")
  after=$(hwm $pid)
  printf '| %s | upload %s | previews %s| %s s | peak RSS %d → %d MB | RSS after %d MB |\n' \
    "$name" "$code" "$previewed" "$seconds" $((before / 1024)) $((after / 1024)) $(( $(rss $pid) / 1024 ))
  kill $pid; wait $pid 2>/dev/null || true
}

echo "| attack | upload | previews | wall | server peak RSS (before → after) | server RSS after |"
echo "|---|---|---|---|---|---|"
attack "PDF page 14400×14400 pt (×2 parallel previews)" "$work/page-bomb.pdf" 2
attack "PNG 10000×10000 16-bit (×6 parallel previews)" "$work/pixel-bomb.png" 6
attack "ODT with a 1.2 GB mimetype entry" "$work/mimetype-bomb.odt" 0
