//! JUnit XML: validates against the Jenkins JUnit schema (`junit-4.xsd`,
//! vendored in `tests/schemas`), reads back with the right suites and
//! counts, and escapes whatever the image and advisory data put in it.
//!
//! No XSD validator crate works offline without a C library, so
//! [`Schema`] is a small interpreter of the XSD subset `junit-4.xsd` uses
//! (global elements, `xs:string` simple elements, complex types with a
//! `sequence` of `ref`s with `minOccurs`/`maxOccurs`, attributes with
//! `use`, `mixed` content). It reads the vendored file itself, refuses any
//! construct outside that subset, and is checked against documents it must
//! reject.

#[path = "data/writer_reports.rs"]
mod reports;

use std::collections::BTreeMap;

use drydock_core::report::Report;
use drydock_core::vulnerability::Severity;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use reports::RAW_SECRET;

/// An element of a parsed document.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attrs: BTreeMap<String, String>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    fn attr(&self, name: &str) -> &str {
        self.attrs.get(name).map(String::as_str).unwrap_or_else(|| panic!("<{}> has no {name}", self.name))
    }
    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
    fn child<'a>(&'a self, name: &'a str) -> Option<&'a Element> {
        self.all(name).next()
    }
    fn num(&self, name: &str) -> usize {
        self.attr(name).parse().unwrap_or_else(|_| panic!("<{}> {name} is not a count", self.name))
    }
}

fn element(e: &BytesStart<'_>) -> Element {
    let mut el = Element { name: e.name().as_ref().to_owned(), ..Element::default() };
    for a in e.attributes() {
        let a = a.expect("a well-formed attribute");
        let key = a.key.as_ref().to_owned();
        let value = a.normalized_value(quick_xml::XmlVersion::Implicit1_0).expect("a valid attribute value").into_owned();
        assert!(el.attrs.insert(key.clone(), value).is_none(), "duplicate attribute {key}");
    }
    el
}

/// Parses XML with quick-xml (well-formedness: matched end tags, valid
/// references) into a tree, references resolved.
fn parse(xml: &str) -> Element {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = vec![Element::default()];
    loop {
        let event = reader.read_event().unwrap_or_else(|e| panic!("not well-formed at {}: {e}", reader.buffer_position()));
        match event {
            Event::Start(e) => stack.push(element(&e)),
            Event::Empty(e) => stack.last_mut().expect("a parent").children.push(element(&e)),
            Event::End(_) => {
                let done = stack.pop().expect("an open element");
                stack.last_mut().expect("a parent").children.push(done);
            }
            Event::Text(t) => stack.last_mut().expect("a parent").text.push_str(&t.xml10_content()),
            Event::CData(c) => stack.last_mut().expect("a parent").text.push_str(&c),
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().expect("a valid character reference") {
                    Some(c) => c,
                    None => match &*r {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "apos" => '\'',
                        "quot" => '"',
                        other => panic!("undeclared entity &{other};"),
                    },
                };
                stack.last_mut().expect("a parent").text.push(c);
            }
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
            Event::Eof => break,
        }
    }
    assert_eq!(stack.len(), 1, "unclosed elements");
    let mut root = stack.pop().expect("the document");
    assert!(root.text.trim().is_empty(), "text outside the root element");
    assert_eq!(root.children.len(), 1, "one root element");
    root.children.pop().expect("the root")
}

/// One global element declaration of the schema.
#[derive(Debug)]
struct Decl {
    /// `type="xs:string"`: text only, no attributes, no children.
    simple: bool,
    mixed: bool,
    /// `(ref, minOccurs, maxOccurs)`; `None`: unbounded.
    sequence: Vec<(String, usize, Option<usize>)>,
    /// Attribute name and whether it is required.
    attributes: Vec<(String, bool)>,
}

struct Schema(BTreeMap<String, Decl>);

impl Schema {
    fn load() -> Schema {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/schemas/junit-4.xsd");
        let xsd = parse(&std::fs::read_to_string(path).expect("the vendored junit-4.xsd"));
        assert_eq!(xsd.name, "xs:schema");
        let mut decls = BTreeMap::new();
        for el in &xsd.children {
            assert_eq!(el.name, "xs:element", "construct outside the supported subset: {}", el.name);
            let name = el.attr("name").to_owned();
            let decl = match el.attrs.get("type").map(String::as_str) {
                Some("xs:string") => Decl { simple: true, mixed: false, sequence: Vec::new(), attributes: Vec::new() },
                Some(other) => panic!("unsupported type {other}"),
                None => {
                    let [ct] = el.children.as_slice() else { panic!("{name}: one complexType expected") };
                    assert_eq!(ct.name, "xs:complexType");
                    let mut decl = Decl {
                        simple: false,
                        mixed: ct.attrs.get("mixed").is_some_and(|m| m == "true"),
                        sequence: Vec::new(),
                        attributes: Vec::new(),
                    };
                    for part in &ct.children {
                        match part.name.as_str() {
                            "xs:sequence" => {
                                for p in &part.children {
                                    assert_eq!(p.name, "xs:element", "only element refs in a sequence");
                                    let min = p.attrs.get("minOccurs").map_or(1, |m| m.parse().expect("minOccurs"));
                                    let max = match p.attrs.get("maxOccurs").map(String::as_str) {
                                        Some("unbounded") => None,
                                        Some(m) => Some(m.parse().expect("maxOccurs")),
                                        None => Some(1),
                                    };
                                    decl.sequence.push((p.attr("ref").to_owned(), min, max));
                                }
                            }
                            "xs:attribute" => {
                                assert_eq!(part.attr("type"), "xs:string");
                                let required = match part.attr("use") {
                                    "required" => true,
                                    "optional" => false,
                                    other => panic!("unsupported use {other}"),
                                };
                                decl.attributes.push((part.attr("name").to_owned(), required));
                            }
                            other => panic!("construct outside the supported subset: {other}"),
                        }
                    }
                    decl
                }
            };
            decls.insert(name, decl);
        }
        Schema(decls)
    }

    /// Every violation of the schema in the document rooted at `el`.
    fn errors(&self, el: &Element) -> Vec<String> {
        let mut errors = Vec::new();
        self.check(el, &mut errors);
        errors
    }

    fn check(&self, el: &Element, errors: &mut Vec<String>) {
        let Some(decl) = self.0.get(&el.name) else {
            errors.push(format!("<{}> is not declared", el.name));
            return;
        };
        for key in el.attrs.keys() {
            if !decl.attributes.iter().any(|(a, _)| a == key) {
                errors.push(format!("<{}> has undeclared attribute {key}", el.name));
            }
        }
        for (a, required) in &decl.attributes {
            if *required && !el.attrs.contains_key(a) {
                errors.push(format!("<{}> lacks required attribute {a}", el.name));
            }
        }
        if decl.simple {
            if !el.children.is_empty() {
                errors.push(format!("<{}> is text only", el.name));
            }
            return;
        }
        if !decl.mixed && !el.text.trim().is_empty() {
            errors.push(format!("<{}> has text but is not mixed: {:?}", el.name, el.text.trim()));
        }
        let mut i = 0;
        for (name, min, max) in &decl.sequence {
            let mut n = 0;
            while i < el.children.len() && el.children[i].name == *name && max.is_none_or(|m| n < m) {
                n += 1;
                i += 1;
            }
            if n < *min {
                errors.push(format!("<{}> needs at least {min} <{name}>, has {n} in sequence", el.name));
            }
        }
        if i < el.children.len() {
            errors.push(format!("<{}>: <{}> is out of sequence or not allowed", el.name, el.children[i].name));
        }
        for c in &el.children {
            self.check(c, errors);
        }
    }
}

fn render(report: &Report) -> String {
    let mut out = Vec::new();
    drydock_report::junit::write(report, &mut out).expect("writes");
    String::from_utf8(out).expect("UTF-8")
}

/// Characters XML 1.0 forbids, which no parser may accept.
fn assert_only_xml_chars(xml: &str) {
    for c in xml.chars() {
        let ok = matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..);
        assert!(ok, "forbidden character U+{:04X} in the output", c as u32);
    }
}

fn validated(report: &Report) -> Element {
    let xml = render(report);
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
    assert_only_xml_chars(&xml);
    let doc = parse(&xml);
    let errors = Schema::load().errors(&doc);
    assert!(errors.is_empty(), "{errors:#?}\n{xml}");
    doc
}

fn suite<'a>(doc: &'a Element, name: &str) -> &'a Element {
    doc.all("testsuite").find(|s| s.attr("name") == name).unwrap_or_else(|| panic!("no {name} suite"))
}

/// A scan where every scanner ran and found nothing.
fn clean() -> Report {
    let mut r = reports::full();
    r.vulnerabilities.clear();
    r.hardening.clear();
    r.secrets.clear();
    r
}

#[test]
fn validates_against_the_jenkins_junit_schema() {
    for report in [reports::scanned(), reports::full(), reports::with_tracking(), clean()] {
        validated(&report);
    }
}

#[test]
fn the_schema_interpreter_rejects_what_junit_4_xsd_forbids() {
    let schema = Schema::load();
    for (xml, why) in [
        ("<testsuites><testsuite tests=\"1\"/></testsuites>", "required name"),
        (
            "<testsuites><testsuite name=\"a\" tests=\"1\"><testcase name=\"x\"><skipped message=\"no\"/></testcase></testsuite></testsuites>",
            "attribute on skipped",
        ),
        (
            "<testsuites><testsuite name=\"a\" tests=\"1\"><testcase name=\"x\"><failure/><skipped/></testcase></testsuite></testsuites>",
            "skipped after failure",
        ),
        ("<testsuites><testsuite name=\"a\" tests=\"1\"><properties/></testsuite></testsuites>", "properties without a property"),
        ("<testsuites><testsuite name=\"a\" tests=\"1\">text</testsuite></testsuites>", "text in a testsuite"),
        ("<testsuites skipped=\"1\"/>", "skipped on testsuites"),
        ("<testsuites><suite/></testsuites>", "undeclared element"),
    ] {
        assert!(!schema.errors(&parse(xml)).is_empty(), "must reject: {why}");
    }
    let ok = "<testsuites><testsuite name=\"a\" tests=\"1\"><testcase name=\"x\"><failure type=\"HIGH\">details</failure></testcase><system-out>o</system-out></testsuite></testsuites>";
    assert!(schema.errors(&parse(ok)).is_empty());
}

#[test]
fn one_suite_per_scanner_and_the_counts_add_up() {
    let report = reports::with_tracking();
    let doc = validated(&report);
    assert_eq!(doc.name, "testsuites");
    let names: Vec<&str> = doc.all("testsuite").map(|s| s.attr("name")).collect();
    assert_eq!(names, ["vulnerabilities", "hardening", "secrets", "fips"]);
    let (mut tests, mut failures) = (0, 0);
    for s in doc.all("testsuite") {
        let cases: Vec<&Element> = s.all("testcase").collect();
        assert_eq!(s.num("tests"), cases.len(), "{}", s.attr("name"));
        assert_eq!(s.num("failures"), cases.iter().filter(|c| c.child("failure").is_some()).count());
        assert_eq!(s.num("skipped"), cases.iter().filter(|c| c.child("skipped").is_some()).count());
        assert_eq!(s.num("errors"), 0);
        assert!(
            s.child("properties")
                .expect("properties")
                .all("property")
                .any(|p| p.attr("name") == "image" && p.attr("value") == reports::REFERENCE)
        );
        tests += cases.len();
        failures += s.num("failures");
    }
    assert_eq!(doc.num("tests"), tests);
    assert_eq!(doc.num("failures"), failures);

    let open = report.vulnerabilities.iter().filter(|f| !f.suppressed).count();
    let vulns = suite(&doc, "vulnerabilities");
    assert_eq!(vulns.num("failures"), open);
    assert_eq!(vulns.num("skipped"), 1, "the VEX-suppressed one");
    assert_eq!(suite(&doc, "hardening").num("failures"), report.hardening.iter().filter(|c| !c.rule_id.starts_with("FIPS")).count());
    assert_eq!(suite(&doc, "fips").num("failures"), 1);
    assert_eq!(suite(&doc, "secrets").num("failures"), report.secrets.len());
}

#[test]
fn failures_name_severity_title_and_package_or_path() {
    let report = reports::with_tracking();
    let doc = validated(&report);
    let failure = |suite_name: &str, case_prefix: &str| -> (String, String, String) {
        let case = suite(&doc, suite_name)
            .all("testcase")
            .find(|c| c.attr("name").starts_with(case_prefix))
            .unwrap_or_else(|| panic!("{case_prefix}"));
        let f = case.child("failure").expect("a failure");
        (f.attr("type").to_owned(), f.attr("message").to_owned(), f.text.clone())
    };
    let (kind, message, text) = failure("vulnerabilities", "CVE-2026-0101 in libssl3");
    assert_eq!(kind, "CRITICAL");
    assert_eq!(message, "CRITICAL CVE-2026-0101: OpenSSL: remote code execution in X.509 name constraints (libssl3 3.0.11-1~deb12u2)");
    assert!(text.contains("Fixed in: 3.0.15-1~deb12u1"), "{text}");
    assert!(text.contains("Due 2026-10-22 (49 days overdue): CISA KEV due date"), "{text}");
    let (_, message, _) = failure("vulnerabilities", "CVE-2026-0303");
    assert!(message.contains(reports::MARKUP_TITLE), "markup survives escaping: {message}");
    let (_, message, _) = failure("vulnerabilities", "CVE-2026-0505");
    assert_eq!(message, "UNKNOWN CVE-2026-0505 (netbase 6.4)");
    let (kind, message, text) = failure("hardening", "IMG006");
    assert_eq!(kind, "LOW");
    assert!(message.starts_with("LOW IMG006: ") && message.ends_with(" at /bin/busybox"), "{message}");
    assert!(text.contains("Evidence: /bin/wget (layer 1): download / network tool"), "{text}");
    assert!(text.contains("Fix: "), "{text}");
    let (kind, message, text) = failure("secrets", "SEC001");
    assert_eq!(kind, "CRITICAL");
    assert_eq!(message, "CRITICAL SEC001: AWS access key ID in /app/.env:3");
    assert!(text.contains("AKIA************MPLE"));
    let (kind, _, _) = failure("fips", "FIPS001");
    assert_eq!(kind, Severity::High.as_str());
    let xml = render(&report);
    assert!(!xml.contains(RAW_SECRET), "the secret value must never be written");
}

#[test]
fn a_clean_scan_has_a_passing_case_per_scanner() {
    let doc = validated(&clean());
    assert_eq!(doc.num("failures"), 0);
    for s in doc.all("testsuite") {
        assert_eq!(s.num("tests"), 1, "{}", s.attr("name"));
        let case = s.child("testcase").expect("a case");
        assert!(case.child("failure").is_none() && case.child("skipped").is_none(), "{}: passes", s.attr("name"));
    }
    assert!(suite(&doc, "fips").child("system-out").expect("the verdict").text.contains("not-fips"));
}

#[test]
fn a_scanner_that_did_not_run_is_skipped_not_passed() {
    let mut report = reports::scanned();
    report.fips = None;
    let doc = validated(&report);
    for name in ["vulnerabilities", "fips"] {
        let s = suite(&doc, name);
        assert_eq!((s.num("tests"), s.num("skipped"), s.num("failures")), (1, 1, 0), "{name}");
    }
    assert_eq!(suite(&doc, "hardening").num("failures"), 2, "the real scan's IMG003 and IMG006");
}

#[test]
fn hostile_text_is_escaped_and_reads_back() {
    let mut report = reports::full();
    let hostile = "a<b>&c\"d'e]]>f\u{0}g\u{1b}[31mh\u{fffe}\nline two\ttab\r";
    report.vulnerabilities[0].title = Some(hostile.into());
    report.hardening[0].evidence[0].detail = "</failure></testcase><testcase name=\"injected\">".into();
    report.image.reference = "evil\"/><testsuite name=\"x".into();
    let doc = validated(&report);
    let readback = "a<b>&c\"d'e]]>f\u{fffd}g\u{fffd}[31mh\u{fffd}\nline two\ttab\r";
    let case = suite(&doc, "vulnerabilities").child("testcase").expect("a case");
    let failure = case.child("failure").expect("a failure");
    assert!(failure.attr("message").contains(readback), "attribute: {:?}", failure.attr("message"));
    assert!(failure.text.contains(readback), "text: {:?}", failure.text);
    assert_eq!(doc.attr("name"), "drydock scan evil\"/><testsuite name=\"x");
    assert_eq!(doc.all("testsuite").count(), 4, "nothing injected");
    assert!(!doc.all("testsuite").flat_map(|s| s.all("testcase")).any(|c| c.attr("name") == "injected"));
}
