#!/usr/bin/env bash
# The layer-walk benchmark (see docs/performance.md).
#
#   bash bench/walk.sh            # everything: tools, build, rootfs, images, timings, RSS
#   REPACK=1 bash bench/walk.sh   # rebuild the benchmark images (after changing pack-image)
#   RUNS=20 bash bench/walk.sh    # more hyperfine runs (default 10 small, 5 big)
#   PERF=1 bash bench/walk.sh     # also a perf profile of the single-threaded walk
#
# What it measures: `drydock scan` of a real multi-layer image (a Debian
# bookworm `debootstrap --variant=minbase` root filesystem, split by
# top-level directory into 5 gzip layers), against `gzip -dc` of exactly the
# same layer blobs to /dev/null, on the same machine; then a "big" image (the
# same root filesystem copied under 8 prefixes: 40 layers) and an image of
# 400,000 empty files, for peak RSS.
#
# Needs root (debootstrap) and a Debian/Ubuntu host with bookworm in apt's
# sources: the mirror is read from /etc/apt/sources.list{,.d/*} at run time
# (or DEBIAN_MIRROR=URL). Missing tools (debootstrap, hyperfine, time) are
# installed with apt-get, and the script says so first. Everything it writes
# is under bench/out/ (gitignored).
set -euo pipefail
export LC_ALL=C
umask 022

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
out=bench/out
mkdir -p "$out"
say() { printf '\033[1mwalk.sh:\033[0m %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# --- tools ------------------------------------------------------------------
need_pkgs=()
command -v debootstrap >/dev/null || [[ -x /usr/sbin/debootstrap ]] || need_pkgs+=(debootstrap)
command -v hyperfine >/dev/null || need_pkgs+=(hyperfine)
[[ -x /usr/bin/time ]] || need_pkgs+=(time)
command -v gzip >/dev/null || need_pkgs+=(gzip)
if ((${#need_pkgs[@]})); then
    say "missing: ${need_pkgs[*]}; installing them with apt-get"
    sudo=()
    ((EUID == 0)) || sudo=(sudo)
    "${sudo[@]}" apt-get update -q
    "${sudo[@]}" apt-get install -y -q "${need_pkgs[@]}"
fi
command -v cargo >/dev/null || die "cargo is needed"
export PATH=$PATH:/usr/sbin:/sbin

# --- build ------------------------------------------------------------------
say "building drydock and pack-image (release)"
cargo build -q --release -p drydock -p drydock-testkit --bins
target_dir=${CARGO_TARGET_DIR:-target}
drydock=$target_dir/release/drydock
pack_image=$target_dir/release/pack-image
[[ -x $drydock && -x $pack_image ]] || die "built binaries not found under $target_dir/release"

# --- root filesystem (cached) -----------------------------------------------
rootfs=$out/rootfs
if [[ ! -e $out/rootfs.done ]]; then
    ((EUID == 0)) || die "debootstrap needs root: run as root (or with sudo)"
    # shellcheck source=bench/mirror.sh
    source bench/mirror.sh
    mirror=${DEBIAN_MIRROR:-$(debian_mirror bookworm)}
    [[ -n $mirror ]] || die "no bookworm mirror in apt's sources; set DEBIAN_MIRROR=URL"
    say "debootstrap --variant=minbase bookworm from $mirror (once; cached in $rootfs)"
    rm -rf "$rootfs" "$rootfs.tmp"
    debootstrap --variant=minbase bookworm "$rootfs.tmp" "$mirror" >"$out/debootstrap.log" 2>&1 ||
        die "debootstrap failed; see $out/debootstrap.log"
    # Slim it the way the official debian images are: no downloaded .debs,
    # no apt lists or package caches.
    rm -rf "$rootfs.tmp"/var/cache/apt/archives/*.deb "$rootfs.tmp"/var/cache/apt/*.bin "$rootfs.tmp"/var/lib/apt/lists/*
    mv "$rootfs.tmp" "$rootfs"
    touch "$out/rootfs.done"
fi

# --- images -----------------------------------------------------------------
# Layer k of copy c holds one slice of the root filesystem under `prefix`
# (hard links into the cached rootfs: staging costs no disk). Slices, by
# top-level directory: 0 everything but usr and var, 1 usr/lib*, 2 usr/share,
# 3 the rest of usr, 4 var.
slice_names=(base usr-lib usr-share usr-rest var)
stage_slice() { # slice dest-dir
    local slice=$1 dest=$2 e name
    mkdir -p "$dest"
    case $slice in
    0) for e in "$rootfs"/* "$rootfs"/.[!.]*; do
           [[ -e $e || -L $e ]] || continue
           name=${e##*/}
           [[ $name == usr || $name == var ]] || cp -al "$e" "$dest/"
       done ;;
    1) mkdir -p "$dest/usr"; for e in "$rootfs"/usr/lib*; do cp -al "$e" "$dest/usr/"; done ;;
    2) mkdir -p "$dest/usr"; cp -al "$rootfs/usr/share" "$dest/usr/" ;;
    3) mkdir -p "$dest/usr"; for e in "$rootfs"/usr/*; do
           name=${e##*/}
           [[ $name == lib* || $name == share ]] || cp -al "$e" "$dest/usr/"
       done ;;
    4) cp -al "$rootfs/var" "$dest/" ;;
    esac
}
build_image() { # name copies
    local name=$1 copies=$2 stage=$out/stage-$1 c k prefix dir args=()
    if [[ -e $out/$name/index.json && -z ${REPACK:-} ]]; then
        return
    fi
    say "packing $out/$name ($copies copies x ${#slice_names[@]} gzip layers)"
    rm -rf "$stage"
    for ((c = 1; c <= copies; c++)); do
        for k in "${!slice_names[@]}"; do
            dir=$stage/$c-$k
            if ((copies == 1)); then
                prefix=$dir
                args+=(--layer "$dir::ADD rootfs-${slice_names[k]}.tar / # buildkit")
            else
                prefix=$dir/copy$c
                args+=(--layer "$dir::COPY rootfs-${slice_names[k]}/ /copy$c/ # buildkit")
            fi
            stage_slice "$k" "$prefix"
        done
    done
    "$pack_image" --out "$out/$name" --tag bench --force "${args[@]}" >&2
    rm -rf "$stage"
}
build_image img-small 1
build_image img-big 8

# Memory follows the number of tar entries, not bytes: 4 layers of 100,000
# empty files each (in 100 directories per layer), for peak RSS only.
if [[ ! -e $out/img-files/index.json || -n ${REPACK:-} ]]; then
    say "packing $out/img-files (4 layers x 100000 empty files)"
    stage=$out/stage-files
    rm -rf "$stage"
    for l in 0 1 2 3; do
        mkdir -p "$stage/$l/files$l"
        (cd "$stage/$l/files$l" && seq 0 99 | sed 's/^/d/' | xargs mkdir &&
            awk 'BEGIN { for (i = 0; i < 100000; i++) printf "d%d/f%06d\n", i % 100, i }' | xargs touch)
    done
    "$pack_image" --out "$out/img-files" --tag bench --force \
        --layer "$stage/0" --layer "$stage/1" --layer "$stage/2" --layer "$stage/3" >&2
    rm -rf "$stage"
fi

# The layer blobs: every gzip blob in the layout (manifest and config are JSON).
blobs_of() {
    local b
    for b in "$out/$1"/blobs/sha256/*; do
        [[ $(head -c2 "$b" | od -An -tx1 | tr -d ' \n') == 1f8b ]] && echo "$b"
    done
    return 0
}

# --- measurements -----------------------------------------------------------
results=$out/results.md
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- crates 2>/dev/null || commit+=" (+ uncommitted changes)"
{
    echo "# walk.sh results"
    echo
    echo "- date: $(date -u +%Y-%m-%dT%H:%MZ)"
    echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM"
    echo "- kernel: $(uname -r)"
    echo "- gzip: $(gzip --version | head -n1)"
    if command -v pigz >/dev/null; then echo "- pigz: $(pigz --version 2>&1)"; fi
    echo "- drydock: $("$drydock" --version) at commit $commit"
    echo "- hyperfine: $(hyperfine --version)"
} >"$results"

for name in img-small img-big; do
    mapfile -t blobs < <(blobs_of "$name")
    report=$out/$name.json
    "$drydock" scan -q --format json "oci:$out/$name:bench" >"$report"
    compressed=$(cat "${blobs[@]}" | wc -c)
    uncompressed=$(awk -F': ' '/"uncompressed_size"/ {gsub(",", "", $2); s += $2} END {print s}' "$report")
    entries=$(awk -F': ' '/"entries"/ {gsub(",", "", $2); s += $2} END {print s}' "$report")
    runs=${RUNS:-$([[ $name == img-small ]] && echo 10 || echo 5)}
    say "$name: ${#blobs[@]} layers, $((compressed >> 20)) MiB gzip, $((uncompressed >> 20)) MiB tar, $entries entries; hyperfine ($runs runs)"
    # The blob list goes through a file so the commands hyperfine shows stay short.
    printf '%s\n' "${blobs[@]}" >"$out/$name.blobs"
    cmds=(
        -n "gzip -dc, blobs one after another"
        "bash -c 'while read -r b; do gzip -dc \"\$b\"; done <$out/$name.blobs >/dev/null'"
        -n "drydock scan, RAYON_NUM_THREADS=1"
        "bash -c 'RAYON_NUM_THREADS=1 $drydock scan -q --format json oci:$out/$name:bench >/dev/null'"
        -n "gzip -dc, $(nproc) blobs at a time (xargs -P$(nproc))"
        "bash -c 'xargs -P$(nproc) -n1 gzip -dc <$out/$name.blobs >/dev/null'"
        -n "drydock scan, default threads ($(nproc))"
        "bash -c '$drydock scan -q --format json oci:$out/$name:bench >/dev/null'"
    )
    # A stronger single-threaded baseline when it is installed (not required):
    # pigz inflates with zlib, which is faster than GNU gzip's own inflate.
    if command -v pigz >/dev/null; then
        cmds+=(-n "pigz -p1 -dc, blobs one after another" "bash -c 'while read -r b; do pigz -p1 -dc \"\$b\"; done <$out/$name.blobs >/dev/null'")
    fi
    hyperfine -N --warmup 1 --runs "$runs" --export-markdown "$out/$name.md" --export-json "$out/$name.hyperfine.json" "${cmds[@]}"
    rss() { # label command...
        local label=$1 kib
        shift
        kib=$(/usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {print $2}')
        echo "| $label | $((kib / 1024)) MiB |"
    }
    {
        echo
        echo "## $name"
        echo
        echo "${#blobs[@]} gzip layers, $compressed bytes compressed, $uncompressed bytes of tar, $entries tar entries."
        echo
        cat "$out/$name.md"
        echo
        echo "| peak RSS | |"
        echo "|---|---|"
        rss "drydock scan, RAYON_NUM_THREADS=1" env RAYON_NUM_THREADS=1 "$drydock" scan -q --format json "oci:$out/$name:bench"
        rss "drydock scan, default threads" "$drydock" scan -q --format json "oci:$out/$name:bench"
        rss "gzip -dc, largest blob" gzip -dc "$(ls -S "${blobs[@]}" | head -n1)"
    } >>"$results"
done

report=$out/img-files.json
"$drydock" scan -q --format json "oci:$out/img-files:bench" >"$report"
entries=$(awk -F': ' '/"entries"/ {gsub(",", "", $2); s += $2} END {print s}' "$report")
say "img-files: $entries entries; peak RSS"
{
    echo
    echo "## img-files"
    echo
    echo "4 gzip layers of empty files, $entries tar entries."
    echo
    echo "| peak RSS | |"
    echo "|---|---|"
    rss "drydock scan, RAYON_NUM_THREADS=1" env RAYON_NUM_THREADS=1 "$drydock" scan -q --format json "oci:$out/img-files:bench"
    rss "drydock scan, default threads" "$drydock" scan -q --format json "oci:$out/img-files:bench"
} >>"$results"

if [[ -n ${PERF:-} ]]; then
    command -v perf >/dev/null || die "PERF=1 needs perf (apt-get install linux-perf)"
    say "perf profile of the single-threaded walk of img-small"
    RAYON_NUM_THREADS=1 perf record -q -g -o "$out/perf.data" "$drydock" scan -q --format json "oci:$out/img-small:bench" >/dev/null
    perf report -i "$out/perf.data" --no-children --percent-limit 1 --stdio --sort dso,symbol 2>/dev/null | grep '%' | grep -v '^#' | sed 's/[ -]*$//' | head -n 30 >"$out/perf.txt"
    { echo; echo "## perf (img-small, RAYON_NUM_THREADS=1, self time)"; echo; echo '```'; cat "$out/perf.txt"; echo '```'; } >>"$results"
fi

say "done: $results"
cat "$results"
