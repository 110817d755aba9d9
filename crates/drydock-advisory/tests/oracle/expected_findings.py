#!/usr/bin/env python3
"""Independent oracle for the expected findings in tests/matching.rs.

Evaluates the shared OSV fixtures with the OSV range algorithm, using the
`packaging` library's PEP 440 ordering (an implementation independent of
drydock's). Go and Rust crate versions in these cases are plain x.y.z
releases, where PEP 440 and SemVer agree. Run by hand:

    python3 -m venv /tmp/oracle && /tmp/oracle/bin/pip install packaging pyyaml
    /tmp/oracle/bin/python tests/oracle/expected_findings.py ../../../shared/fixtures/osv
"""
import glob, json, sys
import yaml
from packaging.version import Version, InvalidVersion

root = sys.argv[1]

def v(s):
    if s in ("0", "0.0.0-0"):
        return Version("0")
    return Version(s)

def affected(entry, version):
    inst = v(version)
    if version in entry.get("versions", []):
        return True
    for r in entry.get("ranges", []):
        if r["type"] == "GIT":
            continue
        state = False
        evs = []
        for e in r["events"]:
            (k, val), = e.items()
            try:
                evs.append((v(val), k))
            except InvalidVersion:
                pass
        evs.sort(key=lambda x: (x[0], ["introduced", "last_affected", "fixed", "limit"].index(x[1])))
        for val, k in evs:
            if k == "introduced" and inst >= val: state = True
            elif k == "fixed" and inst >= val: state = False
            elif k == "last_affected" and inst > val: state = False
        if state:
            return True
    return False

def scan(files, loader, eco, wanted):
    out = {}
    for f in files:
        d = loader(f)
        if d.get("withdrawn"):
            continue
        for a in d.get("affected", []):
            p = a["package"]
            if p["ecosystem"] != eco:
                continue
            name = p["name"].lower().replace("_", "-")
            if name in wanted and affected(a, wanted[name]):
                out.setdefault(name, set()).add((d["id"], tuple(sorted(x for x in d.get("aliases", []) if x.startswith("CVE-")))))
    return out

def show(title, res):
    print(title)
    for name in sorted(res):
        for i in sorted(res[name]):
            print(f"  {name}: {i[0]} {' '.join(i[1])}")

pypi = {"pyspark": "3.0.0", "pillow": "10.0.0", "jinja2": "2.11.2", "six": "1.16.0"}
show("PyPI", scan(glob.glob(f"{root}/pypa/vulns/*/*.yaml"), lambda f: yaml.safe_load(open(f)), "PyPI", pypi))
crates = {"smallvec": "1.6.0", "time": "0.1.43", "itoa": "1.0.11", "semver": "1.0.23"}
show("crates", scan(glob.glob(f"{root}/rustsec/crates/*.json"), lambda f: json.load(open(f)), "crates" + ".io", crates))  # the OSV name of the Rust registry ecosystem
go = {"stdlib": "1.19.8"}
show("Go", scan(glob.glob(f"{root}/go/data/osv/*.json"), lambda f: json.load(open(f)), "Go", go))
