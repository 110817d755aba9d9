// TEMPORARY dev harness (removed before hand-off): reads "scheme\ta\tb" lines, prints sign.
use std::io::BufRead;
fn main() {
    for line in std::io::stdin().lock().lines() {
        let line = line.unwrap();
        let p: Vec<&str> = line.split('\t').collect();
        let s = match p[0] { "maven" => drydock_version::Scheme::Maven, "apk" => drydock_version::Scheme::Apk, "rpm" => drydock_version::Scheme::Rpm, "dpkg" => drydock_version::Scheme::Dpkg, "pep440" => drydock_version::Scheme::Pep440, "gem" => drydock_version::Scheme::RubyGems, _ => panic!() };
        println!("{}", drydock_version::compare(s, p[1], p[2]) as i8);
    }
}
