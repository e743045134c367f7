#!/usr/bin/env bash
# Schema-driven fuzzing of the JSON API: schemathesis (from PyPI) with every check, against a live
# server on a fresh SQLite database holding the shipped data. Any failure not listed in
# tools/schemathesis-baseline.json (the known ones still to fix) fails the run.
#
# Usage: tools/api-fuzz.sh [SVATLAS_BINARY] [MAX_EXAMPLES]
#   defaults: target/debug/svatlas, 25 examples per operation and phase.
# SVATLAS_FUZZ_PATHS narrows the run to the paths a regular expression matches (say
# '^/api/v1/projects'); SVATLAS_FUZZ_SEED picks another seed (the default is fixed so a run can be repeated);
# SVATLAS_FUZZ_UPDATE=1 adds this run's failures to the baseline (only to record known ones).
set -euo pipefail
cd "$(dirname "$0")/.."

bin="${1:-target/debug/svatlas}"
examples="${2:-25}"
seed="${SVATLAS_FUZZ_SEED:-20261207}"
port="${SVATLAS_FUZZ_PORT:-18321}"
venv="${SVATLAS_FUZZ_VENV:-target/schemathesis}"
version="4.32.5"

if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$version"; then
  echo "installing schemathesis $version from PyPI into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "schemathesis==$version"
fi

work="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

export DATABASE_URL="sqlite://$work/fuzz.db"
export SVATLAS_DATA_DIR="$PWD/data"
# An admin of a buyer organisation, so operations behind a token are reached.
head -c 24 /dev/urandom | base64 | "$bin" user add --email fuzz@example.org --name "API fuzz" \
  --org "Fuzz Council" --role admin >/dev/null
SVATLAS_FUZZ_TOKEN="$("$bin" token create --email fuzz@example.org --name fuzz 2>/dev/null)"
export SVATLAS_FUZZ_TOKEN

"$bin" serve --bind "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
base="http://127.0.0.1:$port"
# Ready when area data answers (the first start imports the shipped data).
for _ in $(seq 1 300); do
  if curl -sf "$base/api/v1/areas/E06000026" >/dev/null; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then cat "$work/server.log"; echo "server exited"; exit 1; fi
  sleep 1
done

status=0
update=()
if [ "${SVATLAS_FUZZ_UPDATE:-0}" = 1 ]; then update=(--baseline-update); fi
# One worker: with several threads CPython 3.11's ast module can fail inside hypothesis
# ("AST constructor recursion depth mismatch"), which is the fuzzer's error, not the API's.
"$venv/bin/schemathesis" --config-file tools/schemathesis.toml run "$base/api/v1/openapi.json" \
  --checks all --include-path-regex "${SVATLAS_FUZZ_PATHS:-^/api/}" --max-examples "$examples" --seed "$seed" \
  --workers 1 --baseline tools/schemathesis-baseline.json "${update[@]}" || status=$?

if grep -q "panicked" "$work/server.log"; then
  grep -B2 -A8 "panicked" "$work/server.log"
  echo "the server panicked during the fuzz run"
  status=1
fi
exit "$status"
