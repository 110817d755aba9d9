//! DF033 `apt-key`: apt-key is deprecated and trusts keys for every repository.

use crate::Context;
use crate::dockerfile::shell::Joined;

crate::declare_rule! {
    /// ## What it checks
    /// `apt-key add` and `apt-key adv` in RUN scripts (heredocs and ONBUILD
    /// RUN included), with or without `--keyring`.
    /// ## Why it matters
    /// `apt-key` puts the key in apt's global trust store, so it is accepted
    /// for every repository: a key added for one vendor's repository can
    /// sign packages that replace Debian's own. apt-key is deprecated and
    /// removed after Debian 12 / Ubuntu 24.04. Package integrity rests on
    /// each key signing only its repository (CIS Docker Benchmark 4.11
    /// verified packages; NIST 800-53 SI-7 software integrity).
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN curl -fsSL https://download.docker.com/linux/debian/gpg | apt-key add -
    /// ```
    /// ## Fix
    /// Store the key in its own keyring and scope it to the repository:
    /// `curl -fsSL <url> | gpg --dearmor -o /etc/apt/keyrings/vendor.gpg`, then
    /// `deb [signed-by=/etc/apt/keyrings/vendor.gpg] https://… stable main`.
    code = "DF033",
    name = "apt-key",
    level = Warning,
    summary = "apt-key is deprecated and trusts keys for every repository",
}

pub(crate) fn check(cx: &Context<'_>) {
    for run in &cx.model.runs {
        for (i, cmd) in run.commands.iter().enumerate() {
            if cmd.name() != Some("apt-key") {
                continue;
            }
            // Options come before the subcommand; `--keyring` takes a value.
            let mut sub = None;
            let mut k = 1;
            while let Some(w) = cmd.argv.get(k) {
                if w.text == "--keyring" {
                    k += 2;
                } else if w.text.starts_with('-') {
                    k += 1;
                } else {
                    sub = Some(k);
                    break;
                }
            }
            let Some(sub) = sub else { continue };
            let verb = cmd.argv[sub].text.as_str();
            if verb != "add" && verb != "adv" {
                continue;
            }
            let rest: Vec<&str> = cmd.argv[sub + 1..].iter().map(|w| w.text.as_str()).collect();
            let what = if verb == "adv" {
                match rest.iter().position(|a| *a == "--recv-keys" || *a == "--recv-key" || *a == "--recv") {
                    Some(p) => {
                        let ids: Vec<&str> = rest[p + 1..].iter().take_while(|a| !a.starts_with('-')).copied().collect();
                        if ids.is_empty() {
                            "a key from a keyserver".to_owned()
                        } else {
                            format!("key {} from a keyserver", ids.join(", "))
                        }
                    }
                    None => "a key".to_owned(),
                }
            } else {
                match rest.first() {
                    Some(&"-") | None => match piped_from(run, i) {
                        Some(url) => format!("the key from {url}"),
                        None => "a key from stdin".to_owned(),
                    },
                    Some(file) => format!("the key in `{file}`"),
                }
            };
            let first = &cmd.argv[0];
            let span = cx.model.script_span(run, first.start, cmd.argv[sub].end);
            cx.report_with_help(
                &META,
                span,
                format!("`apt-key {verb}` trusts {what} for every apt repository, not just the one it signs; apt-key is deprecated"),
                "write the key to /etc/apt/keyrings/<vendor>.gpg (`gpg --dearmor -o …` or `gpg --export`) and reference it from the source line: `deb [signed-by=/etc/apt/keyrings/<vendor>.gpg] https://… <suite> <component>`",
            );
        }
    }
}

/// The URL fetched by the command that pipes into `run.commands[i]`.
fn piped_from(run: &crate::dockerfile::RunScript, i: usize) -> Option<String> {
    let cmd = run.commands.get(i)?;
    if cmd.joined != Joined::Pipe {
        return None;
    }
    // Walk back through the pipeline (`curl … | gpg --dearmor | apt-key add -`).
    run.commands[..i].iter().rev().take(4).find_map(|c| c.args().find(|a| a.contains("://")).map(|u| format!("`{u}`")))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires(
            "DF033",
            "FROM debian:12\nRUN apt-get update \\\n && curl -fsSL https://download.docker.com/linux/debian/gpg | apt-key add - \\\n && apt-get install -y docker-ce\n",
        );
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (3, 63, 74));
        assert!(d[0].message.contains("https://download.docker.com/linux/debian/gpg"), "{}", d[0].message);
        let d = assert_fires(
            "DF033",
            "FROM ubuntu:22.04\nRUN apt-key adv --keyserver hkp://keyserver.ubuntu.com:80 --recv-keys 0xB1998361219BD9C9\n",
        );
        assert!(d[0].message.contains("key 0xB1998361219BD9C9"), "{}", d[0].message);
        assert_fires(
            "DF033",
            "FROM debian:12\nCOPY nodesource.gpg /tmp/\nRUN apt-key --keyring /etc/apt/trusted.gpg.d/node.gpg add /tmp/nodesource.gpg\n",
        );
        assert_fires(
            "DF033",
            "FROM debian:12\nRUN <<EOF\nset -e\nwget -qO- https://packages.example.com/key.asc | /usr/bin/apt-key add -\nEOF\n",
        );
        assert_fires("DF033", "FROM debian:12\nONBUILD RUN apt-key add /keys/repo.asc\n");
        assert_fires("DF033", "FROM debian:12\nRUN [\"/bin/sh\", \"-c\", \"apt-key add /tmp/k.asc\"]\n");
    }

    #[test]
    fn silent() {
        assert_silent(
            "DF033",
            "FROM debian:12\nRUN install -d -m 0755 /etc/apt/keyrings \\\n && curl -fsSL https://download.docker.com/linux/debian/gpg | gpg --dearmor -o /etc/apt/keyrings/docker.gpg \\\n && echo \"deb [signed-by=/etc/apt/keyrings/docker.gpg] https://download.docker.com/linux/debian bookworm stable\" > /etc/apt/sources.list.d/docker.list\n",
        );
        assert_silent("DF033", "FROM debian:12\nRUN apt-key list && apt-key fingerprint 0EBFCD88\n");
        assert_silent("DF033", "FROM debian:12\nRUN echo 'apt-key add' > /notes.txt\n");
    }
}
