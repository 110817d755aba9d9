//! DF026 `chmod-777`: World-writable permissions set.

use crate::Context;
use crate::dockerfile::shell::{Command, Joined, ShellWord};

crate::declare_rule! {
    /// ## What it checks
    /// `chmod` in a RUN (also under `find -exec` and `xargs`) that makes
    /// files world-writable: an octal mode whose "other" digit has the write
    /// bit (`777`, `0777`, `666`, `-R 777`), or a symbolic mode granting `w`
    /// to `o` or `a` (`a+rwx`, `o+w`, `ugo=rwx`). Modes with the sticky bit
    /// (`1777`, `+t`, the standard for `/tmp`-like directories) are exempt.
    /// In a second message, modes that set setuid or setgid (`u+s`, `g+s`,
    /// `4755`, `2755`); setgid on directories (made by `mkdir` in the same
    /// RUN, `find -type d`, `-R`, a trailing `/`) only sets group inheritance
    /// and is exempt.
    /// ## Why it matters
    /// A world-writable file can be changed by any process in the
    /// container, whatever user it runs as: a binary or script replaced by a
    /// compromised low-privilege process runs with the next caller's
    /// rights. Setuid/setgid binaries turn such footholds into root (CIS
    /// Docker Benchmark 4.8; NIST 800-53 AC-6 least privilege, CM-6).
    /// ## Example
    /// ```dockerfile
    /// RUN chmod -R 777 /app
    /// ```
    /// ## Fix
    /// Give ownership to the runtime user and keep modes tight:
    /// `COPY --chown=app:app …`, `chmod 755` for programs, `750`/`640` for
    /// data; remove setuid bits (`chmod u-s`) instead of adding them.
    code = "DF026",
    name = "chmod-777",
    level = Warning,
    summary = "World-writable permissions set",
}

pub(crate) fn check(cx: &Context<'_>) {
    for run in &cx.model.runs {
        for (idx, c) in run.commands.iter().enumerate() {
            let Some(name) = c.name() else { continue };
            // The chmod words: the command itself, or after `find -exec` / `xargs`.
            let start = match name {
                "chmod" => Some(0),
                "find" => c
                    .argv
                    .windows(2)
                    .position(|w| matches!(w[0].text.as_str(), "-exec" | "-execdir" | "-ok") && base(&w[1].text) == "chmod")
                    .map(|p| p + 1),
                "xargs" => c.argv.iter().position(|w| base(&w.text) == "chmod"),
                _ => None,
            };
            let Some(start) = start else { continue };
            let Some((mode_word, targets)) = mode_and_targets(&c.argv[start + 1..]) else { continue };
            let Some(mode) = Mode::parse(&mode_word.text) else { continue };
            let span = cx.model.script_span(run, mode_word.start, mode_word.end);
            let recursive = c.argv[start + 1..]
                .iter()
                .any(|w| w.text == "--recursive" || (w.text.starts_with('-') && !w.text.starts_with("--") && w.text.contains('R')));
            // Setgid on a directory only makes new files inherit its group: not an escalation.
            let dirs = recursive || directories(&run.commands[..idx], c, &targets);
            let targets = if targets.is_empty() { "the files".to_owned() } else { targets.join(" ") };
            if mode.world_writable && !mode.sticky {
                cx.report_with_help(
                    &META,
                    span,
                    format!("`chmod {}` makes {targets} world-writable: any process in the container can change them", mode_word.text),
                    "chown the files to the runtime user and use a tight mode (`755` for programs, `640`/`750` for data)",
                );
            }
            if mode.setuid || (mode.setgid && !dirs) {
                let bit = if mode.setuid { "setuid" } else { "setgid" };
                cx.report_with_help(
                    &META,
                    span,
                    format!("`chmod {}` sets the {bit} bit on {targets}: a privilege escalation path (CIS 4.8)", mode_word.text),
                    "do not add setuid/setgid bits in the image; run the program as the user it needs to be",
                );
            }
        }
    }
}

/// Whether the chmod's targets are directories: created by an earlier
/// `mkdir`, written with a trailing `/`, or selected by `find -type d`.
fn directories(before: &[Command], c: &Command, targets: &[&str]) -> bool {
    let find_dirs = |f: &Command| f.name() == Some("find") && f.argv.windows(2).any(|w| w[0].text == "-type" && w[1].text == "d");
    let made =
        |t: &str| before.iter().any(|b| b.name() == Some("mkdir") && b.args().any(|a| a.trim_end_matches('/') == t.trim_end_matches('/')));
    match c.name() {
        Some("find") => find_dirs(c),
        Some("xargs") => c.joined == Joined::Pipe && before.last().is_some_and(find_dirs),
        _ => !targets.is_empty() && targets.iter().all(|t| t.ends_with('/') || made(t)),
    }
}

fn base(w: &str) -> &str {
    w.rsplit('/').next().unwrap_or(w)
}

/// After `chmod`: the mode word (first non-option) and the targets.
fn mode_and_targets(words: &[ShellWord]) -> Option<(&ShellWord, Vec<&str>)> {
    let mut iter = words.iter().enumerate();
    while let Some((i, w)) = iter.next() {
        let t = w.text.as_str();
        if t == "--" {
            let (_, m) = iter.next()?;
            return Some((m, targets(words.get(i + 2..).unwrap_or(&[]))));
        }
        if t.starts_with("--reference") {
            return None;
        }
        // `-R`, `-v`, `--recursive`; a symbolic mode like `-w` is not an option.
        if t.starts_with('-') && (t.starts_with("--") || t[1..].chars().all(|c| "RfvcH".contains(c))) && t.len() > 1 {
            continue;
        }
        if w.dynamic {
            return None;
        }
        return Some((w, targets(&words[i + 1..])));
    }
    None
}

/// The files a chmod changes (up to the end of a `find -exec`).
fn targets(words: &[ShellWord]) -> Vec<&str> {
    words.iter().map(|w| w.text.as_str()).take_while(|t| *t != ";" && *t != "+").filter(|t| *t != "{}").collect()
}

#[derive(Debug, Default, PartialEq)]
struct Mode {
    world_writable: bool,
    sticky: bool,
    setuid: bool,
    setgid: bool,
}

impl Mode {
    fn parse(m: &str) -> Option<Mode> {
        if !m.is_empty() && m.chars().all(|c| c.is_digit(8)) {
            let v = u32::from_str_radix(m, 8).ok()?;
            if m.len() > 4 || v > 0o7777 {
                return None;
            }
            return Some(Mode {
                world_writable: v & 0o002 != 0,
                sticky: v & 0o1000 != 0,
                setuid: v & 0o4000 != 0,
                setgid: v & 0o2000 != 0,
            });
        }
        let mut mode = Mode::default();
        for clause in m.split(',') {
            let op_at = clause.find(['+', '-', '='])?;
            let who = &clause[..op_at];
            if !who.chars().all(|c| "ugoa".contains(c)) {
                return None;
            }
            // A clause can chain operations: `u+x-w`.
            let mut rest = &clause[op_at..];
            while let Some(op) = rest.chars().next() {
                let perms_end = rest[1..].find(['+', '-', '=']).map(|p| p + 1).unwrap_or(rest.len());
                let perms = &rest[1..perms_end];
                if !perms.chars().all(|c| "rwxXstugo".contains(c)) {
                    return None;
                }
                if op != '-' {
                    if perms.contains('w') && (who.contains('o') || who.contains('a')) {
                        mode.world_writable = true;
                    }
                    if perms.contains('t') {
                        mode.sticky = true;
                    }
                    // `+s` with no `who` or with u/g/a sets setuid/setgid; `o+s` does nothing.
                    if perms.contains('s') {
                        let all = who.is_empty() || who.contains('a');
                        mode.setuid |= all || who.contains('u');
                        mode.setgid |= all || who.contains('g');
                    }
                }
                rest = &rest[perms_end..];
            }
        }
        Some(mode)
    }
}

#[cfg(test)]
mod tests {
    use super::Mode;
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires("DF026", "FROM alpine:3.20\nRUN mkdir -p /app/data \\\n && chmod -R 777 /app/data\n");
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (3, 14, 17));
        assert!(d[0].message.contains("/app/data world-writable"), "{}", d[0].message);
        assert_fires("DF026", "FROM alpine:3.20\nRUN chmod 0777 /entrypoint.sh\n");
        assert_fires("DF026", "FROM alpine:3.20\nRUN chmod 666 /var/log/app.log\n");
        assert_fires("DF026", "FROM alpine:3.20\nRUN chmod a+rwx /srv && chmod o+w /etc/app.conf\n");
        assert_fires("DF026", "FROM alpine:3.20\nRUN find /app -type d -exec chmod 777 {} \\;\n");
        assert_fires("DF026", "FROM alpine:3.20\nRUN <<EOF\nchmod ugo=rwx /opt/tool\nEOF\n");
        assert_fires("DF026", "FROM alpine:3.20\nONBUILD RUN chmod 777 /app\n");
        let d = assert_fires("DF026", "FROM alpine:3.20\nRUN chmod u+s /usr/local/bin/tool\n");
        assert!(d[0].message.contains("setuid"));
        assert_fires("DF026", "FROM alpine:3.20\nRUN chmod 4755 /usr/bin/helper\n");
        let d = assert_fires("DF026", "FROM alpine:3.20\nRUN chmod 6777 /x\n");
        assert_eq!(d.len(), 2, "world-writable and setuid are separate messages");
        let d = assert_fires("DF026", "FROM alpine:3.20\nRUN chmod g+s /usr/bin/wall\n");
        assert!(d[0].message.contains("setgid bit on /usr/bin/wall"), "{}", d[0].message);
        // World-writable without the sticky bit, even on a directory.
        let d = assert_fires("DF026", "FROM postgres:16\nRUN mkdir -p /var/run/postgresql && chmod 2777 /var/run/postgresql\n");
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn silent() {
        assert_silent("DF026", "FROM alpine:3.20\nRUN chmod 755 /entrypoint.sh && chmod +x /usr/local/bin/*\n");
        assert_silent("DF026", "FROM alpine:3.20\nRUN mkdir -p /tmp/cache && chmod 1777 /tmp/cache\n");
        assert_silent("DF026", "FROM alpine:3.20\nRUN chmod a+rwx,+t /scratch && chmod o-w /etc/x && chmod -w /etc/y\n");
        assert_silent("DF026", "FROM alpine:3.20\nRUN chmod g+rwX /app && chmod u-s /usr/bin/x\n");
        assert_silent("DF026", "FROM alpine:3.20\nRUN chmod \"$MODE\" /app && chmod --reference=/a /b\n");
        assert_silent("DF026", "FROM alpine:3.20\nCOPY --chmod=755 app /app\n");
        // Setgid directories (group inheritance) and sticky world-writable ones.
        assert_silent("DF026", "FROM postgres:16\nRUN mkdir -p /var/run/postgresql && chmod 3777 /var/run/postgresql\n");
        assert_silent("DF026", "FROM node:20\nRUN mkdir -p ${NPM_GLOBAL} \\\n && chmod g+s ${NPM_GLOBAL}\n");
        assert_silent(
            "DF026",
            "FROM python:3.12\nRUN find /opt -type d | xargs -n 1 chmod g+s && chmod -R g+s /srv && chmod 2775 /data/\n",
        );
    }

    #[test]
    fn modes() {
        assert_eq!(Mode::parse("777"), Some(Mode { world_writable: true, ..Mode::default() }));
        assert_eq!(Mode::parse("2775"), Some(Mode { setgid: true, ..Mode::default() }));
        assert_eq!(Mode::parse("+s"), Some(Mode { setuid: true, setgid: true, ..Mode::default() }));
        assert_eq!(Mode::parse("u+x-w,o=r"), Some(Mode::default()));
        assert_eq!(Mode::parse("/etc"), None);
        assert_eq!(Mode::parse("99"), None);
        assert_eq!(Mode::parse("+"), Some(Mode::default()));
    }
}
