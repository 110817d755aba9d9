//! Inline suppressions.
//!
//! - `# drydock ignore=DF003,DF010`: for the next instruction;
//! - `# drydock global ignore=DF022`: for the whole file;
//! - `# hadolint ignore=DL3008` and `# hadolint global ignore=…`: honoured
//!   through [`crate::rules::HADOLINT_CODES`], so files keep their pragmas
//!   when they move from hadolint to drydock.

use crate::dockerfile::Model;
use crate::rules::HADOLINT_CODES;

#[derive(Debug, Default)]
pub struct Pragmas {
    global: Vec<String>,
    /// (start, end) byte range of an instruction, and the codes ignored there.
    scoped: Vec<(usize, usize, Vec<String>)>,
}

impl Pragmas {
    pub fn read(model: &Model) -> Pragmas {
        let mut p = Pragmas::default();
        let starts: Vec<usize> = model.file.instructions.iter().map(|i| i.span.start).collect();
        for c in &model.file.comments {
            let Some((global, codes)) = parse_pragma(&c.text) else { continue };
            if global {
                p.global.extend(codes);
                continue;
            }
            // The next instruction, up to the one after it (heredoc bodies included).
            let next = starts.partition_point(|&s| s <= c.span.start);
            if let Some(&start) = starts.get(next) {
                let end = starts.get(next + 1).copied().unwrap_or(usize::MAX);
                p.scoped.push((start, end, codes));
            }
        }
        p
    }

    pub fn suppresses(&self, code: &str, offset: usize) -> bool {
        self.global.iter().any(|c| c == code)
            || self.scoped.iter().any(|(s, e, codes)| offset >= *s && offset < *e && codes.iter().any(|c| c == code))
    }
}

/// `drydock [global] ignore=A,B` or `hadolint [global] ignore=DL…`: (global, DF codes).
fn parse_pragma(comment: &str) -> Option<(bool, Vec<String>)> {
    let mut words = comment.split_whitespace();
    let tool = words.next()?.to_ascii_lowercase();
    if tool != "drydock" && tool != "hadolint" {
        return None;
    }
    let mut next = words.next()?;
    let global = next.eq_ignore_ascii_case("global");
    if global {
        next = words.next()?;
    }
    let rest = std::iter::once(next).chain(words).collect::<Vec<_>>().join("");
    let list = rest.strip_prefix("ignore=")?;
    let codes = list
        .split(',')
        .map(|c| c.trim().to_ascii_uppercase())
        .filter(|c| !c.is_empty())
        .flat_map(|c| {
            if tool == "hadolint" {
                HADOLINT_CODES.iter().filter(|(dl, _)| *dl == c).map(|(_, df)| (*df).to_owned()).collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect();
    Some((global, codes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pragma_forms() {
        assert_eq!(parse_pragma("drydock ignore=DF003,df010"), Some((false, vec!["DF003".into(), "DF010".into()])));
        assert_eq!(parse_pragma("drydock global ignore=DF022"), Some((true, vec!["DF022".into()])));
        assert_eq!(parse_pragma("drydock ignore = DF003"), Some((false, vec!["DF003".into()])));
        assert_eq!(parse_pragma("hadolint ignore=DL3006"), Some((false, vec!["DF002".into()])));
        assert_eq!(parse_pragma("just a comment"), None);
        assert_eq!(parse_pragma("drydock"), None);
    }
}
