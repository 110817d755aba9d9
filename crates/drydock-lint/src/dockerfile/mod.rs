//! The Dockerfile front end: [`parse`](parse::parse) into the [`ast`], then
//! [`Model`]: stages, the base image each stage resolves to (build args
//! and ENV substituted, with their scoping), and every RUN's shell commands.

pub mod ast;
pub mod parse;
pub mod shell;
pub mod words;

use std::collections::HashMap;

use ast::{Dockerfile, Instruction, Keyword, Span};

/// One build stage: its FROM and the instructions after it.
#[derive(Clone, Debug)]
pub struct Stage {
    pub index: usize,
    /// `AS name`, lower-cased as BuildKit compares them.
    pub name: Option<String>,
    /// Index of the FROM instruction in [`Dockerfile::instructions`].
    pub from: usize,
    /// Indices of the instructions that belong to the stage (after FROM).
    pub body: std::ops::Range<usize>,
    /// The base as written (`alpine:${V}`).
    pub base_written: String,
    /// The base with build args substituted; `None` when a variable had no value.
    pub base: Option<String>,
    /// The base names an earlier stage (`FROM builder`).
    pub base_stage: Option<usize>,
    /// `--platform` flag value, if any.
    pub platform: Option<String>,
}

/// A RUN's shell commands, with offsets mapped back to the source.
#[derive(Clone, Debug)]
pub struct RunScript {
    /// Index of the RUN instruction.
    pub instruction: usize,
    pub commands: Vec<shell::Command>,
    /// From a heredoc body (offsets are into that body) rather than the arguments.
    pub heredoc: Option<usize>,
}

/// The parsed file plus what rules need to know about it.
#[derive(Debug)]
pub struct Model {
    pub file: Dockerfile,
    pub stages: Vec<Stage>,
    pub runs: Vec<RunScript>,
    /// ARGs declared before the first FROM, with their defaults.
    pub global_args: Vec<(String, Option<String>)>,
}

impl Model {
    pub fn new(file: Dockerfile) -> Model {
        let escape = file.escape;
        let mut global_args = Vec::new();
        let mut stages: Vec<Stage> = Vec::new();
        for (i, ins) in file.instructions.iter().enumerate() {
            match &ins.keyword {
                Keyword::Arg if stages.is_empty() => {
                    for (k, v) in words::pairs(&ins.args, escape, false) {
                        global_args.push((k.text, v));
                    }
                }
                Keyword::From => {
                    if let Some(last) = stages.last_mut() {
                        last.body.end = i;
                    }
                    let ws = words::split(&ins.args, escape);
                    let base_written = ws.first().map(|w| w.text.clone()).unwrap_or_default();
                    let name = match ws.as_slice() {
                        [_, kw, name, ..] if kw.text.eq_ignore_ascii_case("as") => Some(name.text.to_ascii_lowercase()),
                        _ => None,
                    };
                    let lookup = |n: &str| global_args.iter().rev().find(|(k, _)| k == n).and_then(|(_, v)| v.clone());
                    let (expanded, known) = words::expand(&base_written, escape, &lookup);
                    let base = known.then_some(expanded);
                    let base_stage = base
                        .as_deref()
                        .and_then(|b| stages.iter().position(|s| s.name.as_deref() == Some(b.to_ascii_lowercase().as_str())));
                    stages.push(Stage {
                        index: stages.len(),
                        name,
                        from: i,
                        body: i + 1..file.instructions.len(),
                        base_written,
                        base,
                        base_stage,
                        platform: ins.flag("platform").and_then(|f| f.value.clone()),
                    });
                }
                _ => {}
            }
        }
        let mut runs = Vec::new();
        for (i, ins) in file.instructions.iter().enumerate() {
            runs.extend(run_scripts(i, ins));
        }
        Model { file, stages, runs, global_args }
    }

    pub fn instruction(&self, i: usize) -> &Instruction {
        &self.file.instructions[i]
    }

    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    /// The stage an instruction belongs to.
    pub fn stage_of(&self, instruction: usize) -> Option<&Stage> {
        self.stages.iter().rev().find(|s| s.from <= instruction)
    }

    /// The stage of instruction `at`, then the stages it is built `FROM`
    /// (a stage can only build on an earlier one, so this ends).
    pub fn stage_chain(&self, at: usize) -> impl Iterator<Item = &Stage> {
        let mut next = self.stage_of(at);
        std::iter::from_fn(move || {
            let s = next?;
            next = s.base_stage.filter(|b| *b < s.index).and_then(|b| self.stages.get(b));
            Some(s)
        })
    }

    /// Instructions of a stage with their indices.
    pub fn stage_instructions<'a>(&'a self, stage: &Stage) -> impl Iterator<Item = (usize, &'a Instruction)> + 'a {
        let range = stage.body.clone();
        range.map(move |i| (i, &self.file.instructions[i]))
    }

    /// Source span of a word in a RUN script.
    pub fn script_span(&self, run: &RunScript, start: usize, end: usize) -> Span {
        let outer = self.instruction(run.instruction);
        // An ONBUILD RUN's script offsets are into the inner instruction's arguments.
        let ins = outer.onbuild.as_deref().unwrap_or(outer);
        match run.heredoc.and_then(|h| ins.heredocs.get(h)) {
            // Heredoc bodies are copied verbatim (tabs aside), so offsets carry over.
            Some(h) => Span::new((h.body_span.start + start).min(h.body_span.end), (h.body_span.start + end).min(h.body_span.end)),
            None => ins.args_span(start, end),
        }
    }

    /// Variables visible at instruction `at` in its stage: global ARGs
    /// redeclared in the stage, the stage's ARGs and ENVs before `at`.
    pub fn scope_at(&self, at: usize) -> HashMap<String, String> {
        let mut scope = HashMap::new();
        let Some(stage) = self.stage_of(at) else {
            for (k, v) in &self.global_args {
                if let Some(v) = v {
                    scope.insert(k.clone(), v.clone());
                }
            }
            return scope;
        };
        for i in stage.body.start..at.min(stage.body.end) {
            let ins = &self.file.instructions[i];
            match ins.keyword {
                Keyword::Arg => {
                    for (k, v) in words::pairs(&ins.args, self.file.escape, false) {
                        let global = self.global_args.iter().rev().find(|(g, _)| *g == k.text).and_then(|(_, v)| v.clone());
                        if let Some(v) = v.or(global) {
                            scope.insert(k.text, v);
                        }
                    }
                }
                Keyword::Env => {
                    for (k, v) in words::pairs(&ins.args, self.file.escape, true) {
                        scope.insert(k.text, v.unwrap_or_default());
                    }
                }
                _ => {}
            }
        }
        scope
    }
}

/// The shell scripts a RUN executes: its shell-form arguments, and heredoc
/// bodies fed to a shell (`RUN <<EOF` or `RUN bash <<EOF`).
fn run_scripts(i: usize, ins: &Instruction) -> Vec<RunScript> {
    let ins = match (&ins.keyword, &ins.onbuild) {
        (Keyword::Onbuild, Some(inner)) if inner.keyword == Keyword::Run => inner.as_ref(),
        (Keyword::Run, _) => ins,
        _ => return Vec::new(),
    };
    let mut out = Vec::new();
    match &ins.exec {
        // Exec form runs no shell unless it names one: `["sh", "-c", "…"]`.
        Some(argv) => {
            if let [sh, flag, script, ..] = argv.as_slice()
                && is_shell(sh)
                && flag.starts_with('-')
                && flag.contains('c')
            {
                // Offsets of an exec-form script cannot be mapped exactly; point at the instruction.
                let mut commands = shell::parse(script);
                for c in &mut commands {
                    for w in c.argv.iter_mut().chain(c.assignments.iter_mut()) {
                        w.start = 0;
                        w.end = ins.args.len();
                    }
                }
                out.push(RunScript { instruction: i, commands, heredoc: None });
            }
        }
        None => {
            let commands = shell::parse(&ins.args);
            let feeds_shell = commands.is_empty()
                || commands.iter().all(|c| c.name().is_some_and(is_shell) || c.argv.first().is_some_and(|w| w.text.starts_with("<<")));
            out.push(RunScript { instruction: i, commands, heredoc: None });
            if feeds_shell {
                for (h, doc) in ins.heredocs.iter().enumerate() {
                    out.push(RunScript { instruction: i, commands: shell::parse(&doc.body), heredoc: Some(h) });
                }
            }
        }
    }
    out
}

fn is_shell(cmd: &str) -> bool {
    matches!(cmd.rsplit('/').next().unwrap_or(cmd), "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh")
}
