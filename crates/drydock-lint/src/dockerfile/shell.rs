//! RUN bodies as POSIX shell: simple commands, the operators between them
//! (`&&`, `||`, `;`, `|`, `&`), subshells and groups, quoting, and command
//! substitutions, with offsets into the script so rules can point at a
//! word.
//!
//! Why not `brush-parser`: it parses all of bash, and brings `cached`,
//! `insta`, `miette` and a PEG runtime into the binary; the rules need only
//! "which commands run, with which arguments, joined how", which this
//! small, total tokenizer gives (unterminated quotes and parentheses end
//! the word or group instead of failing).

/// How a command is joined to the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Joined {
    /// First command of the script, or after a newline or `;`.
    Start,
    And,
    Or,
    /// `a | b`: this command reads the previous one's output.
    Pipe,
    /// After `a &`.
    Background,
}

/// A word with quotes removed (`text`) and its place in the script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellWord {
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// Contains a `$` expansion or command substitution.
    pub dynamic: bool,
}

/// One simple command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    /// `NAME=value` assignments before the command name.
    pub assignments: Vec<ShellWord>,
    /// The command name and its arguments.
    pub argv: Vec<ShellWord>,
    pub joined: Joined,
    /// Nesting depth in `( … )` / `{ …; }`.
    pub depth: usize,
    /// Inside `$( … )` or backticks.
    pub substituted: bool,
    /// Output redirections (`> file`, `>> file`), targets as written.
    pub redirects: Vec<String>,
}

impl Command {
    /// The command name without a directory (`/usr/bin/apt-get` -> `apt-get`).
    pub fn name(&self) -> Option<&str> {
        self.argv.first().map(|w| w.text.rsplit('/').next().unwrap_or(&w.text))
    }

    pub fn args(&self) -> impl Iterator<Item = &str> {
        self.argv.iter().skip(1).map(|w| w.text.as_str())
    }

    pub fn has_arg(&self, arg: &str) -> bool {
        self.args().any(|a| a == arg)
    }

    /// The script span of the whole command.
    pub fn span(&self) -> (usize, usize) {
        let first = self.assignments.first().or(self.argv.first());
        let last = self.argv.last().or(self.assignments.last());
        match (first, last) {
            (Some(f), Some(l)) => (f.start, l.end),
            _ => (0, 0),
        }
    }
}

/// Parses a script into its simple commands, in order.
pub fn parse(script: &str) -> Vec<Command> {
    let mut out = Vec::new();
    parse_into(script, 0, 0, false, &mut out);
    out
}

fn parse_into(script: &str, base: usize, depth: usize, substituted: bool, out: &mut Vec<Command>) {
    let b = script.as_bytes();
    let mut i = 0;
    let mut depth = depth;
    let mut current = Command { assignments: vec![], argv: vec![], joined: Joined::Start, depth, substituted, redirects: vec![] };
    let mut pending_redirect = false;
    // `case WORD in pattern) …;; esac`: patterns are not commands, and
    // their `|` is not a pipe.
    let mut case = Case::No;
    let mut case_depth = 0usize;

    let flush = |cur: &mut Command, out: &mut Vec<Command>, next_joined: Joined, depth: usize| {
        if !cur.argv.is_empty() || !cur.assignments.is_empty() {
            let done = std::mem::replace(
                cur,
                Command { assignments: vec![], argv: vec![], joined: next_joined, depth, substituted, redirects: vec![] },
            );
            out.push(done);
        } else {
            cur.joined = if cur.joined == Joined::Start { Joined::Start } else { next_joined };
            cur.depth = depth;
        }
    };

    while i < b.len() {
        let c = b[i];
        if case == Case::Pattern {
            match c {
                b')' => {
                    case = Case::No;
                    i += 1;
                    continue;
                }
                b'|' | b'(' | b' ' | b'\t' | b'\r' | b'\n' => {
                    i += 1;
                    continue;
                }
                _ => {
                    let (text, len, _) = word(&script[i..]);
                    if text == "esac" {
                        case = Case::No;
                        case_depth = case_depth.saturating_sub(1);
                    }
                    i += len.max(1);
                    continue;
                }
            }
        }
        match c {
            b' ' | b'\t' | b'\r' => i += 1,
            b'\n' => {
                flush(&mut current, out, Joined::Start, depth);
                current.joined = Joined::Start;
                i += 1;
            }
            b'#' => {
                // A comment runs to the end of the line.
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b';' => {
                flush(&mut current, out, Joined::Start, depth);
                current.joined = Joined::Start;
                if b.get(i + 1) == Some(&b';') {
                    if case_depth > 0 {
                        case = Case::Pattern;
                    }
                    i += 2;
                } else {
                    i += 1;
                }
            }
            b'&' if b.get(i + 1) == Some(&b'&') => {
                flush(&mut current, out, Joined::And, depth);
                current.joined = Joined::And;
                i += 2;
            }
            b'&' if b.get(i + 1) == Some(&b'>') => {
                pending_redirect = true;
                i += 2;
            }
            b'&' => {
                flush(&mut current, out, Joined::Background, depth);
                current.joined = Joined::Background;
                i += 1;
            }
            b'|' if b.get(i + 1) == Some(&b'|') => {
                flush(&mut current, out, Joined::Or, depth);
                current.joined = Joined::Or;
                i += 2;
            }
            b'|' => {
                flush(&mut current, out, Joined::Pipe, depth);
                current.joined = Joined::Pipe;
                i += if b.get(i + 1) == Some(&b'&') { 2 } else { 1 };
            }
            b'(' => {
                let joined_before = current.joined;
                flush(&mut current, out, joined_before, depth + 1);
                depth += 1;
                current.depth = depth;
                i += 1;
            }
            b')' => {
                flush(&mut current, out, Joined::Start, depth.saturating_sub(1));
                depth = depth.saturating_sub(1);
                current.depth = depth;
                i += 1;
            }
            b'>' | b'<' => {
                // `2>&1`, `>/dev/null`, `<<EOF`: a redirection target follows.
                let start = i;
                while i < b.len() && matches!(b[i], b'>' | b'<' | b'&' | b'|' | b'-') {
                    i += 1;
                }
                if b[start] == b'>' || b.get(start + 1) == Some(&b'>') {
                    pending_redirect = true;
                } else {
                    pending_redirect = false;
                    // Skip an input redirection's target.
                    let (_, len, _) = word(&script[i..]);
                    let skip = script[i..].len() - script[i..].trim_start().len();
                    let (_, len2, _) = word(&script[i + skip..]);
                    i += if len == 0 { skip + len2 } else { len };
                }
            }
            _ => {
                let (text, len, dynamic) = word(&script[i..]);
                if len == 0 {
                    i += 1;
                    continue;
                }
                let w = ShellWord { text, start: base + i, end: base + i + len, dynamic };
                // Nested command substitutions are parsed as commands too.
                for (s, e) in substitutions(&script[i..i + len]) {
                    parse_into(&script[i + s..i + e], base + i + s, depth, true, out);
                }
                if case == Case::Subject {
                    case = Case::ExpectIn;
                } else if case == Case::ExpectIn {
                    if w.text == "in" {
                        case = Case::Pattern;
                    }
                } else if current.argv.is_empty() && w.text == "case" && !w.dynamic {
                    case = Case::Subject;
                    case_depth += 1;
                } else if current.argv.is_empty() && w.text == "esac" {
                    case_depth = case_depth.saturating_sub(1);
                } else if pending_redirect {
                    current.redirects.push(w.text);
                    pending_redirect = false;
                } else if current.argv.is_empty() && is_assignment(&w.text) {
                    current.assignments.push(w);
                } else if current.argv.is_empty() && (w.text == "{" || w.text == "}") && !w.dynamic {
                    // Group braces: structure, not a command.
                    if w.text == "{" {
                        depth += 1;
                    } else {
                        depth = depth.saturating_sub(1);
                    }
                    current.depth = depth;
                } else if current.argv.is_empty()
                    && matches!(w.text.as_str(), "then" | "do" | "else" | "elif" | "if" | "while" | "until" | "!")
                {
                    // Keywords that introduce a command: the next word is the command.
                } else if current.argv.is_empty() && matches!(w.text.as_str(), "fi" | "done" | "esac") {
                } else {
                    current.argv.push(w);
                }
                i += len;
            }
        }
    }
    flush(&mut current, out, Joined::Start, depth);
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Case {
    No,
    /// After `case`: the word being matched.
    Subject,
    /// Waiting for `in`.
    ExpectIn,
    /// In a pattern, up to its `)`.
    Pattern,
}

fn is_assignment(w: &str) -> bool {
    match w.split_once('=') {
        Some((name, _)) => {
            !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !name.starts_with(|c: char| c.is_ascii_digit())
        }
        None => false,
    }
}

/// Reads one word at the start of `s`: (unquoted text, byte length, has
/// an expansion).
fn word(s: &str) -> (String, usize, bool) {
    let b = s.as_bytes();
    let mut text = String::new();
    let mut i = 0;
    let mut dynamic = false;
    while i < b.len() {
        let c = b[i];
        match c {
            b' ' | b'\t' | b'\n' | b'\r' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>' => break,
            b'\'' => {
                let end = s[i + 1..].find('\'').map(|p| i + 1 + p).unwrap_or(b.len());
                text.push_str(&s[i + 1..end]);
                i = (end + 1).min(b.len());
            }
            b'"' => {
                let mut j = i + 1;
                while j < b.len() && b[j] != b'"' {
                    if b[j] == b'\\' && j + 1 < b.len() {
                        j += 1;
                    } else if b[j] == b'$' {
                        dynamic = true;
                        if b.get(j + 1) == Some(&b'(') {
                            j = matching(b, j + 1).unwrap_or(b.len() - 1);
                        }
                    }
                    j += 1;
                }
                let inner = &s[i + 1..j.min(b.len())];
                text.push_str(&unescape_double(inner));
                i = (j + 1).min(b.len());
            }
            b'\\' => {
                if let Some(ch) = s[i + 1..].chars().next() {
                    if ch != '\n' {
                        text.push(ch);
                    }
                    i += 1 + ch.len_utf8();
                } else {
                    i += 1;
                }
            }
            b'$' if b.get(i + 1) == Some(&b'(') => {
                dynamic = true;
                let end = matching(b, i + 1).map(|e| e + 1).unwrap_or(b.len());
                text.push_str(&s[i..end]);
                i = end;
            }
            b'$' if b.get(i + 1) == Some(&b'{') => {
                dynamic = true;
                let end = s[i..].find('}').map(|p| i + p + 1).unwrap_or(b.len());
                text.push_str(&s[i..end]);
                i = end;
            }
            b'`' => {
                dynamic = true;
                let end = s[i + 1..].find('`').map(|p| i + 1 + p + 1).unwrap_or(b.len());
                text.push_str(&s[i..end]);
                i = end;
            }
            b'$' => {
                dynamic = true;
                text.push('$');
                i += 1;
            }
            _ => {
                let ch = s[i..].chars().next().unwrap_or(' ');
                text.push(ch);
                i += ch.len_utf8();
            }
        }
    }
    (text, i, dynamic)
}

fn unescape_double(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && matches!(chars.peek(), Some('"' | '\\' | '$' | '`')) {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Index of the `)` matching the `(` at `open`.
fn matching(b: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    let mut quote: Option<u8> = None;
    while i < b.len() {
        let c = b[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(b'"') if c == b'\\' => i += 1,
            Some(_) => {}
            None => match c {
                b'\'' | b'"' => quote = Some(c),
                b'\\' => i += 1,
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(i);
                    }
                }
                _ => {}
            },
        }
        i += 1;
    }
    None
}

/// `$( … )` and backtick bodies inside a word: (start, end) of the inner text.
fn substitutions(w: &str) -> Vec<(usize, usize)> {
    let b = w.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\'' {
            i = w[i + 1..].find('\'').map(|p| i + 1 + p + 1).unwrap_or(b.len());
            continue;
        }
        if b[i] == b'$' && b.get(i + 1) == Some(&b'(') && b.get(i + 2) != Some(&b'(') {
            if let Some(close) = matching(b, i + 1) {
                out.push((i + 2, close));
                i = close + 1;
                continue;
            }
        } else if b[i] == b'`'
            && let Some(p) = w[i + 1..].find('`')
        {
            out.push((i + 1, i + 1 + p));
            i = i + 2 + p;
            continue;
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(script: &str) -> Vec<(String, Joined, usize)> {
        parse(script)
            .into_iter()
            .map(|c| (c.argv.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" "), c.joined, c.depth))
            .collect()
    }

    #[test]
    fn operators_join_commands() {
        assert_eq!(
            names("apt-get update && apt-get install -y curl || true; rm -rf /var/lib/apt/lists/*"),
            [
                ("apt-get update".into(), Joined::Start, 0),
                ("apt-get install -y curl".into(), Joined::And, 0),
                ("true".into(), Joined::Or, 0),
                ("rm -rf /var/lib/apt/lists/*".into(), Joined::Start, 0),
            ]
        );
        assert_eq!(names("curl -fsSL https://x.invalid/i.sh | sh -s -- -y")[1], ("sh -s -- -y".into(), Joined::Pipe, 0));
    }

    #[test]
    fn quotes_subshells_and_substitutions() {
        let cmds = parse(r#"FOO=1 echo "a b" 'c d' e\ f && (cd /x && make) && echo $(curl -s https://h.invalid | sha256sum)"#);
        assert_eq!(cmds[0].assignments[0].text, "FOO=1");
        assert_eq!(cmds[0].argv.iter().map(|w| w.text.as_str()).collect::<Vec<_>>(), ["echo", "a b", "c d", "e f"]);
        assert!(cmds.iter().any(|c| c.name() == Some("make") && c.depth == 1));
        let curl = cmds.iter().find(|c| c.name() == Some("curl")).unwrap();
        assert!(curl.substituted);
        let sha = cmds.iter().find(|c| c.name() == Some("sha256sum")).unwrap();
        assert_eq!(sha.joined, Joined::Pipe);
    }

    #[test]
    fn control_words_and_redirects() {
        let cmds = parse("if [ -f x ]; then apk add --no-cache git; fi > /dev/null 2>&1\nset -eux; { echo a; echo b; } >> /log");
        assert!(cmds.iter().any(|c| c.name() == Some("apk") && c.has_arg("--no-cache")));
        assert!(cmds.iter().any(|c| c.name() == Some("[")));
        assert!(cmds.iter().any(|c| c.name() == Some("set")));
        assert!(!cmds.iter().any(|c| c.name() == Some("then") || c.name() == Some("fi")));
    }

    #[test]
    fn case_patterns_are_not_commands_or_pipes() {
        let cmds = parse("case \"$arch\" in amd64|x86_64) A=x; echo amd ;; arm64) echo arm ;; *) exit 1 ;; esac && make");
        let got: Vec<(String, Joined)> =
            cmds.iter().map(|c| (c.argv.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" "), c.joined)).collect();
        assert!(!got.iter().any(|(_, j)| *j == Joined::Pipe), "{got:?}");
        assert!(got.iter().any(|(n, _)| n == "echo amd"), "{got:?}");
        assert!(got.iter().any(|(n, _)| n == "make"), "{got:?}");
        assert!(!got.iter().any(|(n, _)| n.contains("x86_64") || n.contains("arm64)")), "{got:?}");
    }

    #[test]
    fn hostile_scripts_do_not_panic() {
        for s in ["\"unterminated", "'x", "$(", "((((", "))))", "`", "a\\", "${", "é ü", "<<<", "&&&&", "|||", "$(a $(b) c"] {
            let _ = parse(s);
        }
        let long = "a && ".repeat(10_000);
        assert_eq!(parse(&long).len(), 10_000);
    }
}
