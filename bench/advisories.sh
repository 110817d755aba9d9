#!/usr/bin/env bash
# Advisory database benchmark: import every OSV fixture feed (plus the KEV
# catalog) with `drydock db import`, report records/s and the database size,
# then time matching 1,000 packages against it (warm).
# Usage: bash bench/advisories.sh   (figures go in docs/performance.md)
set -euo pipefail
cd "$(dirname "$0")/.."
fixtures="$(cd ../shared/fixtures && pwd)"
out="bench/out/advisories"
rm -rf "$out" && mkdir -p "$out"
cargo build --release --locked -q -p drydock
cargo build --release --locked -q -p drydock-advisory --example bench_match
bin=target/release/drydock
db="$out/advisories.db"
echo "== import (cold: a new database; each input is one source)"
for run in 1 2 3; do
  rm -f "$db"
  /usr/bin/time -f "   wall %e s, peak RSS %M KiB" "$bin" db import --db "$db" \
    "$fixtures/osv/almalinux/advisories" "$fixtures/osv/go/data" "$fixtures/osv/pypa/vulns" \
    "$fixtures/osv/rustsec/crates" "$fixtures/osv/alpine-secdb" "$fixtures/osv/samples" \
    "$fixtures/osv/kev/known_exploited_vulnerabilities.json" 2>&1 | grep -E "records read|wall"
done
echo "== database size: $(du -h "$db" | cut -f1) ($(stat -c %s "$db") bytes)"
echo "== bundle"
/usr/bin/time -f "   export wall %e s" "$bin" db export --db "$db" "$out/bundle.tar.zst" >/dev/null
echo "   bundle size: $(du -h "$out/bundle.tar.zst" | cut -f1)"
rm -f "$out/far.db"
/usr/bin/time -f "   import wall %e s" "$bin" db import --db "$out/far.db" "$out/bundle.tar.zst" 2>&1 | grep -E "records read|wall"
echo "== match"
echo "   worst case, nearly every package vulnerable:"
target/release/examples/bench_match "$db" 1000 0.0.1
echo "   every package above every fix (only advisories with no fix match):"
target/release/examples/bench_match "$db" 1000 99999.0.0
