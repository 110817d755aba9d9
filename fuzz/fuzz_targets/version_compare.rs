//! Version ordering for every scheme on arbitrary strings: no panic, and the
//! documented invariants hold: antisymmetry (`compare(a, b)` is the reverse
//! of `compare(b, a)`) and reflexivity (`compare(a, a)` is `Equal`).
//! Input: `a`, a 0 byte, `b` (lossy UTF-8; no 0 byte means `b` is empty).
#![no_main]

use std::cmp::Ordering;

use drydock_version::{Scheme, compare};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (a, b) = match data.iter().position(|&c| c == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let a = String::from_utf8_lossy(a);
    let b = String::from_utf8_lossy(b);
    for scheme in Scheme::ALL {
        let ab = compare(scheme, &a, &b);
        let ba = compare(scheme, &b, &a);
        assert_eq!(ab, ba.reverse(), "{scheme:?}: compare({a:?}, {b:?}) = {ab:?} but compare(b, a) = {ba:?}");
        assert_eq!(compare(scheme, &a, &a), Ordering::Equal, "{scheme:?}: compare({a:?}, itself) is not Equal");
        assert_eq!(compare(scheme, &b, &b), Ordering::Equal, "{scheme:?}: compare({b:?}, itself) is not Equal");
    }
});
