//! DF027 `ssh-server`: SSH server exposed or installed.

use crate::Context;
use crate::dockerfile::ast::{Instruction, Keyword, Span};
use crate::dockerfile::shell::{self, Command};
use crate::dockerfile::words;

crate::declare_rule! {
    /// ## What it checks
    /// `EXPOSE 22` (also `22/tcp`, after variable expansion); installing an
    /// SSH server (`openssh-server`, `dropbear`, Debian's `ssh`, Alpine's
    /// `openssh`) with apt-get / apt / apk / yum / dnf / microdnf / zypper;
    /// starting one (`sshd`, `dropbear`, `service ssh start`,
    /// `systemctl enable sshd`, `rc-update add sshd`) in RUN, CMD or ENTRYPOINT.
    /// ## Why it matters
    /// A container is not a server to log in to: an SSH daemon adds a
    /// network-facing authentication surface, long-lived credentials and a
    /// second process to patch, and bypasses the orchestrator's access
    /// control and audit (STIG for containers, seed 003: no remote
    /// administration inside containers; NIST 800-53 CM-7, AC-17).
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends openssh-server
    /// EXPOSE 22
    /// CMD ["/usr/sbin/sshd", "-D"]
    /// ```
    /// ## Fix
    /// Remove the SSH server; get a shell with `docker exec -it <ctr> sh` or
    /// `kubectl exec -it <pod> -- sh`, and ship files with the image or a volume.
    code = "DF027",
    name = "ssh-server",
    level = Warning,
    summary = "SSH server exposed or installed",
}

const HELP: &str = "do not run SSH in a container: use `docker exec` / `kubectl exec` for a shell";

pub(crate) fn check(cx: &Context<'_>) {
    let escape = cx.model.file.escape;
    for (i, ins) in super::secret_in_config::with_onbuild(cx.model) {
        match ins.keyword {
            Keyword::Expose => {
                let scope = cx.model.scope_at(i);
                for w in words::split(&ins.args, escape) {
                    let (port, _) = words::expand(&w.text, escape, &|n| scope.get(n).cloned());
                    let number = port.split('/').next().unwrap_or("");
                    let proto = port.split('/').nth(1).unwrap_or("tcp");
                    if number == "22" && proto.eq_ignore_ascii_case("tcp") {
                        cx.report_with_help(
                            &META,
                            ins.args_span(w.start, w.end),
                            format!("`EXPOSE {}` publishes the SSH port", w.text),
                            HELP,
                        );
                    }
                }
            }
            Keyword::Cmd | Keyword::Entrypoint => {
                if let Some(span) = runs_server(ins) {
                    cx.report_with_help(&META, span, format!("{} starts an SSH server in the container", ins.keyword.as_str()), HELP);
                }
            }
            _ => {}
        }
    }
    for run in &cx.model.runs {
        for c in &run.commands {
            if let Some((what, start, end)) = installs_server(c).or_else(|| starts_server(c)) {
                cx.report_with_help(&META, cx.model.script_span(run, start, end), what, HELP);
            }
        }
    }
}

/// CMD / ENTRYPOINT running sshd or dropbear (exec form, or shell form parsed).
fn runs_server(ins: &Instruction) -> Option<Span> {
    let whole = ins.args_span(0, ins.args.len());
    if let Some(argv) = &ins.exec {
        let first = argv.first().map(|a| base(a))?;
        if is_daemon(first) {
            return Some(whole);
        }
        if matches!(first, "sh" | "bash" | "ash" | "dash") && argv.get(1).is_some_and(|f| f.starts_with('-') && f.contains('c')) {
            let script = argv.get(2)?;
            return shell::parse(script).iter().any(|c| c.name().is_some_and(is_daemon) || starts_server(c).is_some()).then_some(whole);
        }
        return None;
    }
    shell::parse(&ins.args).iter().find_map(|c| {
        let w = c.argv.first()?;
        (c.name().is_some_and(is_daemon) || starts_server(c).is_some()).then(|| ins.args_span(w.start, w.end))
    })
}

fn base(w: &str) -> &str {
    w.rsplit('/').next().unwrap_or(w)
}

fn is_daemon(name: &str) -> bool {
    matches!(name, "sshd" | "dropbear")
}

/// `apt-get install openssh-server` and friends: the message and the package word's range.
fn installs_server(c: &Command) -> Option<(String, usize, usize)> {
    let name = c.name()?;
    let sub = c.args().find(|a| !a.starts_with('-'))?;
    let installing = match name {
        "apt-get" | "apt" | "aptitude" => sub == "install",
        "apk" => sub == "add",
        "yum" | "dnf" | "microdnf" | "tdnf" => sub == "install",
        "zypper" => sub == "install" || sub == "in",
        _ => false,
    };
    if !installing {
        return None;
    }
    c.argv.iter().skip(1).find_map(|w| {
        // Strip a version pin: `openssh-server=1:9.2p1-2`, `openssh~=9`.
        let pkg = w.text.split(['=', '~', '>', '<']).next().unwrap_or("");
        let server = matches!(pkg, "openssh-server" | "dropbear" | "dropbear-bin" | "openssh-server-pam")
            || (pkg == "ssh" && matches!(name, "apt-get" | "apt" | "aptitude"))
            || (pkg == "openssh" && name == "apk");
        let client = match (name, pkg) {
            ("apk", "openssh") => " (Alpine's `openssh` pulls in the server; install `openssh-client` for ssh and git over ssh)",
            (_, "ssh") => " (Debian's `ssh` pulls in the server; install `openssh-client` for ssh and git over ssh)",
            _ => "",
        };
        server.then(|| (format!("`{name} {sub} {}` installs an SSH server in the image{client}", w.text), w.start, w.end))
    })
}

/// `sshd`, `service ssh start`, `systemctl enable sshd`, `rc-update add sshd`.
fn starts_server(c: &Command) -> Option<(String, usize, usize)> {
    let name = c.name()?;
    let w = c.argv.first()?;
    let args: Vec<&str> = c.args().collect();
    let ssh = |s: &str| matches!(s, "ssh" | "sshd" | "ssh.service" | "sshd.service" | "dropbear");
    let starts = match name {
        "sshd" | "dropbear" => true,
        "service" => args.first().is_some_and(|s| ssh(s)),
        "systemctl" => matches!(args.first(), Some(&"enable" | &"start")) && args.iter().skip(1).any(|s| ssh(s)),
        "rc-update" => args.first() == Some(&"add") && args.get(1).is_some_and(|s| ssh(s)),
        _ => false,
    };
    let end = c.argv.last().map(|l| l.end).unwrap_or(w.end);
    starts.then(|| {
        (
            format!(
                "`{}` runs an SSH server in the container",
                std::iter::once(name).chain(args.iter().copied()).collect::<Vec<_>>().join(" ")
            ),
            w.start,
            end,
        )
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires("DF027", "FROM debian:12\nEXPOSE 80 22/tcp\n");
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (2, 11, 17));
        assert!(d[0].message.contains("`EXPOSE 22/tcp`"));
        assert_fires("DF027", "FROM debian:12\nARG SSH_PORT=22\nEXPOSE $SSH_PORT\n");
        let d = assert_fires(
            "DF027",
            "FROM debian:12\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends \\\n      openssh-server=1:9.2p1-2 \\\n && rm -rf /var/lib/apt/lists/*\n",
        );
        assert_eq!((d[0].line, d[0].column), (4, 7));
        assert!(d[0].message.contains("openssh-server"));
        assert_fires("DF027", "FROM alpine:3.20\nRUN apk add --no-cache openssh\n");
        assert_fires("DF027", "FROM alpine:3.20\nRUN apk add --no-cache dropbear\n");
        assert_fires("DF027", "FROM rockylinux:9\nRUN dnf install -y openssh-server && dnf clean all\n");
        assert_fires("DF027", "FROM opensuse/leap:15.6\nRUN zypper --non-interactive in openssh-server\n");
        assert_fires("DF027", "FROM debian:12\nCMD [\"/usr/sbin/sshd\", \"-D\"]\n");
        assert_fires("DF027", "FROM debian:12\nENTRYPOINT service ssh start && exec tail -f /dev/null\n");
        assert_fires("DF027", "FROM debian:12\nRUN <<EOF\nmkdir /run/sshd\nsystemctl enable ssh\nEOF\n");
        assert_fires("DF027", "FROM debian:12\nONBUILD EXPOSE 22\n");
    }

    #[test]
    fn silent() {
        assert_silent("DF027", "FROM debian:12\nEXPOSE 80 443 2222 22/udp\n");
        assert_silent("DF027", "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends openssh-client git\n");
        assert_silent("DF027", "FROM alpine:3.20\nRUN apk add --no-cache openssh-client openssh-keygen\n");
        assert_silent("DF027", "FROM alpine:3.20\nRUN apk del openssh-server\n");
        assert_silent("DF027", "FROM debian:12\nRUN ssh-keyscan github.com >> /etc/ssh/ssh_known_hosts\nCMD [\"ssh\", \"-V\"]\n");
    }
}
