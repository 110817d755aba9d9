//! The Dockerfile parser: BuildKit's grammar, hand-written.
//!
//! Why not a crate: `parse-dockerfile` (the best candidate) rejects valid
//! files in our corpus (`ENTRYPOINT []`, used by 41 official-image
//! Dockerfiles) and stops at the first error; a linter must keep going and
//! say where Docker would stop. The grammar is small: parser directives at
//! the top, logical lines joined by the escape character (comment and empty
//! lines inside a continuation are dropped, as BuildKit does), instruction
//! flags, JSON (exec) or shell form, heredocs after RUN/COPY/ADD, and ONBUILD.
//!
//! Never panics: every index into the source is checked, and problems
//! become located [`ParseError`]s while parsing goes on.

use super::ast::{Comment, Directive, Dockerfile, Flag, Heredoc, Instruction, Keyword, ParseError, Span};

/// A physical line: `[start, end)` without the line terminator.
#[derive(Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
}

fn lines_of(source: &str, from: usize) -> Vec<Line> {
    let mut out = Vec::new();
    let bytes = source.as_bytes();
    let mut start = from;
    let mut i = from;
    while i < bytes.len() {
        if bytes[i] == b'\n' {
            let end = if i > start && bytes[i - 1] == b'\r' { i - 1 } else { i };
            out.push(Line { start, end });
            start = i + 1;
        }
        i += 1;
    }
    if start < bytes.len() {
        let end = if bytes[bytes.len() - 1] == b'\r' { bytes.len() - 1 } else { bytes.len() };
        out.push(Line { start, end: end.max(start) });
    }
    out
}

const DIRECTIVES: &[&str] = &["syntax", "escape", "check"];

/// Parses a Dockerfile. Always returns a tree; `errors` says what Docker
/// would reject.
pub fn parse(source: &str) -> Dockerfile {
    let mut df = Dockerfile { source: source.to_owned(), escape: '\\', ..Dockerfile::default() };
    let body_start = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let lines = lines_of(source, body_start);
    let text = |l: &Line| &source[l.start..l.end];

    // Parser directives: only at the very top; the first line that is not
    // one (a comment, a blank line, an instruction) ends them.
    let mut i = 0;
    while let Some(line) = lines.get(i) {
        let Some((name, value)) = directive(text(line)) else { break };
        if df.directives.iter().any(|d| d.name == name) {
            // A repeated directive is a comment from here on.
            break;
        }
        if name == "escape" {
            match value.as_str() {
                "\\" => df.escape = '\\',
                "`" => df.escape = '`',
                other => df.errors.push(ParseError {
                    message: format!("invalid escape directive `{other}`: only \\ and ` are allowed"),
                    span: Span::new(line.start, line.end),
                }),
            }
        }
        df.directives.push(Directive { name, value, span: Span::new(line.start, line.end) });
        i += 1;
    }

    while i < lines.len() {
        let line = lines[i];
        let t = text(&line);
        let trimmed = t.trim_start();
        if trimmed.is_empty() {
            i += 1;
            continue;
        }
        if let Some(c) = trimmed.strip_prefix('#') {
            df.comments.push(Comment { text: c.trim().to_owned(), span: Span::new(line.start + (t.len() - trimmed.len()), line.end) });
            i += 1;
            continue;
        }
        let (instruction, next) = instruction_at(source, &lines, i, df.escape, &mut df.comments, &mut df.errors);
        df.instructions.push(instruction);
        i = next;
    }

    check_structure(&mut df);
    df
}

/// `# name=value` with a known directive name.
fn directive(line: &str) -> Option<(String, String)> {
    let rest = line.trim_start().strip_prefix('#')?;
    let (name, value) = rest.split_once('=')?;
    let name = name.trim().to_ascii_lowercase();
    if !DIRECTIVES.contains(&name.as_str()) || name.contains(char::is_whitespace) {
        return None;
    }
    Some((name, value.trim().to_owned()))
}

/// Reads the instruction starting at `lines[first]`: joins continuations,
/// splits flags, reads exec form and heredoc bodies. Returns the index of
/// the next unread line.
fn instruction_at(
    source: &str,
    lines: &[Line],
    first: usize,
    escape: char,
    comments: &mut Vec<Comment>,
    errors: &mut Vec<ParseError>,
) -> (Instruction, usize) {
    let line = lines[first];
    let t = &source[line.start..line.end];
    let lead = t.len() - t.trim_start().len();
    let kw_start = line.start + lead;
    let kw_len = source[kw_start..line.end].find(|c: char| c.is_whitespace()).unwrap_or(line.end - kw_start);
    let keyword_text = &source[kw_start..kw_start + kw_len];
    let keyword = Keyword::parse(keyword_text);
    let keyword_span = Span::new(kw_start, kw_start + kw_len);

    // Join the logical line.
    let mut args = String::new();
    let mut map: Vec<(usize, usize)> = Vec::new();
    let mut pos = kw_start + kw_len;
    let mut idx = first;
    let mut end;
    loop {
        let l = lines[idx];
        let content = &source[pos..l.end];
        let trimmed = content.trim_end();
        let continued = trimmed.ends_with(escape);
        let piece = if continued { &trimmed[..trimmed.len() - escape.len_utf8()] } else { content };
        if !piece.is_empty() {
            map.push((args.len(), pos));
            args.push_str(piece);
        }
        end = l.end;
        idx += 1;
        if !continued {
            break;
        }
        // Skip comment and empty lines inside the continuation.
        while let Some(next) = lines.get(idx) {
            let nt = &source[next.start..next.end];
            let ntrim = nt.trim_start();
            if ntrim.is_empty() {
                idx += 1;
            } else if let Some(c) = ntrim.strip_prefix('#') {
                comments.push(Comment { text: c.trim().to_owned(), span: Span::new(next.start + (nt.len() - ntrim.len()), next.end) });
                idx += 1;
            } else {
                break;
            }
        }
        match lines.get(idx) {
            Some(next) => pos = next.start,
            None => break,
        }
    }

    let mut instruction = Instruction {
        keyword,
        keyword_span,
        span: Span::new(kw_start, end),
        flags: Vec::new(),
        args: String::new(),
        args_map: Vec::new(),
        exec: None,
        heredocs: Vec::new(),
        onbuild: None,
    };
    fill_arguments(&mut instruction, args, map, escape, errors);

    // Heredoc bodies follow the instruction's last line.
    if matches!(instruction.keyword, Keyword::Run | Keyword::Copy | Keyword::Add) && instruction.exec.is_none() {
        for (delimiter, strip_tabs, expand) in heredoc_markers(&instruction.args, escape) {
            let body_first = idx;
            let mut body = String::new();
            let mut closed = false;
            while let Some(l) = lines.get(idx) {
                idx += 1;
                let lt = &source[l.start..l.end];
                let candidate = if strip_tabs { lt.trim_start_matches('\t') } else { lt };
                if candidate == delimiter {
                    closed = true;
                    break;
                }
                body.push_str(candidate);
                body.push('\n');
            }
            let body_span = match (lines.get(body_first), closed) {
                (Some(b), true) => Span::new(b.start, lines[idx - 1].start.saturating_sub(1).max(b.start)),
                (Some(b), false) => Span::new(b.start, lines.last().map(|l| l.end).unwrap_or(b.start)),
                (None, _) => Span::new(end, end),
            };
            if !closed {
                errors.push(ParseError {
                    message: format!("heredoc `<<{delimiter}` is never closed by a `{delimiter}` line"),
                    span: instruction.span,
                });
            }
            instruction.heredocs.push(Heredoc { delimiter, strip_tabs, expand, body, body_span });
        }
    }
    if let Keyword::Unknown(word) = &instruction.keyword {
        errors.push(ParseError { message: format!("unknown instruction `{word}`"), span: instruction.keyword_span });
    }
    (instruction, idx)
}

/// Splits flags off the front of the joined arguments (for the
/// instructions that take them), reads exec form, and parses ONBUILD's
/// inner instruction.
fn fill_arguments(instr: &mut Instruction, args: String, map: Vec<(usize, usize)>, escape: char, errors: &mut Vec<ParseError>) {
    let takes_flags = matches!(instr.keyword, Keyword::From | Keyword::Run | Keyword::Copy | Keyword::Add | Keyword::Healthcheck);
    let mut offset = leading_ws(&args, 0);
    if takes_flags {
        loop {
            let rest = &args[offset..];
            if !rest.starts_with("--") {
                break;
            }
            let len = word_len(rest, escape);
            let word = &rest[..len];
            let body = &word[2..];
            let (name, value) = match body.split_once('=') {
                Some((n, v)) => (n.to_owned(), Some(unquote(v))),
                None => (body.to_owned(), None),
            };
            let span = span_in(&map, instr.span.start, offset, offset + len);
            instr.flags.push(Flag { name, value, span });
            offset = leading_ws(&args, offset + len);
        }
    }
    // Shift the map so offsets are relative to the remaining arguments.
    let remaining = args[offset..].trim_end().to_owned();
    let mut shifted = Vec::new();
    for (i, &(a, s)) in map.iter().enumerate() {
        let next_a = map.get(i + 1).map(|m| m.0).unwrap_or(usize::MAX);
        if next_a <= offset {
            continue;
        }
        if a >= offset {
            shifted.push((a - offset, s));
        } else {
            shifted.push((0, s + (offset - a)));
        }
    }
    instr.args = remaining;
    instr.args_map = shifted;

    if matches!(
        instr.keyword,
        Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Shell | Keyword::Volume | Keyword::Copy | Keyword::Add
    ) && instr.args.starts_with('[')
        && let Ok(list) = serde_json::from_str::<Vec<String>>(&instr.args)
    {
        instr.exec = Some(list);
    }
    if instr.keyword == Keyword::Shell && instr.exec.is_none() {
        errors.push(ParseError {
            message: "SHELL must be written in JSON form: SHELL [\"executable\", \"parameters\"]".into(),
            span: instr.span,
        });
    }
    if instr.keyword == Keyword::Onbuild {
        let inner_text = instr.args.clone();
        let kw_len = inner_text.find(char::is_whitespace).unwrap_or(inner_text.len());
        let keyword = Keyword::parse(&inner_text[..kw_len]);
        if matches!(keyword, Keyword::Onbuild | Keyword::From | Keyword::Maintainer) {
            errors.push(ParseError { message: format!("ONBUILD cannot trigger {}", keyword.as_str()), span: instr.span });
        }
        let inner_start = instr.source_offset(0);
        let mut inner = Instruction {
            keyword,
            keyword_span: Span::new(inner_start, inner_start + kw_len),
            span: Span::new(inner_start, instr.span.end),
            flags: Vec::new(),
            args: String::new(),
            args_map: Vec::new(),
            exec: None,
            heredocs: Vec::new(),
            onbuild: None,
        };
        let rest = inner_text[kw_len..].to_owned();
        let inner_map: Vec<(usize, usize)> = vec![(0, instr.source_offset(kw_len))];
        fill_arguments(&mut inner, rest, inner_map, escape, errors);
        instr.onbuild = Some(Box::new(inner));
    }
}

fn leading_ws(s: &str, from: usize) -> usize {
    from + s.get(from..).map(|r| r.len() - r.trim_start().len()).unwrap_or(0)
}

/// Length of the word at the start of `s`: up to unquoted whitespace.
fn word_len(s: &str, escape: char) -> usize {
    let mut quote: Option<char> = None;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == escape => {
                chars.next();
            }
            None if c.is_whitespace() => return i,
            None => {}
        }
    }
    s.len()
}

fn unquote(v: &str) -> String {
    let v = v.trim();
    if v.len() >= 2 && ((v.starts_with('"') && v.ends_with('"')) || (v.starts_with('\'') && v.ends_with('\''))) {
        v[1..v.len() - 1].to_owned()
    } else {
        v.to_owned()
    }
}

fn span_in(map: &[(usize, usize)], fallback: usize, start: usize, end: usize) -> Span {
    let at = |off: usize| {
        let i = map.partition_point(|(a, _)| *a <= off);
        match i.checked_sub(1).and_then(|i| map.get(i)) {
            Some((a, s)) => s + (off - a),
            None => fallback,
        }
    };
    Span::new(at(start), at(end.saturating_sub(1)) + usize::from(end > start))
}

/// `<<EOF`, `<<-EOF`, `<<"EOF"`, `<<'EOF'` outside quotes, in order:
/// (delimiter, strip tabs, expand variables).
pub fn heredoc_markers(args: &str, escape: char) -> Vec<(String, bool, bool)> {
    let mut out = Vec::new();
    let bytes = args.as_bytes();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c as char == escape => i += 1,
            None if c == b'<' && bytes.get(i + 1) == Some(&b'<') && bytes.get(i + 2) != Some(&b'<') && (i == 0 || bytes[i - 1] != b'<') => {
                let mut j = i + 2;
                let strip = bytes.get(j) == Some(&b'-');
                if strip {
                    j += 1;
                }
                let q = match bytes.get(j) {
                    Some(b'"') | Some(b'\'') => {
                        j += 1;
                        Some(bytes[j - 1])
                    }
                    _ => None,
                };
                let start = j;
                while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_' || bytes[j] == b'-' || bytes[j] == b'.') {
                    j += 1;
                }
                if j > start {
                    let word = args[start..j].to_owned();
                    if let Some(q) = q {
                        if bytes.get(j) == Some(&q) {
                            j += 1;
                        } else {
                            i = j;
                            continue;
                        }
                    }
                    out.push((word, strip, q.is_none()));
                }
                i = j;
                continue;
            }
            None => {}
        }
        i += 1;
    }
    out
}

/// What Docker checks before building: a FROM first (after global ARGs).
fn check_structure(df: &mut Dockerfile) {
    let first_non_arg = df.instructions.iter().find(|i| i.keyword != Keyword::Arg);
    match first_non_arg {
        None if df.instructions.is_empty() => df
            .errors
            .push(ParseError { message: "the file has no instructions (Docker needs at least a FROM)".into(), span: Span::new(0, 0) }),
        None => df.errors.push(ParseError { message: "no FROM instruction".into(), span: Span::new(0, 0) }),
        Some(i) if i.keyword != Keyword::From => {
            if !matches!(i.keyword, Keyword::Unknown(_)) {
                df.errors.push(ParseError {
                    message: format!("{} before the first FROM (only ARG may come before FROM)", i.keyword.as_str()),
                    span: i.keyword_span,
                });
            }
        }
        Some(_) => {}
    }
    for i in &df.instructions {
        let needs_args = !matches!(i.keyword, Keyword::Unknown(_) | Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck);
        if needs_args && i.args.is_empty() && i.heredocs.is_empty() {
            df.errors.push(ParseError { message: format!("{} needs arguments", i.keyword.as_str()), span: i.span });
        }
    }
}
