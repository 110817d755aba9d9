//! Test data for drydock's cargo-auditable analyzer: prints a number and a version.
fn main() {
    let mut buf = itoa::Buffer::new();
    let v = semver::Version::parse("1.2.3").expect("valid");
    println!("{} {}", buf.format(42u32), v);
}
