//! Matches an inventory against the advisory database.
//!
//! Each package is looked up once by its [`PackageKey`] (distro + release +
//! source package for Debian/Ubuntu/Alpine, binary name for RPM distros,
//! normalized name for language packages) and its installed version is
//! evaluated against every stored range with the OSV algorithm, under the
//! ecosystem's own version ordering. A distro that backports a fix ships a
//! version at or above the distro's `fixed` event, so it does not match.
//!
//! Advisories for the same vulnerability (joined through ids and aliases)
//! become one finding per (vulnerability, package).

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

use drydock_core::package::Package;
use drydock_core::report::OsInfo;
use drydock_core::vulnerability::{AdvisoryRef, AffectedPackage, CvssInfo, EpssInfo, Finding, KevInfo, Severity};
use drydock_version::{Scheme, compare};

use crate::ecosystem::{Family, os_family, package_key};
use crate::model::{Advisory, Affected, Event, RangeKind, Score, ScoreKind};
use crate::store::{AdvisoryRow, Store, StoreError};

/// NVD's address in CVE API `metrics[].source`: its Primary v3 score is
/// the FedRAMP original risk rating.
const NVD_SOURCE: &str = "nvd@nist.gov";

/// Packages per parallel batch: below this, one thread does it all.
const PARALLEL_BATCH: usize = 128;

/// Finds the vulnerabilities of `packages`, most severe first.
///
/// Large inventories are matched in parallel batches, each on its own
/// read-only connection (a connection is single-threaded; opening one on
/// the immutable file costs microseconds).
pub fn match_packages(store: &Store, os: Option<&OsInfo>, packages: &[Package]) -> Result<Vec<Finding>, StoreError> {
    use rayon::prelude::*;
    let os = os.and_then(os_family);
    let path = store.path().to_owned();
    let mut findings = if packages.len() <= PARALLEL_BATCH {
        match_batch(store, os.as_ref(), packages)?
    } else {
        let batch = packages.len().div_ceil(rayon::current_num_threads().max(1)).max(PARALLEL_BATCH / 2);
        let parts: Vec<Vec<Finding>> = packages
            .par_chunks(batch)
            .map(|chunk| {
                let own = Store::open(&path)?;
                match_batch(&own, os.as_ref(), chunk)
            })
            .collect::<Result<_, _>>()?;
        parts.into_iter().flatten().collect()
    };
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.id.cmp(&b.id))
            .then_with(|| a.package.name.cmp(&b.package.name))
            .then_with(|| a.package.version.cmp(&b.package.version))
            .then_with(|| a.package.purl.cmp(&b.package.purl))
    });
    findings.dedup_by(|a, b| a.id == b.id && a.package.purl == b.package.purl);
    Ok(findings)
}

fn match_batch(store: &Store, os: Option<&(Family, String)>, packages: &[Package]) -> Result<Vec<Finding>, StoreError> {
    let mut advisories: HashMap<i64, Rc<AdvisoryRow>> = HashMap::new();
    let mut cache = Cache::default();
    let mut findings = Vec::new();
    for package in packages {
        let Some((key, version)) = package_key(package, os) else { continue };
        let rows = store.affected(&key)?;
        if rows.is_empty() {
            continue;
        }
        // Ubuntu Pro (ESM) entries apply only where the record has no
        // standard entry for the same release: a standard fix is the one a
        // non-Pro image can install.
        let standard: BTreeSet<i64> = rows.iter().filter(|r| !is_ubuntu_pro(&r.affected.ecosystem)).map(|r| r.advisory).collect();
        let mut matched: Vec<Matched> = Vec::new();
        for row in rows {
            if is_ubuntu_pro(&row.affected.ecosystem) && standard.contains(&row.advisory) {
                continue;
            }
            let Some(fixed) = affects(key.family, &row.affected, &version) else { continue };
            let adv = match advisories.get(&row.advisory) {
                Some(a) => a.clone(),
                None => {
                    let a = Rc::new(store.advisory(row.advisory)?);
                    advisories.insert(row.advisory, a.clone());
                    a
                }
            };
            // Per-package severity (Debian urgency, Ubuntu priority) travels with the match.
            matched.push(Matched { advisory: adv, fixed, severity: row.affected.severity });
        }
        for group in join_same_vulnerability(matched) {
            findings.push(build_finding(store, &mut cache, package, &key.name, &version, key.family, group)?);
        }
    }
    Ok(findings)
}

fn is_ubuntu_pro(ecosystem: &str) -> bool {
    let e = ecosystem.to_ascii_lowercase();
    e.starts_with("ubuntu:") && (e.contains(":pro:") || e.contains("ubuntu_pro"))
}

/// The OSV evaluation of one affected entry: `Some(fixed versions above
/// the installed one)` when `version` is affected, `None` when not.
pub fn affects(family: Family, affected: &Affected, version: &str) -> Option<Vec<String>> {
    let scheme = family.scheme();
    let mut hit = false;
    let mut fixed = Vec::new();
    let mut evaluable_ranges = false;
    for range in &affected.ranges {
        let scheme = match range.kind {
            RangeKind::Git => continue,
            RangeKind::Ecosystem => scheme,
            RangeKind::Semver if family == Family::Go => Scheme::Go,
            RangeKind::Semver => Scheme::Semver,
        };
        evaluable_ranges = true;
        if let Some(next_fix) = in_range(scheme, &range.events, version) {
            hit = true;
            fixed.extend(next_fix);
        }
    }
    // The explicit list: by exact string always; by the scheme's equality
    // (`1.0` = `1.0.0` in PEP 440) only when no range can decide. Feeds
    // that give both (PyPA, GHSA) enumerate the versions inside their
    // ranges, so the ranges already judged every equal spelling; skipping
    // hundreds of parses per entry halves matching time (measured).
    if !hit {
        hit = affected.versions.iter().any(|v| v == version)
            || (!evaluable_ranges && affected.versions.iter().any(|v| compare(scheme, v, version) == Ordering::Equal));
    }
    hit.then_some(fixed)
}

/// OSV range evaluation over events sorted by version: `Some(next fix)`
/// when `version` is inside.
fn in_range(scheme: Scheme, events: &[Event], version: &str) -> Option<Option<String>> {
    let value = |e: &Event| match e {
        Event::Introduced(v) | Event::Fixed(v) | Event::LastAffected(v) | Event::Limit(v) => v.clone(),
    };
    let rank = |e: &Event| match e {
        Event::Introduced(_) => 0,
        Event::LastAffected(_) => 1,
        Event::Fixed(_) => 2,
        Event::Limit(_) => 3,
    };
    let cmp_version = |a: &str, b: &str| -> Ordering {
        // "0" introduces from the very beginning, whatever the scheme.
        match (a == "0", b == "0") {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            _ => compare(scheme, a, b),
        }
    };
    let mut sorted: Vec<&Event> = events.iter().collect();
    sorted.sort_by(|a, b| cmp_version(&value(a), &value(b)).then(rank(a).cmp(&rank(b))));
    let mut affected = false;
    let mut limit_reached = false;
    for e in &sorted {
        let v = value(e);
        match e {
            Event::Introduced(_) if cmp_version(version, &v) != Ordering::Less => affected = true,
            Event::Fixed(_) if cmp_version(version, &v) != Ordering::Less => affected = false,
            Event::LastAffected(_) if cmp_version(version, &v) == Ordering::Greater => affected = false,
            Event::Limit(_) if cmp_version(version, &v) != Ordering::Less => limit_reached = true,
            _ => {}
        }
    }
    if !affected || limit_reached {
        return None;
    }
    // The first fix above the installed version is the one to move to.
    let next_fix = sorted.iter().find_map(|e| match e {
        Event::Fixed(v) if cmp_version(version, v) == Ordering::Less => Some(v.clone()),
        _ => None,
    });
    Some(next_fix)
}

/// The ids that name one advisory's vulnerability: its id, its aliases,
/// and — for distro errata that fix exactly one CVE — that CVE. An errata
/// fixing several CVEs stays one finding (its CVEs become aliases) rather
/// than being joined to each.
fn identity(adv: &Advisory) -> BTreeSet<String> {
    let mut ids: BTreeSet<String> = std::iter::once(adv.id.clone()).chain(adv.aliases.iter().cloned()).collect();
    let related_cves: Vec<&String> = adv.related.iter().filter(|r| r.starts_with("CVE-")).collect();
    if related_cves.len() == 1 && !ids.iter().any(|i| i.starts_with("CVE-")) {
        ids.insert(related_cves[0].clone());
    }
    ids
}

/// One matching advisory for a package: the record, the fixes above the
/// installed version, and the severity the entry gives this package.
struct Matched {
    advisory: Rc<AdvisoryRow>,
    fixed: Vec<String>,
    severity: Vec<Score>,
}

/// Groups matches whose identities overlap (a small union-find; groups
/// are tiny).
fn join_same_vulnerability(mut matched: Vec<Matched>) -> Vec<Vec<Matched>> {
    matched.sort_by(|a, b| {
        (a.advisory.source.as_str(), a.advisory.advisory.id.as_str()).cmp(&(b.advisory.source.as_str(), b.advisory.advisory.id.as_str()))
    });
    let ids: Vec<BTreeSet<String>> = matched.iter().map(|m| identity(&m.advisory.advisory)).collect();
    let mut parent: Vec<usize> = (0..matched.len()).collect();
    fn find(p: &mut [usize], i: usize) -> usize {
        let mut r = i;
        while p[r] != r {
            r = p[r];
        }
        p[i] = r;
        r
    }
    for i in 0..matched.len() {
        for j in (i + 1)..matched.len() {
            if !ids[i].is_disjoint(&ids[j]) {
                let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                if a != b {
                    parent[b.max(a)] = a.min(b);
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<Matched>> = BTreeMap::new();
    for (i, m) in matched.into_iter().enumerate() {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(m);
    }
    groups.into_values().collect()
}

/// Per-CVE facts and computed scores, looked up once per scan: a CVE in a
/// shared library shows up in many packages.
#[derive(Default)]
struct Cache {
    cves: HashMap<String, Rc<CveFacts>>,
    vectors: HashMap<String, Option<crate::cvss::CvssScore>>,
}

struct CveFacts {
    scores: Vec<crate::model::CveScore>,
    kev: Option<crate::model::KevEntry>,
    epss: Option<crate::model::EpssEntry>,
}

impl Cache {
    fn cve(&mut self, store: &Store, cve: &str) -> Result<Rc<CveFacts>, StoreError> {
        if let Some(f) = self.cves.get(cve) {
            return Ok(f.clone());
        }
        let facts = Rc::new(CveFacts { scores: store.cve_scores(cve)?, kev: store.kev(cve)?, epss: store.epss(cve)? });
        self.cves.insert(cve.to_owned(), facts.clone());
        Ok(facts)
    }

    fn score(&mut self, vector: &str) -> Option<crate::cvss::CvssScore> {
        self.vectors.entry(vector.to_owned()).or_insert_with(|| crate::cvss::base_score(vector)).clone()
    }
}

fn build_finding(
    store: &Store,
    cache: &mut Cache,
    package: &Package,
    matched_name: &str,
    matched_version: &str,
    family: Family,
    group: Vec<Matched>,
) -> Result<Finding, StoreError> {
    let mut all_ids: BTreeSet<String> = BTreeSet::new();
    let mut identity_ids: BTreeSet<String> = BTreeSet::new();
    for m in &group {
        let adv = &m.advisory.advisory;
        identity_ids.extend(identity(adv));
        all_ids.insert(adv.id.clone());
        all_ids.extend(adv.aliases.iter().cloned());
        all_ids.extend(adv.related.iter().filter(|r| r.starts_with("CVE-")).cloned());
    }
    let cves: Vec<&String> = all_ids.iter().filter(|i| i.starts_with("CVE-")).collect();
    let identity_cves: Vec<&String> = identity_ids.iter().filter(|i| i.starts_with("CVE-")).collect();
    let id = match identity_cves.as_slice() {
        [one] => (*one).clone(),
        _ => group[0].advisory.advisory.id.clone(),
    };
    let mut aliases: Vec<String> = all_ids.iter().filter(|i| **i != id).cloned().collect();
    aliases.sort_by(|a, b| (!a.starts_with("CVE-"), a).cmp(&(!b.starts_with("CVE-"), b)));

    let scheme = family.scheme();
    let mut fixed: Vec<String> = group.iter().flat_map(|m| m.fixed.iter().cloned()).collect();
    fixed.sort_by(|a, b| compare(scheme, a, b));
    fixed.dedup();

    // Scores: NVD's own for each CVE, then each advisory's vectors.
    let mut cvss = Vec::new();
    let facts: Vec<Rc<CveFacts>> = cves.iter().map(|c| cache.cve(store, c)).collect::<Result<_, _>>()?;
    for f in &facts {
        for s in f.scores.iter().cloned() {
            cvss.push((
                s.role == "Primary" && s.source == NVD_SOURCE,
                CvssInfo { version: s.version, vector: s.vector, base_score: s.base_score, source: s.source },
            ));
        }
    }
    let mut labels: Vec<(String, String)> = Vec::new();
    // The entry's own severity for this package comes before the record's.
    for m in &group {
        let adv = &m.advisory.advisory;
        for score in m.severity.iter().chain(&adv.severity) {
            collect_score(cache, score, &adv.id, &mut cvss, &mut labels);
        }
    }
    let nvd_v3 = cvss.iter().find(|(nvd, c)| *nvd && c.version.starts_with('3')).map(|(_, c)| c.clone());
    let any_v3 = || {
        let mut v3: Vec<&CvssInfo> = cvss.iter().map(|(_, c)| c).filter(|c| c.version.starts_with('3')).collect();
        v3.sort_by(|a, b| b.version.cmp(&a.version));
        v3.first().map(|c| (*c).clone())
    };
    let v3 = nvd_v3.clone().or_else(any_v3);
    let (severity, severity_source) = if let Some(c) = &v3 {
        (Severity::from_score(c.base_score), if nvd_v3.is_some() { "nvd".to_owned() } else { format!("cvss:{}", c.source) })
    } else if let Some(c) = cvss.iter().map(|(_, c)| c).find(|c| c.version.starts_with('4')) {
        (Severity::from_score(c.base_score), format!("cvss:{}", c.source))
    } else if let Some((sev, src)) = labels.iter().find_map(|(l, src)| Severity::from_label(l).map(|s| (s, src.clone()))) {
        (sev, format!("label:{src}"))
    } else if let Some(c) = cvss.iter().map(|(_, c)| c).find(|c| c.version.starts_with('2')) {
        (Severity::from_score(c.base_score), format!("cvss:{}", c.source))
    } else {
        (Severity::Unknown, "none".to_owned())
    };
    let mut cvss: Vec<CvssInfo> = cvss.into_iter().map(|(_, c)| c).collect();
    cvss.dedup_by(|a, b| a.vector == b.vector && a.source == b.source);

    let mut kev: Option<KevInfo> = None;
    let mut epss: Option<EpssInfo> = None;
    for f in &facts {
        if let Some(k) = &f.kev
            && kev.as_ref().is_none_or(|cur| k.due_date < cur.due_date)
        {
            kev = Some(KevInfo { date_added: k.date_added.clone(), due_date: k.due_date.clone(), ransomware: k.ransomware });
        }
        if let Some(e) = &f.epss
            && epss.as_ref().is_none_or(|cur| e.score > cur.score)
        {
            epss = Some(EpssInfo { score: e.score, percentile: e.percentile });
        }
    }
    let r = &package.record;
    let matched_as = (matched_name != r.name || matched_version != r.version).then(|| format!("{matched_name} {matched_version}"));
    let title = group.iter().find_map(|m| m.advisory.advisory.summary.clone());
    let mut references: Vec<String> = group.iter().flat_map(|m| m.advisory.advisory.references.iter().take(3).cloned()).collect();
    references.dedup();
    Ok(Finding {
        id,
        aliases,
        advisories: group.iter().map(|m| AdvisoryRef { id: m.advisory.advisory.id.clone(), source: m.advisory.source.clone() }).collect(),
        package: AffectedPackage {
            name: r.name.clone(),
            version: r.version.clone(),
            ecosystem: package.ecosystem,
            purl: package.purl.clone(),
            matched_as,
        },
        fixed_versions: fixed,
        severity,
        severity_source,
        cvss_v3_score: v3.map(|c| c.base_score),
        cvss,
        kev,
        epss,
        title,
        references,
        origin: package.origin.clone(),
        vex: None,
        suppressed: false,
    })
}

fn collect_score(
    cache: &mut Cache,
    score: &Score,
    advisory_id: &str,
    cvss: &mut Vec<(bool, CvssInfo)>,
    labels: &mut Vec<(String, String)>,
) {
    match score.kind {
        ScoreKind::CvssV2 | ScoreKind::CvssV3 | ScoreKind::CvssV4 => {
            if let Some(s) = cache.score(&score.value) {
                cvss.push((
                    false,
                    CvssInfo { version: s.version, vector: s.vector, base_score: s.base_score, source: advisory_id.to_owned() },
                ));
            }
        }
        ScoreKind::Ubuntu | ScoreKind::Label => labels.push((score.value.clone(), advisory_id.to_owned())),
    }
}
