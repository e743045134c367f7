#!/usr/bin/env bash
# Load test of the explorer and the area JSON API with oha (crates.io), side by side with
# Datasette (PyPI) serving the same IoD2025 LSOA table through its row API, in the same run.
#   /areas/{code}          HTML area profile (Plymouth, and one LSOA)
#   /api/v1/areas/{code}   JSON (the same LSOA as Datasette's row)
#   Datasette /iod/iod2025_lsoa21/{code}.json   (immutable database, default settings)
# first as oha sends by default (it accepts gzip/br, like a browser), then with
# --disable-compression; oha runs on the same machine as the servers.
# Usage: bench/load.sh   (needs oha on PATH or OHA=/path/to/oha; installs Datasette into a venv)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
OHA=${OHA:-oha}
CONNECTIONS=${CONNECTIONS:-200}
DURATION=${DURATION:-10s}
LSOA=E01015023 # Plymouth 003A (LSOA 2021), present in both
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

echo "== machine"
date -u +%Y-%m-%dT%H:%MZ
echo "nproc: $(nproc)"
lscpu | grep 'Model name' || true
"$OHA" --version

echo "== build and start svatlas (release)"
cargo build --release -p svatlas 2>&1 | tail -1
"$CARGO_TARGET_DIR/release/svatlas" --database-url "sqlite://$WORK/svatlas.db" serve --bind 127.0.0.1:18080 \
  >"$WORK/svatlas.log" 2>&1 &
PIDS+=($!)

echo "== Datasette with the same table"
if [ -z "${DATASETTE:-}" ]; then
  python3 -m venv "$WORK/venv" && "$WORK/venv/bin/pip" install -q datasette sqlite-utils
  DATASETTE=$WORK/venv/bin/datasette
  SQLITE_UTILS=$WORK/venv/bin/sqlite-utils
else
  SQLITE_UTILS=${SQLITE_UTILS:-$(dirname "$DATASETTE")/sqlite-utils}
fi
"$DATASETTE" --version
gzip -dc data/iod2025_england_lsoa21/iod2025_lsoa21_combined.csv.gz >"$WORK/iod.csv"
"$SQLITE_UTILS" insert "$WORK/iod.db" iod2025_lsoa21 "$WORK/iod.csv" --csv --pk "LSOA code (2021)"
"$DATASETTE" serve -i "$WORK/iod.db" --port 18081 >"$WORK/datasette.log" 2>&1 &
PIDS+=($!)

wait_for() { for _ in $(seq 1 120); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.5; done; echo "no answer from $1"; exit 1; }
wait_for "http://127.0.0.1:18080/healthz"
wait_for "http://127.0.0.1:18081/iod/iod2025_lsoa21/$LSOA.json"
curl -fs "http://127.0.0.1:18081/iod/iod2025_lsoa21/$LSOA.json" | head -c 300; echo
curl -fs "http://127.0.0.1:18080/api/v1/areas/$LSOA" | head -c 300; echo

run() { # name url [oha options...]
  local name=$1 url=$2; shift 2
  local out="$WORK/$(echo "$name" | tr -c 'A-Za-z0-9' '_').json"
  # Warm up caches first, then measure.
  "$OHA" -n 2000 -c 50 --no-tui "$@" "$url" >/dev/null
  "$OHA" -z "$DURATION" -c "$CONNECTIONS" --no-tui --output-format json "$@" "$url" >"$out"
  python3 - "$name" "$out" <<'PY'
import json, sys
name, path = sys.argv[1], sys.argv[2]
d = json.load(open(path))
s, p = d["summary"], d["latencyPercentiles"]
codes = d.get("statusCodeDistribution", {})
print(f"{name:44s} rps={s['requestsPerSec']:9.0f}  p50={p['p50']*1000:6.2f} ms  "
      f"p99={p['p99']*1000:6.2f} ms  success={s['successRate']:.4f}  status={codes}")
PY
}

echo "== oha: $CONNECTIONS connections for $DURATION each"
run "svatlas /areas/E06000026 (HTML)" "http://127.0.0.1:18080/areas/E06000026"
run "svatlas /areas/$LSOA (HTML)" "http://127.0.0.1:18080/areas/$LSOA"
run "svatlas /api/v1/areas/E06000026" "http://127.0.0.1:18080/api/v1/areas/E06000026"
run "svatlas /api/v1/areas/$LSOA" "http://127.0.0.1:18080/api/v1/areas/$LSOA"
run "datasette row $LSOA.json" "http://127.0.0.1:18081/iod/iod2025_lsoa21/$LSOA.json"

echo "== the same with oha --disable-compression (no Accept-Encoding: full-size bodies)"
PLAIN=(--disable-compression)
run "svatlas /areas/E06000026 (HTML) plain" "http://127.0.0.1:18080/areas/E06000026" "${PLAIN[@]}"
run "svatlas /areas/$LSOA (HTML) plain" "http://127.0.0.1:18080/areas/$LSOA" "${PLAIN[@]}"
run "svatlas /api/v1/areas/E06000026 plain" "http://127.0.0.1:18080/api/v1/areas/E06000026" "${PLAIN[@]}"
run "svatlas /api/v1/areas/$LSOA plain" "http://127.0.0.1:18080/api/v1/areas/$LSOA" "${PLAIN[@]}"
run "datasette row $LSOA.json plain" "http://127.0.0.1:18081/iod/iod2025_lsoa21/$LSOA.json" "${PLAIN[@]}"
