//! `/etc/passwd`, `/etc/group` and `/etc/shadow`: the accounts an image
//! ships, for the hardening checks (who is uid 0, who can log in, which
//! passwords are empty or weakly hashed). Password hashes are never kept:
//! only what kind of hash a line has.

use crate::analyzer::{Analyzer, EntryInfo, FactKind};
use crate::entry::FileKind;

/// One `passwd` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasswdEntry {
    pub name: String,
    pub uid: Option<u32>,
    pub gid: Option<u32>,
    pub shell: String,
}

/// What a `shadow` password field holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordState {
    /// Empty: login without a password.
    Empty,
    /// `*`, `!`, `!!`, `!…`: no password login.
    Locked,
    /// DES (13 chars) or MD5 (`$1$`): crackable.
    Weak,
    /// SHA-256/512 (`$5$`, `$6$`), bcrypt, yescrypt, …
    Strong,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Accounts {
    Passwd(Vec<PasswdEntry>),
    /// (group name, gid, members)
    Group(Vec<(String, Option<u32>, Vec<String>)>),
    /// (user name, password state)
    Shadow(Vec<(String, PasswordState)>),
}

pub struct AccountsAnalyzer;

impl Analyzer for AccountsAnalyzer {
    fn name(&self) -> &'static str {
        "accounts"
    }
    fn wants(&self, entry: &EntryInfo<'_>) -> bool {
        *entry.kind == FileKind::File && matches!(entry.path, "etc/passwd" | "etc/group" | "etc/shadow")
    }
    fn analyze(&self, entry: &EntryInfo<'_>, content: &[u8]) -> Result<Vec<FactKind>, String> {
        let text = String::from_utf8_lossy(content);
        let lines = text.lines().map(str::trim_end).filter(|l| !l.is_empty() && !l.starts_with('#'));
        let accounts = match entry.path {
            "etc/passwd" => Accounts::Passwd(
                lines
                    .filter_map(|l| {
                        let f: Vec<&str> = l.split(':').collect();
                        (f.len() >= 7).then(|| PasswdEntry {
                            name: f[0].to_owned(),
                            uid: f[2].parse().ok(),
                            gid: f[3].parse().ok(),
                            shell: f[6].to_owned(),
                        })
                    })
                    .collect(),
            ),
            "etc/group" => Accounts::Group(
                lines
                    .filter_map(|l| {
                        let f: Vec<&str> = l.split(':').collect();
                        (f.len() >= 4).then(|| {
                            let members = f[3].split(',').filter(|m| !m.is_empty()).map(str::to_owned).collect();
                            (f[0].to_owned(), f[2].parse().ok(), members)
                        })
                    })
                    .collect(),
            ),
            _ => Accounts::Shadow(
                lines
                    .filter_map(|l| {
                        let mut f = l.split(':');
                        let name = f.next()?.to_owned();
                        let hash = f.next().unwrap_or("");
                        Some((name, password_state(hash)))
                    })
                    .collect(),
            ),
        };
        Ok(vec![FactKind::Accounts(accounts)])
    }
}

pub fn password_state(hash: &str) -> PasswordState {
    if hash.is_empty() {
        PasswordState::Empty
    } else if hash.starts_with('!') || hash.starts_with('*') || hash == "x" {
        PasswordState::Locked
    } else if hash.starts_with("$1$") || (hash.len() == 13 && !hash.starts_with('$')) {
        PasswordState::Weak
    } else {
        PasswordState::Strong
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(path: &str, content: &str) -> Accounts {
        let e = EntryInfo { path, kind: &FileKind::File, size: content.len() as u64, mode: 0o644 };
        match AccountsAnalyzer.analyze(&e, content.as_bytes()).unwrap().remove(0) {
            FactKind::Accounts(a) => a,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn passwd_and_shadow() {
        let Accounts::Passwd(p) =
            run("etc/passwd", "root:x:0:0:root:/root:/bin/bash\n# comment\nbad line\napp:x:10001:10001::/srv:/usr/sbin/nologin\n")
        else {
            panic!()
        };
        assert_eq!(p.len(), 2);
        assert_eq!((p[1].name.as_str(), p[1].uid, p[1].shell.as_str()), ("app", Some(10001), "/usr/sbin/nologin"));
        let Accounts::Shadow(s) = run(
            "etc/shadow",
            "root::19000:0:99999:7:::\ndaemon:*:19000::::::\nold:abJnggxhB/yWI:1::::::\nmd5:$1$salt$hash:1::::::\nok:$6$salt$hash:1::::::\n",
        ) else {
            panic!()
        };
        assert_eq!(
            s.iter().map(|(_, st)| *st).collect::<Vec<_>>(),
            [PasswordState::Empty, PasswordState::Locked, PasswordState::Weak, PasswordState::Weak, PasswordState::Strong]
        );
    }
}
