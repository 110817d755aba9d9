//! Words of shell-form arguments (COPY sources, EXPOSE ports, ENV pairs),
//! and `$VAR` / `${VAR:-default}` substitution as BuildKit does it.

/// A word with its quotes and escapes removed, and where it sat in the
/// instruction's arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// Splits `args` on unquoted whitespace, removing quotes and escapes.
pub fn split(args: &str, escape: char) -> Vec<Word> {
    let mut out = Vec::new();
    let mut chars = args.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut text = String::new();
        let mut end = start;
        let mut quote: Option<char> = None;
        while let Some(&(i, c)) = chars.peek() {
            if quote.is_none() && c.is_whitespace() {
                break;
            }
            chars.next();
            end = i + c.len_utf8();
            match quote {
                Some(q) if c == q => quote = None,
                Some('"') if c == escape => {
                    if let Some((j, n)) = chars.next() {
                        // Inside double quotes the escape only escapes `"`, `$` and itself.
                        if n != '"' && n != '$' && n != escape {
                            text.push(c);
                        }
                        text.push(n);
                        end = j + n.len_utf8();
                    }
                }
                Some(_) => text.push(c),
                None if c == '"' || c == '\'' => quote = Some(c),
                None if c == escape => {
                    if let Some((j, n)) = chars.next() {
                        text.push(n);
                        end = j + n.len_utf8();
                    }
                }
                None => text.push(c),
            }
        }
        out.push(Word { text, start, end });
    }
    out
}

/// `KEY=value` pairs of ENV, LABEL and ARG; the legacy `ENV KEY value with
/// spaces` form yields one pair. A bare `ARG NAME` has no value.
pub fn pairs(args: &str, escape: char, legacy_allowed: bool) -> Vec<(Word, Option<String>)> {
    let words = split(args, escape);
    if legacy_allowed
        && let Some(first) = words.first()
        && !first.text.contains('=')
        && words.len() > 1
    {
        let value_start = words[1].start;
        let value = args[value_start..].trim().to_owned();
        return vec![(first.clone(), Some(value))];
    }
    words
        .into_iter()
        .map(|w| match w.text.split_once('=') {
            Some((k, v)) => (Word { text: k.to_owned(), ..w.clone() }, Some(v.to_owned())),
            None => (w, None),
        })
        .collect()
}

/// Expands `$VAR`, `${VAR}`, `${VAR:-word}`, `${VAR-word}`, `${VAR:+word}`
/// and `${VAR+word}` with `lookup`. Returns the text and whether every
/// variable was known (an unknown one expands to empty, as Docker does).
pub fn expand(text: &str, escape: char, lookup: &dyn Fn(&str) -> Option<String>) -> (String, bool) {
    let mut out = String::with_capacity(text.len());
    let mut all_known = true;
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut single = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            single = !single;
            out.push(c);
            i += 1;
            continue;
        }
        if c == escape && i + 1 < chars.len() {
            out.push(c);
            out.push(chars[i + 1]);
            i += 2;
            continue;
        }
        if c != '$' || single || i + 1 >= chars.len() {
            out.push(c);
            i += 1;
            continue;
        }
        if chars[i + 1] == '{' {
            let Some(close) = chars[i + 2..].iter().position(|&c| c == '}').map(|p| p + i + 2) else {
                out.extend(&chars[i..]);
                break;
            };
            let inner: String = chars[i + 2..close].iter().collect();
            let name_len = inner.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(inner.len());
            let (name, modifier) = inner.split_at(name_len);
            let value = lookup(name);
            let expanded = match modifier {
                "" => value.clone(),
                m if m.starts_with(":-") => value.clone().filter(|v| !v.is_empty()).or_else(|| Some(m[2..].to_owned())),
                m if m.starts_with('-') => value.clone().or_else(|| Some(m[1..].to_owned())),
                m if m.starts_with(":+") => {
                    Some(if value.as_deref().is_some_and(|v| !v.is_empty()) { m[2..].to_owned() } else { String::new() })
                }
                m if m.starts_with('+') => Some(if value.is_some() { m[1..].to_owned() } else { String::new() }),
                // `${VAR:?msg}` and pattern operators: keep the value.
                _ => value.clone(),
            };
            if expanded.is_none() {
                all_known = false;
            }
            out.push_str(&expanded.unwrap_or_default());
            i = close + 1;
        } else if chars[i + 1].is_ascii_alphabetic() || chars[i + 1] == '_' {
            let mut j = i + 1;
            while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            let name: String = chars[i + 1..j].iter().collect();
            match lookup(&name) {
                Some(v) => out.push_str(&v),
                None => all_known = false,
            }
            i = j;
        } else {
            out.push(c);
            i += 1;
        }
    }
    (out, all_known)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(ws: &[Word]) -> Vec<&str> {
        ws.iter().map(|w| w.text.as_str()).collect()
    }

    #[test]
    fn words_split_on_unquoted_space() {
        assert_eq!(texts(&split(r#"a "b c" 'd e' f\ g"#, '\\')), ["a", "b c", "d e", "f g"]);
        assert_eq!(texts(&split("src/ `\"x y`\" /dst", '`')), ["src/", "\"x", "y\"", "/dst"]);
        assert_eq!(split("  ", '\\'), vec![]);
        assert_eq!(texts(&split("\"unterminated", '\\')), ["unterminated"]);
    }

    #[test]
    fn env_pairs_new_and_legacy() {
        let p = pairs(r#"A=1 B="two words" C"#, '\\', true);
        assert_eq!(
            p.iter().map(|(k, v)| (k.text.as_str(), v.as_deref())).collect::<Vec<_>>(),
            [("A", Some("1")), ("B", Some("two words")), ("C", None)]
        );
        let legacy = pairs("JAVA_HOME /usr/lib/jvm java", '\\', true);
        assert_eq!(legacy[0].0.text, "JAVA_HOME");
        assert_eq!(legacy[0].1.as_deref(), Some("/usr/lib/jvm java"));
    }

    #[test]
    fn substitution_forms() {
        let lookup = |n: &str| match n {
            "V" => Some("3.20".to_owned()),
            "EMPTY" => Some(String::new()),
            _ => None,
        };
        let e = |s: &str| expand(s, '\\', &lookup);
        assert_eq!(e("alpine:$V"), ("alpine:3.20".into(), true));
        assert_eq!(e("alpine:${V}"), ("alpine:3.20".into(), true));
        assert_eq!(e("x:${NOPE:-latest}"), ("x:latest".into(), true));
        assert_eq!(e("x:${EMPTY:-d}"), ("x:d".into(), true));
        assert_eq!(e("x:${EMPTY-d}"), ("x:".into(), true));
        assert_eq!(e("${V:+set}"), ("set".into(), true));
        assert_eq!(e("${NOPE:+set}"), ("".into(), true));
        assert_eq!(e("a$NOPE"), ("a".into(), false));
        assert_eq!(e("'$V'"), ("'$V'".into(), true));
        assert_eq!(e(r"\$V"), (r"\$V".into(), true));
        assert_eq!(e("${unclosed"), ("${unclosed".into(), true));
        assert_eq!(e("$"), ("$".into(), true));
    }
}
