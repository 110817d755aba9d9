//! Helpers for the RUN-script rules (DF004–DF018): every script a RUN
//! executes (exec form and ONBUILD included) with correct spans, command
//! wrappers (`sudo`, `env`, `xargs`…) peeled off, option parsing, and the
//! package managers' command lines.

use std::borrow::Cow;

use crate::Context;
use crate::dockerfile::ast::{Instruction, Keyword, Span};
use crate::dockerfile::shell::{Command, Joined, ShellWord};

/// One shell script a RUN executes.
pub(crate) struct Script<'a> {
    /// Index of the instruction (the ONBUILD itself for `ONBUILD RUN`).
    pub index: usize,
    /// The RUN (for `ONBUILD RUN`, the inner instruction, whose spans are right).
    pub run: &'a Instruction,
    pub commands: Cow<'a, [Command]>,
    heredoc: Option<usize>,
    /// The script of a `bash -c "…"` inside a RUN: word spans cover the whole quoted script.
    nested: bool,
}

impl Script<'_> {
    /// Source span of `[start, end)` in the script.
    pub fn span(&self, start: usize, end: usize) -> Span {
        match self.heredoc.and_then(|h| self.run.heredocs.get(h)) {
            Some(h) => Span::new((h.body_span.start + start).min(h.body_span.end), (h.body_span.start + end).min(h.body_span.end)),
            None => self.run.args_span(start, end),
        }
    }

    /// Source span from the start of `first` to the end of `last`.
    pub fn words_span(&self, first: &ShellWord, last: &ShellWord) -> Span {
        self.span(first.start, last.end.max(first.start))
    }

    /// The script text, when word offsets point into it (not for exec form,
    /// whose offsets cover the whole argument list).
    pub fn text(&self) -> Option<&str> {
        if self.run.exec.is_some() || self.nested {
            return None;
        }
        match self.heredoc {
            Some(h) => self.run.heredocs.get(h).map(|d| d.body.as_str()),
            None => Some(&self.run.args),
        }
    }
}

/// Every RUN script in the file, in instruction order: the model's
/// (shell form, heredocs, `["sh", "-c", …]`, ONBUILD RUN); exec-form
/// RUNs that run a program directly (`RUN ["apt-get", "install", "x"]`),
/// as one command whose words span the arguments; and the scripts of
/// `bash -c "…"` / `su -c "…"` inside them, whose words span the quoted
/// script (right after the script that runs them).
pub(crate) fn scripts<'a>(cx: &Context<'a>) -> Vec<Script<'a>> {
    let model = cx.model;
    let mut top: Vec<Script<'a>> = model
        .runs
        .iter()
        .map(|r| Script {
            index: r.instruction,
            run: effective(model.instruction(r.instruction)),
            commands: Cow::Borrowed(&r.commands),
            heredoc: r.heredoc,
            nested: false,
        })
        .collect();
    for (i, outer) in model.file.instructions.iter().enumerate() {
        let ins = effective(outer);
        if ins.keyword != Keyword::Run || model.runs.iter().any(|r| r.instruction == i) {
            continue;
        }
        let Some(argv) = &ins.exec else { continue };
        let words: Vec<ShellWord> =
            argv.iter().map(|a| ShellWord { text: a.clone(), start: 0, end: ins.args.len(), dynamic: a.contains('$') }).collect();
        if words.is_empty() {
            continue;
        }
        let command = Command { assignments: vec![], argv: words, joined: Joined::Start, depth: 0, substituted: false, redirects: vec![] };
        top.push(Script { index: i, run: ins, commands: Cow::Owned(vec![command]), heredoc: None, nested: false });
    }
    top.sort_by_key(|s| s.index);
    let mut out = Vec::with_capacity(top.len());
    for script in top {
        let mut inner = Vec::new();
        nested_scripts(&script.commands, 0, &mut inner);
        let (index, run, heredoc) = (script.index, script.run, script.heredoc);
        out.push(script);
        out.extend(inner.into_iter().map(|commands| Script { index, run, commands: Cow::Owned(commands), heredoc, nested: true }));
    }
    out
}

/// The scripts run by `sh -c '…'`, `bash -lc "…"`, `su - user -c "…"`,
/// parsed, their words spanning the script argument.
fn nested_scripts(commands: &[Command], level: usize, out: &mut Vec<Vec<Command>>) {
    if level >= 3 {
        return;
    }
    for cmd in commands {
        let words = argv(cmd);
        let Some(first) = words.first() else { continue };
        let name = base(&first.text);
        let script = if is_shell(name) {
            let Some(c) = words.iter().position(|w| {
                let t = w.text.as_str();
                t.starts_with('-') && !t.starts_with("--") && t[1..].chars().all(|c| c.is_ascii_alphabetic()) && t.contains('c')
            }) else {
                continue;
            };
            words[c + 1..].iter().find(|w| !w.text.starts_with('-'))
        } else if name == "su" || name == "runuser" {
            words.iter().position(|w| w.text == "-c" || w.text == "--command").and_then(|c| words.get(c + 1))
        } else {
            None
        };
        let Some(script) = script.filter(|w| !w.text.trim().is_empty()) else { continue };
        let mut parsed = crate::dockerfile::shell::parse(&script.text);
        for c in &mut parsed {
            for w in c.argv.iter_mut().chain(c.assignments.iter_mut()) {
                w.start = script.start;
                w.end = script.end;
            }
        }
        nested_scripts(&parsed, level + 1, out);
        out.push(parsed);
    }
}

/// The instruction that runs: ONBUILD's inner one, or itself.
pub(crate) fn effective(ins: &Instruction) -> &Instruction {
    match (&ins.keyword, &ins.onbuild) {
        (Keyword::Onbuild, Some(inner)) => inner,
        _ => ins,
    }
}

/// `/usr/bin/apt-get` -> `apt-get`.
pub(crate) fn base(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

/// Skips options (and the values of those in `with_value`) from `from`;
/// returns the index of the first operand.
fn skip_options(a: &[ShellWord], mut i: usize, with_value: &[&str]) -> usize {
    while let Some(w) = a.get(i) {
        let t = w.text.as_str();
        if t == "--" {
            return i + 1;
        }
        if !t.starts_with('-') || t == "-" {
            break;
        }
        i += if with_value.contains(&t) { 2 } else { 1 };
    }
    i
}

/// The command's words with wrappers removed: `sudo -E apt-get …`,
/// `env A=1 pip …`, `xargs -r apt-get install -y`, `nice -n 5 make`,
/// `timeout 60 curl …`. `command -v x` is a lookup and yields nothing.
pub(crate) fn argv(cmd: &Command) -> &[ShellWord] {
    let mut a = cmd.argv.as_slice();
    for _ in 0..8 {
        let Some(first) = a.first() else { break };
        let skip = match base(&first.text) {
            "sudo" | "doas" => skip_options(a, 1, &["-u", "-g", "-h", "-p", "-C", "-D", "-r", "-t", "-U", "-T", "--user", "--group"]),
            "env" => {
                let mut i = skip_options(a, 1, &["-u", "-C", "-S", "--unset", "--chdir", "--split-string"]);
                while a.get(i).is_some_and(|w| w.text.contains('=') && !w.text.starts_with('=')) {
                    i += 1;
                }
                i
            }
            "nice" => skip_options(a, 1, &["-n", "--adjustment"]),
            "ionice" => skip_options(a, 1, &["-c", "-n", "-p", "-t"]),
            "xargs" => skip_options(
                a,
                1,
                &["-n", "-I", "-P", "-d", "-L", "-s", "-E", "-a", "--max-args", "--max-procs", "--delimiter", "--arg-file"],
            ),
            "timeout" => skip_options(a, 1, &["-s", "-k", "--signal", "--kill-after"]) + 1,
            "stdbuf" => skip_options(a, 1, &["-i", "-o", "-e"]),
            "command" if a.get(1).is_some_and(|w| w.text.starts_with("-v") || w.text.starts_with("-V")) => return &[],
            "command" | "exec" | "nohup" | "time" | "eatmydata" | "builtin" | "chronic" => skip_options(a, 1, &["-a"]),
            "busybox" if a.len() > 1 => 1,
            _ => break,
        };
        a = a.get(skip..).unwrap_or(&[]);
    }
    a
}

/// Assignments that apply to the command's environment: `A=1 cmd` and `env A=1 cmd`.
pub(crate) fn assignments(cmd: &Command) -> impl Iterator<Item = &str> {
    let inner = argv(cmd).len();
    let wrappers = &cmd.argv[..cmd.argv.len().saturating_sub(inner)];
    cmd.assignments.iter().chain(wrappers.iter().filter(|w| w.text.contains('='))).map(|w| w.text.as_str())
}

/// An option word and its value, if it takes one.
pub(crate) struct Opt<'w> {
    pub word: &'w ShellWord,
    pub value: Option<&'w ShellWord>,
    /// Written before the subcommand (a global option).
    pub global: bool,
}

impl<'w> Opt<'w> {
    /// The option's name: `--output=x` -> `--output`.
    pub fn name(&self) -> &'w str {
        let t = self.word.text.as_str();
        if t.starts_with("--") { t.split_once('=').map(|(n, _)| n).unwrap_or(t) } else { t }
    }

    /// `--output=x` -> `x`, `--output x` -> `x`.
    pub fn arg(&self) -> Option<&'w str> {
        match self.word.text.split_once('=') {
            Some((_, v)) if self.word.text.starts_with("--") => Some(v),
            _ => self.value.map(|v| v.text.as_str()),
        }
    }

    /// A cluster of short options (`-qy`, not `-q=2` or `-oAPT::…`) contains `c`.
    pub fn short_has(&self, c: char) -> bool {
        let t = self.word.text.as_str();
        !t.starts_with("--") && t.len() > 1 && t[1..].chars().all(|c| c.is_ascii_alphanumeric()) && t[1..].contains(c)
    }
}

/// A command line split into options, subcommand and operands.
pub(crate) struct Invocation<'w> {
    /// The words after wrappers; `words[0]` is the program.
    pub words: &'w [ShellWord],
    pub sub: Option<&'w ShellWord>,
    pub opts: Vec<Opt<'w>>,
    /// Arguments after the subcommand (or after the program, without one).
    pub operands: Vec<&'w ShellWord>,
}

impl<'w> Invocation<'w> {
    /// Parses `words` (program first). `has_sub`: the first operand is a
    /// subcommand. `takes_value(option)`: the option consumes the next word.
    pub fn parse(words: &'w [ShellWord], has_sub: bool, takes_value: &dyn Fn(&str) -> bool) -> Invocation<'w> {
        let mut inv = Invocation { words, sub: None, opts: Vec::new(), operands: Vec::new() };
        let mut i = 1;
        let mut options_done = false;
        while let Some(w) = words.get(i) {
            let t = w.text.as_str();
            if !options_done && t == "--" {
                options_done = true;
            } else if !options_done && t.starts_with('-') && t.len() > 1 && !w.dynamic {
                let value = if !(t.starts_with("--") && t.contains('=')) && takes_value(t) { words.get(i + 1) } else { None };
                inv.opts.push(Opt { word: w, value, global: has_sub && inv.sub.is_none() });
                i += usize::from(value.is_some());
            } else if has_sub && inv.sub.is_none() {
                inv.sub = Some(w);
            } else {
                inv.operands.push(w);
            }
            i += 1;
        }
        inv
    }

    pub fn sub(&self) -> &str {
        self.sub.map(|w| w.text.as_str()).unwrap_or("")
    }

    pub fn has(&self, names: &[&str]) -> bool {
        self.opts.iter().any(|o| names.contains(&o.name()))
    }

    /// The program and subcommand words (`apt-get install`), for spans.
    pub fn head(&self) -> (&'w ShellWord, &'w ShellWord) {
        let first = &self.words[0];
        (first, self.sub.unwrap_or(first))
    }
}

/// OS package managers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pm {
    /// `apt-get` and `apt`.
    Apt,
    Aptitude,
    Apk,
    /// `yum`, `dnf`, `microdnf`, `tdnf`.
    Yum,
    Zypper,
    Pacman,
}

pub(crate) struct PkgCommand<'w> {
    pub pm: Pm,
    /// The program name as called (`apt-get`, `dnf`, …).
    pub tool: &'w str,
    pub inv: Invocation<'w>,
}

impl PkgCommand<'_> {
    pub fn sub(&self) -> &str {
        self.inv.sub()
    }

    /// `tool sub` as written, for messages.
    pub fn head_text(&self) -> String {
        match self.inv.sub {
            Some(s) => format!("{} {}", self.tool, s.text),
            None => self.tool.to_owned(),
        }
    }

    /// Installs packages (`apt-get install`, `apk add`, `dnf install`, `zypper in`, `pacman -S`).
    pub fn is_install(&self) -> bool {
        match self.pm {
            Pm::Apt | Pm::Aptitude => self.sub() == "install",
            Pm::Apk => self.sub() == "add",
            Pm::Yum => matches!(self.sub(), "install" | "groupinstall" | "localinstall" | "reinstall"),
            Pm::Zypper => matches!(self.sub(), "install" | "in"),
            Pm::Pacman => self.pacman_op() == Some('S') && !self.inv.operands.is_empty(),
        }
    }

    /// pacman's operation letter (`-Syu` -> `S`).
    pub fn pacman_op(&self) -> Option<char> {
        self.inv.opts.iter().find_map(|o| match o.name() {
            "--sync" => Some('S'),
            "--upgrade" => Some('U'),
            "--remove" => Some('R'),
            t if !t.starts_with("--") => t.chars().skip(1).find(|c| c.is_ascii_uppercase()),
            _ => None,
        })
    }
}

fn apt_value(o: &str) -> bool {
    matches!(o, "-o" | "-c" | "-t" | "--option" | "--config-file" | "--target-release" | "--default-release")
}

fn apk_value(o: &str) -> bool {
    matches!(
        o,
        "-X" | "--repository"
            | "-p"
            | "--root"
            | "--arch"
            | "--cache-dir"
            | "--keys-dir"
            | "--repositories-file"
            | "-t"
            | "--virtual"
            | "--cache-max-age"
            | "--timeout"
    )
}

fn yum_value(o: &str) -> bool {
    matches!(
        o,
        "-c" | "--config"
            | "-d"
            | "--debuglevel"
            | "-e"
            | "--errorlevel"
            | "-x"
            | "--exclude"
            | "--installroot"
            | "--releasever"
            | "--enablerepo"
            | "--disablerepo"
            | "--repo"
            | "--repoid"
            | "--setopt"
            | "-R"
            | "--randomwait"
            | "--downloaddir"
            | "--destdir"
            | "--forcearch"
            | "--color"
            | "--repofrompath"
            | "--advisory"
            | "--cve"
            | "--bz"
            | "--sec-severity"
    )
}

fn zypper_value(o: &str) -> bool {
    matches!(
        o,
        "-R" | "--root"
            | "-c"
            | "--config"
            | "-D"
            | "--reposd-dir"
            | "-C"
            | "--cache-dir"
            | "--raw-cache-dir"
            | "--solv-cache-dir"
            | "--pkg-cache-dir"
            | "-r"
            | "--repo"
            | "--from"
            | "-t"
            | "--type"
            | "--download"
    )
}

fn pacman_value(o: &str) -> bool {
    matches!(
        o,
        "-r" | "-b"
            | "--root"
            | "--dbpath"
            | "--cachedir"
            | "--config"
            | "--arch"
            | "--gpgdir"
            | "--hookdir"
            | "--logfile"
            | "--ignore"
            | "--ignoregroup"
            | "--overwrite"
            | "--assume-installed"
    )
}

/// Recognizes an OS package manager call.
pub(crate) fn pkg_command(cmd: &Command) -> Option<PkgCommand<'_>> {
    let words = argv(cmd);
    let tool = base(&words.first()?.text);
    let (pm, has_sub, takes): (Pm, bool, fn(&str) -> bool) = match tool {
        // `xx-apt-get` and `xx-apk` (tonistiigi/xx) install for the target platform.
        "apt-get" | "apt" | "xx-apt-get" | "xx-apt" => (Pm::Apt, true, apt_value),
        "aptitude" => (Pm::Aptitude, true, apt_value),
        "apk" | "xx-apk" => (Pm::Apk, true, apk_value),
        "yum" | "dnf" | "dnf5" | "microdnf" | "tdnf" => (Pm::Yum, true, yum_value),
        "zypper" => (Pm::Zypper, true, zypper_value),
        "pacman" => (Pm::Pacman, false, pacman_value),
        _ => return None,
    };
    Some(PkgCommand { pm, tool, inv: Invocation::parse(words, has_sub, &takes) })
}

/// Targets of `--mount=type=cache` and `--mount=type=tmpfs` on a RUN.
pub(crate) fn cache_mounts(run: &Instruction) -> Vec<String> {
    run.flags
        .iter()
        .filter(|f| f.name.eq_ignore_ascii_case("mount"))
        .filter_map(|f| {
            let mut kind = "bind";
            let mut target = None;
            for kv in f.value.as_deref()?.split(',') {
                let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                match k.trim() {
                    "type" => kind = v.trim(),
                    "target" | "dst" | "destination" => target = Some(v.trim().trim_end_matches('/')),
                    _ => {}
                }
            }
            if kind == "cache" || kind == "tmpfs" { target.map(str::to_owned) } else { None }
        })
        .collect()
}

/// A cache or tmpfs mount holds `dir` or something inside it.
pub(crate) fn mounted(run: &Instruction, dirs: &[&str]) -> bool {
    cache_mounts(run).iter().any(|t| dirs.iter().any(|d| covers(t, d) || covers(d, t)))
}

/// `path` is `dir` or inside it.
fn covers(dir: &str, path: &str) -> bool {
    !dir.is_empty() && (path == dir || path.strip_prefix(dir).is_some_and(|r| r.starts_with('/')))
}

/// Some `rm` in `commands` deletes `dir`, its contents (`dir/*`), or a parent of it.
pub(crate) fn removes<'c>(commands: impl IntoIterator<Item = &'c Command>, dir: &str) -> bool {
    commands.into_iter().any(|c| {
        let a = argv(c);
        a.first().is_some_and(|w| base(&w.text) == "rm")
            && a.iter().skip(1).filter(|w| !w.text.starts_with('-')).any(|w| {
                let p = w.text.trim_end_matches('*').trim_end_matches('/');
                p.matches('/').count() >= 2 && (covers(p, dir) || covers(dir, p))
            })
    })
}

/// Commands of all scripts of the RUN at instruction `index` (arguments and heredocs).
pub(crate) fn run_commands<'s>(scripts: &'s [Script<'_>], index: usize) -> impl Iterator<Item = &'s Command> {
    scripts.iter().filter(move |s| s.index == index).flat_map(|s| s.commands.iter())
}

/// Index of the command whose output `commands[i]` reads through `|`.
pub(crate) fn pipe_source(commands: &[Command], i: usize) -> Option<usize> {
    let cmd = commands.get(i)?;
    if cmd.joined != Joined::Pipe {
        return None;
    }
    (0..i).rev().find(|&j| commands[j].substituted == cmd.substituted && commands[j].depth <= cmd.depth)
}

/// Index of the command reading `commands[i]`'s output through `|`.
pub(crate) fn pipe_sink(commands: &[Command], i: usize) -> Option<usize> {
    let cmd = commands.get(i)?;
    let j = (i + 1..commands.len()).find(|&j| commands[j].substituted == cmd.substituted && commands[j].depth <= cmd.depth)?;
    (commands[j].joined == Joined::Pipe && commands[j].depth == cmd.depth).then_some(j)
}

/// Where a `curl` or `wget` call writes what it downloads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Output {
    Stdout,
    File(String),
    /// Nothing kept (`-o /dev/null`, `--head`, `--spider`, uploads).
    Nothing,
}

/// A `curl`/`wget` download: its URL (as written) and where it goes.
pub(crate) struct Download<'w> {
    pub tool: &'w str,
    pub url: Option<&'w str>,
    pub output: Output,
}

fn curl_value(o: &str) -> bool {
    // Short options that take a value; in a cluster (`-fsSLo file`) only the last may.
    const SHORT: &str = "AbcCdDeEFHKmoPQrtTuUwxXyYz";
    if let Some(rest) = o.strip_prefix("--") {
        return matches!(
            rest,
            "output"
                | "url"
                | "header"
                | "data"
                | "data-raw"
                | "data-binary"
                | "data-urlencode"
                | "user"
                | "user-agent"
                | "retry"
                | "retry-delay"
                | "retry-max-time"
                | "max-time"
                | "connect-timeout"
                | "proto"
                | "proto-redir"
                | "cacert"
                | "capath"
                | "cert"
                | "key"
                | "resolve"
                | "interface"
                | "limit-rate"
                | "referer"
                | "request"
                | "write-out"
                | "config"
                | "cookie"
                | "cookie-jar"
                | "continue-at"
                | "range"
                | "form"
                | "max-redirs"
                | "proxy"
                | "proxy-user"
                | "noproxy"
                | "output-dir"
                | "dump-header"
                | "upload-file"
                | "time-cond"
                | "netrc-file"
                | "pinnedpubkey"
                | "trace"
                | "trace-ascii"
                | "stderr"
                | "tls-max"
                | "ciphers"
                | "speed-limit"
                | "speed-time"
                | "max-filesize"
                | "create-file-mode"
                | "dns-servers"
                | "local-port"
        );
    }
    o.chars().last().is_some_and(|c| SHORT.contains(c)) && o.len() >= 2
}

fn wget_value(o: &str) -> bool {
    const SHORT: &str = "OoaPtTwiBeUQlARDIX";
    if let Some(rest) = o.strip_prefix("--") {
        return matches!(
            rest,
            "output-document"
                | "output-file"
                | "append-output"
                | "directory-prefix"
                | "tries"
                | "timeout"
                | "wait"
                | "input-file"
                | "base"
                | "execute"
                | "user-agent"
                | "quota"
                | "level"
                | "accept"
                | "reject"
                | "domains"
                | "header"
                | "user"
                | "password"
                | "http-user"
                | "http-password"
                | "post-data"
                | "post-file"
                | "method"
                | "body-data"
                | "ca-certificate"
                | "ca-directory"
                | "certificate"
                | "private-key"
                | "limit-rate"
                | "dns-timeout"
                | "connect-timeout"
                | "read-timeout"
        );
    }
    // `-nv`, `-nc`, `-nd`, `-nH`, `-np` are two-letter flags without a value.
    !o.starts_with("-n") && o.chars().last().is_some_and(|c| SHORT.contains(c)) && o.len() >= 2
}

/// The value of a short option letter inside a cluster: `-qO-` -> `-`, `-fsSLo` + next word.
fn short_value<'w>(o: &Opt<'w>, letter: char) -> Option<&'w str> {
    let t = o.word.text.as_str();
    if t.starts_with("--") || !t.starts_with('-') {
        return None;
    }
    let pos = t[1..].find(letter)? + 1;
    let rest = &t[pos + letter.len_utf8()..];
    if rest.is_empty() { o.value.map(|v| v.text.as_str()) } else { Some(rest) }
}

fn url_basename(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let name = path.trim_end_matches('/').rsplit('/').next().unwrap_or(path);
    if name.is_empty() || name.contains(':') { "index.html".to_owned() } else { name.to_owned() }
}

fn output_target(path: &str) -> Output {
    match path {
        "-" | "/dev/stdout" => Output::Stdout,
        "/dev/null" => Output::Nothing,
        p => Output::File(p.to_owned()),
    }
}

/// Recognizes `curl` and `wget` (busybox's too) and where their download goes.
pub(crate) fn download(cmd: &Command) -> Option<Download<'_>> {
    let words = argv(cmd);
    let tool = base(&words.first()?.text);
    let redirect = cmd.redirects.iter().find(|r| !r.starts_with('&') && r.as_str() != "/dev/stderr");
    match tool {
        "curl" => {
            let inv = Invocation::parse(words, false, &curl_value);
            let url_opt = inv.opts.iter().find(|o| o.name() == "--url").and_then(|o| o.arg());
            let url = url_opt.or_else(|| inv.operands.first().map(|w| w.text.as_str()));
            let mut output = None;
            for o in &inv.opts {
                let name = o.name();
                if matches!(name, "--head" | "--upload-file") || o.short_has('I') || o.short_has('T') {
                    output = Some(Output::Nothing);
                } else if name == "--output" {
                    output = o.arg().map(output_target);
                } else if matches!(name, "--remote-name" | "--remote-name-all") {
                    output = Some(Output::File(url.map(url_basename).unwrap_or_default()));
                } else if let Some(v) = short_value(o, 'o') {
                    output = Some(output_target(v));
                } else if o.short_has('O') {
                    output = Some(Output::File(url.map(url_basename).unwrap_or_default()));
                }
            }
            let output = output.unwrap_or_else(|| match redirect {
                Some(r) => output_target(r),
                None => Output::Stdout,
            });
            Some(Download { tool, url, output })
        }
        "wget" => {
            let inv = Invocation::parse(words, false, &wget_value);
            let url = inv.operands.first().map(|w| w.text.as_str());
            let mut output = Output::File(url.map(url_basename).unwrap_or_default());
            for o in &inv.opts {
                if o.name() == "--spider" {
                    output = Output::Nothing;
                } else if o.name() == "--output-document" {
                    if let Some(v) = o.arg() {
                        output = output_target(v);
                    }
                } else if let Some(v) = short_value(o, 'O') {
                    output = output_target(v);
                } else if o.name() == "--directory-prefix" || short_value(o, 'P').is_some() {
                    let dir = o.arg().or_else(|| short_value(o, 'P')).unwrap_or(".");
                    if let Output::File(f) = &output {
                        output = Output::File(format!("{}/{f}", dir.trim_end_matches('/')));
                    }
                }
            }
            Some(Download { tool, url, output })
        }
        _ => None,
    }
}

/// Shells that run a script (`sh`, `bash`, …).
pub(crate) fn is_shell(name: &str) -> bool {
    matches!(name, "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh" | "mksh" | "fish")
}

/// `python3.12`, `perl`, `ruby`, `node`, `php`: interpreters that run a program from stdin.
pub(crate) fn is_interpreter(name: &str) -> bool {
    let versioned = |p: &str| name.strip_prefix(p).is_some_and(|r| r.chars().all(|c| c.is_ascii_digit() || c == '.'));
    versioned("python") || versioned("perl") || versioned("ruby") || versioned("php") || matches!(name, "node" | "nodejs")
}

/// A shell or interpreter reading the program it runs from stdin
/// (`sh`, `bash -s -- -y`, `python3 -`), not from `-c` or a file.
pub(crate) fn runs_stdin(words: &[ShellWord]) -> bool {
    let Some(first) = words.first() else { return false };
    let name = base(&first.text);
    if is_shell(name) {
        let inv = Invocation::parse(words, false, &|o| matches!(o, "-o" | "+o" | "-O" | "--rcfile" | "--init-file"));
        let opts_have = |c: char| inv.opts.iter().any(|o| o.short_has(c));
        !opts_have('c') && (opts_have('s') || inv.operands.first().is_none_or(|w| matches!(w.text.as_str(), "-" | "/dev/stdin")))
    } else if is_interpreter(name) {
        let inv = Invocation::parse(words, false, &|o| matches!(o, "-W" | "-X"));
        let program_flag = inv.opts.iter().any(|o| ['c', 'e', 'm', 'E', 'p', 'r'].into_iter().any(|c| o.short_has(c)))
            || inv.opts.iter().any(|o| matches!(o.name(), "--eval" | "--print" | "--require"));
        !program_flag && inv.operands.first().is_none_or(|w| matches!(w.text.as_str(), "-" | "/dev/stdin"))
    } else {
        false
    }
}

/// `items` for a message: `a, b, c` or `a, b, c and 4 more`.
pub(crate) fn list(items: &[String]) -> String {
    const SHOW: usize = 6;
    if items.len() <= SHOW {
        items.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
    } else {
        let shown = items[..SHOW].iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ");
        format!("{shown} and {} more", items.len() - SHOW)
    }
}
