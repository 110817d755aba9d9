#!/usr/bin/env bash
# Builds examples/hello-oci/: a small OCI image layout (tag `latest`) made of
# real Debian bookworm packages, for the README's quick start and for tests
# that want a real image without a network.
#
#   bash examples/build-example.sh            # download the .debs with apt-get, build
#   DEBS=path/to/debs bash examples/build-example.sh   # rebuild offline from saved .debs
#
# Needs: apt-get (for `apt-get download`, run on a Debian/Ubuntu host with
# bookworm in its sources), dpkg-deb, md5sum, cargo. Writes nothing outside
# examples/hello-oci/ and a temporary directory.
#
# Layers:
#   0  base-files + netbase, /etc/passwd, /etc/group, /etc/shadow and a dpkg
#      status database listing both packages
#   1  busybox-static, applet symlinks, the status database rewritten to add it
#   2  the app (/app/run.sh, /app/www), an `app` user, and whiteouts deleting
#      the Debian changelogs that layers 0 and 1 installed (still in the image,
#      "removed by later layers")
#
# Reproducible: the same .deb files give a byte-identical layout (testkit
# fixes mtimes, ownership and `created`; entries are sorted).
set -euo pipefail
umask 022
export LC_ALL=C

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
out=examples/hello-oci
packages=(base-files netbase busybox-static)

for tool in dpkg-deb md5sum cargo; do
    command -v "$tool" >/dev/null || { echo "build-example: \`$tool\` is needed" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- the packages -----------------------------------------------------------
debs=$work/debs
mkdir -p "$debs"
if [[ -n ${DEBS:-} ]]; then
    for p in "${packages[@]}"; do
        found=("$DEBS"/"${p}"_*.deb)
        [[ -e ${found[0]} ]] || { echo "build-example: no ${p}_*.deb in $DEBS" >&2; exit 1; }
        cp "${found[0]}" "$debs/"
    done
else
    command -v apt-get >/dev/null || { echo "build-example: apt-get is needed (or set DEBS=dir with saved .debs)" >&2; exit 1; }
    echo "build-example: apt-get download ${packages[*]}"
    (cd "$debs" && apt-get download -q "${packages[@]}")
fi
deb_of() { local f=("$debs"/"$1"_*.deb); [[ -e ${f[0]} ]] || { echo "build-example: ${1}_*.deb missing" >&2; exit 1; }; echo "${f[0]}"; }
for p in "${packages[@]}"; do
    echo "build-example: $(dpkg-deb -f "$(deb_of "$p")" Package Version | paste -sd' ' | sed 's/Package: //; s/ Version: / /')"
done

# --- dpkg database helpers --------------------------------------------------
# One status paragraph, as dpkg writes it after an install: Package, Status,
# the control fields, Conffiles (with the md5 of the installed file) before
# Description.
status_entry() { # deb root
    local deb=$1 root=$2 ctrl
    ctrl=$(mktemp -d -p "$work")
    dpkg-deb -e "$deb" "$ctrl"
    local conffiles=""
    if [[ -s $ctrl/conffiles ]]; then
        conffiles="Conffiles:"
        while read -r f; do
            [[ -n $f ]] || continue
            conffiles+=$'\n'" $f $(md5sum <"$root$f" | cut -d' ' -f1)"
        done <"$ctrl/conffiles"
    fi
    awk -v conffiles="$conffiles" '
        /^Package:/ { print; print "Status: install ok installed"; next }
        /^Description:/ && conffiles != "" { print conffiles }
        { print }' "$ctrl/control"
    echo
}
# /var/lib/dpkg/info/PKG.list and .md5sums (+ .conffiles) for one package.
info_files() { # deb dest-root
    local deb=$1 dest=$2 pkg ctrl
    pkg=$(dpkg-deb -f "$deb" Package)
    ctrl=$(mktemp -d -p "$work")
    dpkg-deb -e "$deb" "$ctrl"
    mkdir -p "$dest/var/lib/dpkg/info"
    dpkg-deb --fsys-tarfile "$deb" | tar -t | sed -e 's|^\./$|/.|' -e 's|^\./|/|' -e 's|/$||' >"$dest/var/lib/dpkg/info/$pkg.list"
    cp "$ctrl/md5sums" "$dest/var/lib/dpkg/info/$pkg.md5sums"
    [[ ! -s $ctrl/conffiles ]] || cp "$ctrl/conffiles" "$dest/var/lib/dpkg/info/$pkg.conffiles"
}

# --- layer 0: base ----------------------------------------------------------
base=$work/layer0
mkdir -p "$base"
for p in base-files netbase; do dpkg-deb -x "$(deb_of "$p")" "$base"; done
# What base-files' postinst does on first install.
install -m 644 "$base/usr/share/base-files/motd" "$base/etc/motd"
install -m 644 "$base/usr/share/base-files/profile" "$base/etc/profile"
install -m 644 "$base/usr/share/base-files/dot.profile" "$base/root/.profile"
cat >"$base/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF
cat >"$base/etc/group" <<'EOF'
root:x:0:
daemon:x:1:
nogroup:x:65534:
EOF
cat >"$base/etc/shadow" <<'EOF'
root:*:19000:0:99999:7:::
daemon:*:19000:0:99999:7:::
nobody:*:19000:0:99999:7:::
EOF
chmod 640 "$base/etc/shadow"
for p in base-files netbase; do
    status_entry "$(deb_of "$p")" "$base"
    info_files "$(deb_of "$p")" "$base"
done >"$work/status0"
mkdir -p "$base/var/lib/dpkg"
cp "$work/status0" "$base/var/lib/dpkg/status"

# --- layer 1: busybox -------------------------------------------------------
bb=$work/layer1
mkdir -p "$bb"
dpkg-deb -x "$(deb_of busybox-static)" "$bb"
for applet in sh cat id ls ps wget; do ln -s busybox "$bb/bin/$applet"; done
mkdir -p "$bb/usr/sbin"
ln -s ../../bin/busybox "$bb/usr/sbin/nologin"
info_files "$(deb_of busybox-static)" "$bb"
{ cat "$work/status0"; status_entry "$(deb_of busybox-static)" "$bb"; } >"$bb/var/lib/dpkg/status"

# --- layer 2: the app ---------------------------------------------------------
app=$work/layer2
mkdir -p "$app/app/www" "$app/etc"
cat >"$app/app/run.sh" <<'EOF'
#!/bin/sh
# hello-oci: serves /app/www with busybox httpd on the given port.
set -eu
port="${1:-8080}"
echo "hello-oci: listening on :$port"
exec /bin/busybox httpd -f -v -p "$port" -h /app/www
EOF
chmod 755 "$app/app/run.sh"
cat >"$app/app/www/index.html" <<'EOF'
<!doctype html>
<title>hello-oci</title>
<p>Hello from drydock's example image.</p>
EOF
{ cat "$base/etc/passwd"; echo 'app:x:1000:1000::/app:/usr/sbin/nologin'; } >"$app/etc/passwd"
{ cat "$base/etc/group"; echo 'app:x:1000:'; } >"$app/etc/group"
{ cat "$base/etc/shadow"; echo 'app:!:19000:0:99999:7:::'; } >"$app/etc/shadow"
chmod 640 "$app/etc/shadow"
# `rm -f /usr/share/doc/*/changelog*`: whiteouts for what layers 0 and 1 put there.
whiteouts=()
for root in "$base" "$bb"; do
    while read -r f; do whiteouts+=(--whiteout "2:${f#"$root"/}"); done < <(find "$root/usr/share/doc" -name 'changelog*' -type f | sort)
done

# --- config and history -----------------------------------------------------
cat >"$work/config.json" <<'EOF'
{
  "User": "app",
  "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
  "Entrypoint": ["/app/run.sh"],
  "Cmd": ["8080"],
  "WorkingDir": "/app",
  "ExposedPorts": {"8080/tcp": {}},
  "Healthcheck": {
    "Test": ["CMD", "/bin/busybox", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"],
    "Interval": 30000000000,
    "Timeout": 3000000000,
    "StartPeriod": 5000000000,
    "Retries": 3
  },
  "Labels": {
    "org.opencontainers.image.title": "hello-oci",
    "org.opencontainers.image.description": "drydock's example image: Debian base-files, netbase and busybox-static with a tiny web app",
    "org.opencontainers.image.licenses": "Apache-2.0 AND GPL-2.0-only AND GPL-2.0-or-later"
  },
  "StopSignal": "SIGTERM"
}
EOF

echo "build-example: packing $out"
cargo run -q --release -p drydock-testkit --bin pack-image -- \
    --out "$out" --tag latest --force --config "$work/config.json" \
    --layer "$base::ADD debian-bookworm-base.tar / # buildkit" \
    --empty-history '1:CMD ["sh"]' \
    --layer "$bb::RUN /bin/sh -c dpkg --install /tmp/busybox-static.deb && for a in sh cat id ls ps wget; do ln -s busybox /bin/\$a; done && ln -s ../../bin/busybox /usr/sbin/nologin # buildkit" \
    --empty-history '2:ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --empty-history '2:LABEL org.opencontainers.image.title=hello-oci org.opencontainers.image.licenses=Apache-2.0 AND GPL-2.0-only AND GPL-2.0-or-later' \
    --layer "$app::RUN --mount=type=bind,source=app,target=/src /bin/sh -c cp -r /src/. /app/ && echo app:x:1000:1000::/app:/usr/sbin/nologin >> /etc/passwd && rm -f /usr/share/doc/*/changelog* # buildkit" \
    "${whiteouts[@]}" \
    --empty-history '3:WORKDIR /app' \
    --empty-history '3:USER app' \
    --empty-history '3:EXPOSE map[8080/tcp:{}]' \
    --empty-history '3:HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 CMD ["/bin/busybox", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"]' \
    --empty-history '3:ENTRYPOINT ["/app/run.sh"]' \
    --empty-history '3:CMD ["8080"]' \
    --empty-history '3:STOPSIGNAL SIGTERM'
du -sh "$out" | sed 's/^/build-example: /'
