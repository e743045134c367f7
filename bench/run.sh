#!/usr/bin/env bash
# Every figure in BENCHMARKS.md's area-data sections, in one run:
#   1. criterion benches of the area engine (svatlas-areas/benches/areas.rs);
#   2. the same district summaries and correlation in DuckDB (bench/duckdb_lad_summaries.py);
#   3. cold `svatlas data import` into a new SQLite file (/usr/bin/time -v);
#   4. server RSS with all data loaded (`svatlas serve`, VmRSS once it logs "listening").
# Usage: bench/run.sh            (from anywhere; CARGO_TARGET_DIR and PYTHON are honoured)
#        SKIP_BINARY=1 bench/run.sh   (only 1 and 2)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
export CARGO_TARGET_DIR=$TARGET
PYTHON=${PYTHON:-python3}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "== machine"
date -u +%Y-%m-%dT%H:%MZ
echo "nproc: $(nproc)"
lscpu | grep 'Model name' || true
rustc --version

echo "== 1. criterion: cargo bench -p svatlas-areas --bench areas"
cargo bench -p svatlas-areas --bench areas -- --warm-up-time 2 --measurement-time 5 2>&1 \
  | grep -E '^[a-z]|time:'

echo "== 2. DuckDB (same run)"
if ! "$PYTHON" -c 'import duckdb' 2>/dev/null; then
  "$PYTHON" -m venv "$WORK/venv" && "$WORK/venv/bin/pip" install -q duckdb
  PYTHON=$WORK/venv/bin/python
fi
"$PYTHON" bench/duckdb_lad_summaries.py --runs 30
"$PYTHON" bench/duckdb_lad_summaries.py --runs 30 --threads 1 \
  | "$PYTHON" -c 'import json,sys; d=json.load(sys.stdin); print("threads=1:", json.dumps({k: d[k]["median_ms"] for k in ("lad_summaries", "correlation_time")}))'

[ -n "${SKIP_BINARY:-}" ] && exit 0

echo "== 3. cold import: svatlas data import into a new SQLite file"
cargo build --release -p svatlas 2>&1 | tail -1
BIN=$TARGET/release/svatlas
DB=$WORK/cold.db
/usr/bin/time -v "$BIN" --database-url "sqlite://$DB" data import 2>"$WORK/import.time" >/dev/null
grep -E 'Elapsed \(wall clock\)|Maximum resident set size|User time|System time' "$WORK/import.time"
ls -l "$DB"

echo "== 4. server RSS with all data loaded"
"$BIN" --database-url "sqlite://$DB" serve --bind 127.0.0.1:0 2>"$WORK/serve.log" &
PID=$!
for _ in $(seq 1 600); do
  grep -q listening "$WORK/serve.log" && break
  sleep 0.1
done
grep -m1 listening "$WORK/serve.log" || { cat "$WORK/serve.log"; kill "$PID"; exit 1; }
echo "after start (all area data loaded):"
grep -E 'VmRSS|VmHWM' "/proc/$PID/status"
# Warm the lazily built caches: both editions' district summaries and one national correlation.
URL=$(grep -m1 -o 'http://[0-9.:]*' "$WORK/serve.log")
for path in "/api/v1/areas/E06000026/summary?edition=iod2019" "/api/v1/areas/E06000026/summary?edition=iod2025" \
  "/api/v1/correlation?x=iod2019.income.score&y=iod2019.employment.score"; do
  curl -s -o /dev/null -w "%{http_code} %{time_total}s $path\n" "$URL$path"
done
echo "after warming the summary and correlation caches:"
grep -E 'VmRSS|VmHWM' "/proc/$PID/status"
kill "$PID"
wait "$PID" 2>/dev/null || true
