//! DF041 `root-left-after-root-step`: USER root switched to for a step and not switched back.

use crate::dockerfile::ast::{Keyword, Span};
use crate::dockerfile::words;
use crate::{Context, LineIndex};

crate::declare_rule! {
    /// ## What it checks
    /// In a stage other than the final one (DF001 covers that): `USER root` (or
    /// `0`, `root:…`) after a non-root `USER`, with no later `USER` in the stage
    /// switching back. One report per stage, at the switch to root.
    /// ## Why it matters
    /// Taking root back "for one step" leaves every later step of the stage, and
    /// every stage built `FROM` it, running as root. Seed 000 and the hardening
    /// guide (stage 2.8) switch back after the privileged step (CIS Docker
    /// Benchmark 4.1; NIST 800-53 AC-6 least privilege).
    /// ## Example
    /// ```dockerfile
    /// FROM node:20 AS base
    /// USER node
    /// RUN npm ci
    /// USER root
    /// RUN apt-get update && apt-get install -y --no-install-recommends git
    /// FROM base
    /// ```
    /// ## Fix
    /// Add `USER node` again after the `RUN` that needed root.
    code = "DF041",
    name = "root-left-after-root-step",
    level = Warning,
    summary = "USER root switched to for a step and not switched back",
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Who {
    Root,
    NonRoot,
    /// A variable without a value: could be anyone.
    Unknown,
}

pub(crate) fn check(cx: &Context<'_>) {
    let stages = &cx.model.stages;
    let Some((_, not_final)) = stages.split_last() else { return };
    let mut lines: Option<LineIndex> = None;
    for stage in not_final {
        let users: Vec<(usize, String, Who)> = cx
            .model
            .stage_instructions(stage)
            .filter(|(_, ins)| ins.keyword == Keyword::User)
            .map(|(i, ins)| {
                let scope = cx.model.scope_at(i);
                let (user, known) = words::expand(ins.args.trim(), cx.model.file.escape, &|n| scope.get(n).cloned());
                let name = user.split(':').next().unwrap_or("").trim().to_owned();
                let who = match name.as_str() {
                    _ if !known || name.is_empty() || name.contains('$') => Who::Unknown,
                    "root" | "0" => Who::Root,
                    _ => Who::NonRoot,
                };
                (i, user.trim().to_owned(), who)
            })
            .collect();
        let Some(last_other) = users.iter().rposition(|(_, _, w)| *w != Who::Root) else { continue };
        let (dropped_at, dropped_to, who) = &users[last_other];
        if *who != Who::NonRoot {
            continue;
        }
        let Some((root_at, root_as, _)) = users[last_other + 1..].iter().find(|(_, _, w)| *w == Who::Root) else { continue };
        let lines = lines.get_or_insert_with(|| LineIndex::new(cx.source()));
        let ins = cx.model.instruction(*root_at);
        let (dropped_line, _) = lines.position(cx.model.instruction(*dropped_at).span.start);
        let stage_name = stage.name.clone().map(|n| format!("stage `{n}`")).unwrap_or_else(|| format!("stage {}", stage.index));
        let heirs: Vec<String> = stages
            .iter()
            .filter(|s| s.base_stage == Some(stage.index))
            .map(|s| s.name.clone().map(|n| format!("`{n}`")).unwrap_or_else(|| s.index.to_string()))
            .collect();
        let mut message = format!(
            "`USER {root_as}` takes root back after `USER {dropped_to}` (line {dropped_line}) and {stage_name} never switches back, so its later steps run as root"
        );
        if !heirs.is_empty() {
            message.push_str(&format!("; stage {} is built FROM it and starts as root", heirs.join(", ")));
        }
        cx.report_with_help(
            &META,
            Span::new(ins.source_offset(0), ins.span.end),
            message,
            format!("add `USER {dropped_to}` after the step that needs root"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires(
            "DF041",
            "FROM node:20 AS base\nUSER node\nRUN npm ci\nUSER root\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends git\nFROM base\nUSER node\n",
        );
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (4, 6, 10));
        assert!(d[0].message.contains("after `USER node` (line 2)"), "{}", d[0].message);
        assert!(d[0].message.contains("stage 1 is built FROM it"), "{}", d[0].message);
        assert_eq!(d[0].help.as_deref(), Some("add `USER node` after the step that needs root"));
        // `0:0`, an ARG-resolved user, twice root: one report at the first switch.
        let d = assert_fires(
            "DF041",
            "FROM debian:12 AS build\nARG APP=builder\nUSER ${APP}\nRUN make\nUSER 0:0\nRUN make install\nUSER root\nFROM scratch\nUSER 10001\n",
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].line, 5);
        assert!(d[0].message.contains("`USER builder`"), "{}", d[0].message);
        // Back and forth, ending on root.
        let d = assert_fires("DF041", "FROM a:1 AS x\nUSER app\nUSER root\nUSER app\nUSER root\nRUN x\nFROM b:1\n");
        assert_eq!(d[0].line, 5);
    }

    #[test]
    fn silent() {
        // Switched back: seed 000's pattern.
        assert_silent("DF041", "FROM fips-base:1 AS app\nUSER root\nRUN yum install -y x\nUSER testUser\nFROM scratch\n");
        assert_silent("DF041", "FROM a:1 AS x\nUSER app\nUSER root\nRUN x\nUSER app:app\nFROM b:1\n");
        // Root only, never dropped.
        assert_silent("DF041", "FROM a:1 AS x\nUSER root\nRUN x\nFROM b:1\n");
        // The final stage is DF001's.
        assert_silent("DF041", "FROM a:1\nUSER app\nUSER root\n");
        // An unresolved variable may switch back; an unresolved earlier user is not judged.
        assert_silent("DF041", "FROM a:1 AS x\nUSER app\nUSER root\nUSER ${RUNTIME_USER}\nFROM b:1\n");
        assert_silent("DF041", "FROM a:1 AS x\nUSER $U\nUSER root\nFROM b:1\n");
    }
}
