//! The Dockerfile syntax tree. Every node keeps its byte span in the
//! original source, so diagnostics point at the exact text, across line
//! continuations and heredocs.

/// Byte range `[start, end)` into the Dockerfile source.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end: end.max(start) }
    }
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        source.get(self.start..self.end).unwrap_or("")
    }
}

/// A parsed Dockerfile: directives, instructions in order, comments (for
/// pragmas), and the problems found while parsing.
#[derive(Clone, Debug, Default)]
pub struct Dockerfile {
    pub source: String,
    pub directives: Vec<Directive>,
    /// The escape character (`\` unless `# escape=` says `` ` ``).
    pub escape: char,
    pub instructions: Vec<Instruction>,
    pub comments: Vec<Comment>,
    /// Problems that would make Docker refuse the file, located.
    pub errors: Vec<ParseError>,
}

/// `# syntax=`, `# escape=`, `# check=` at the top of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// Lower-cased name.
    pub name: String,
    pub value: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// The text after `#`, trimmed.
    pub text: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub span: Span,
}

/// The instruction keywords BuildKit knows.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Keyword {
    From,
    Run,
    Cmd,
    Label,
    Maintainer,
    Expose,
    Env,
    Add,
    Copy,
    Entrypoint,
    Volume,
    User,
    Workdir,
    Arg,
    Onbuild,
    Stopsignal,
    Healthcheck,
    Shell,
    /// Not an instruction Docker knows (reported as a parse error).
    Unknown(String),
}

impl Keyword {
    pub fn parse(word: &str) -> Keyword {
        match word.to_ascii_uppercase().as_str() {
            "FROM" => Keyword::From,
            "RUN" => Keyword::Run,
            "CMD" => Keyword::Cmd,
            "LABEL" => Keyword::Label,
            "MAINTAINER" => Keyword::Maintainer,
            "EXPOSE" => Keyword::Expose,
            "ENV" => Keyword::Env,
            "ADD" => Keyword::Add,
            "COPY" => Keyword::Copy,
            "ENTRYPOINT" => Keyword::Entrypoint,
            "VOLUME" => Keyword::Volume,
            "USER" => Keyword::User,
            "WORKDIR" => Keyword::Workdir,
            "ARG" => Keyword::Arg,
            "ONBUILD" => Keyword::Onbuild,
            "STOPSIGNAL" => Keyword::Stopsignal,
            "HEALTHCHECK" => Keyword::Healthcheck,
            "SHELL" => Keyword::Shell,
            _ => Keyword::Unknown(word.to_owned()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Keyword::From => "FROM",
            Keyword::Run => "RUN",
            Keyword::Cmd => "CMD",
            Keyword::Label => "LABEL",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Expose => "EXPOSE",
            Keyword::Env => "ENV",
            Keyword::Add => "ADD",
            Keyword::Copy => "COPY",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Volume => "VOLUME",
            Keyword::User => "USER",
            Keyword::Workdir => "WORKDIR",
            Keyword::Arg => "ARG",
            Keyword::Onbuild => "ONBUILD",
            Keyword::Stopsignal => "STOPSIGNAL",
            Keyword::Healthcheck => "HEALTHCHECK",
            Keyword::Shell => "SHELL",
            Keyword::Unknown(w) => w,
        }
    }
}

/// One instruction, its continuation lines joined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instruction {
    pub keyword: Keyword,
    pub keyword_span: Span,
    /// From the keyword to the end of the last continuation line (heredoc
    /// bodies excluded; they have their own spans).
    pub span: Span,
    /// `--name[=value]` options before the arguments.
    pub flags: Vec<Flag>,
    /// The arguments after the flags, continuations joined (the escape
    /// character and newline removed, comment lines inside dropped).
    pub args: String,
    /// Where each run of `args` came from: `(offset in args, offset in source)`.
    pub args_map: Vec<(usize, usize)>,
    /// Exec form (`["a", "b"]`) when the arguments are a JSON array of strings.
    pub exec: Option<Vec<String>>,
    pub heredocs: Vec<Heredoc>,
    /// For `ONBUILD`: the instruction it registers.
    pub onbuild: Option<Box<Instruction>>,
}

impl Instruction {
    /// Maps an offset in [`Instruction::args`] to the source.
    pub fn source_offset(&self, args_offset: usize) -> usize {
        let i = self.args_map.partition_point(|(a, _)| *a <= args_offset);
        match i.checked_sub(1).and_then(|i| self.args_map.get(i)) {
            Some((a, s)) => s + (args_offset - a),
            None => self.span.start,
        }
    }

    /// The source span of `args[range]`.
    pub fn args_span(&self, start: usize, end: usize) -> Span {
        Span::new(self.source_offset(start), self.source_offset(end.saturating_sub(1)) + usize::from(end > start))
    }

    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name.eq_ignore_ascii_case(name))
    }

    pub fn is(&self, keyword: &Keyword) -> bool {
        &self.keyword == keyword
    }
}

/// `--name=value` (or a bare `--name`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    pub name: String,
    pub value: Option<String>,
    pub span: Span,
}

/// A heredoc attached to RUN, COPY or ADD (`<<EOF` … `EOF`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heredoc {
    pub delimiter: String,
    /// `<<-`: leading tabs are stripped from the body.
    pub strip_tabs: bool,
    /// Unquoted delimiter: variables in the body are expanded.
    pub expand: bool,
    pub body: String,
    /// The body's lines in the source (without the delimiter lines).
    pub body_span: Span,
}
