//! DF024 `build-in-final-stage`: Compiler toolchain used in the final stage of a single-stage build.

use crate::Context;
use crate::dockerfile::shell::Command;

crate::declare_rule! {
    /// ## What it checks
    /// A single-stage Dockerfile (one `FROM`) whose RUNs build: `go build`,
    /// `cargo build`, `mvn package|install|verify`, `gradle`/`./gradlew build|assemble`,
    /// `gcc`, `g++`, `cc`, `clang`, `make`, `npm run build`, `yarn build`, `pnpm build`,
    /// `dotnet build|publish`. Exempt: a RUN that removes packages after building
    /// (`apk del`, `apt-get purge`, `dnf remove`: the toolchain is not shipped), and
    /// `ONBUILD RUN` (it builds in the child image).
    /// ## Why it matters
    /// Compilers, build tools and their caches stay in the image: hundreds
    /// of megabytes of packages to patch and scan, and tools an intruder can
    /// use. Ship the artifact, not the toolchain (hardening guide stages 0
    /// and 2.3; NIST 800-53 CM-7 least functionality).
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.22
    /// COPY . /src
    /// RUN cd /src && go build -o /app .
    /// ```
    /// ## Fix
    /// Build in one stage and copy the result into a minimal one:
    /// `FROM golang:1.22 AS build` … `FROM gcr.io/distroless/static` +
    /// `COPY --from=build /app /app`.
    code = "DF024",
    name = "build-in-final-stage",
    level = Warning,
    summary = "Compiler toolchain used in the final stage of a single-stage build",
}

pub(crate) fn check(cx: &Context<'_>) {
    if cx.model.stages.len() != 1 {
        return;
    }
    let mut reported = Vec::new();
    for run in &cx.model.runs {
        let ins = cx.model.instruction(run.instruction);
        if ins.onbuild.is_some() || reported.contains(&run.instruction) {
            continue;
        }
        let Some((pos, what)) = run.commands.iter().enumerate().find_map(|(i, c)| build_step(c).map(|w| (i, w))) else { continue };
        if run.commands[pos..].iter().any(removes_packages) {
            continue;
        }
        let c = &run.commands[pos];
        let (start, end) = c.argv.first().map(|w| (w.start, w.end)).unwrap_or((0, 0));
        reported.push(run.instruction);
        cx.report_with_help(
            &META,
            cx.model.script_span(run, start, end),
            format!("`{what}` builds in the only stage, so the toolchain and build inputs ship in the runtime image"),
            "use a multi-stage build: build in `FROM … AS build`, then `COPY --from=build` only the artifact into a minimal final stage",
        );
    }
}

/// The build command `c` runs, as shown in the message.
fn build_step(c: &Command) -> Option<String> {
    let name = c.name()?;
    let args: Vec<&str> = c.args().collect();
    let first = args.first().copied().unwrap_or("");
    let any = |set: &[&str]| args.iter().any(|a| set.iter().any(|s| a == s || a.ends_with(&format!(":{s}"))));
    let found = match name {
        "go" if first == "build" => true,
        "cargo" if first == "build" => true,
        "mvn" | "mvnw" => any(&["package", "install", "verify"]),
        "gradle" | "gradlew" => any(&["build", "assemble", "bootJar", "shadowJar", "installDist"]),
        "gcc" | "g++" | "cc" | "c++" | "clang" | "clang++" | "make" | "gmake" => true,
        "npm" | "pnpm" if (first == "run" || first == "run-script") && args.get(1) == Some(&"build") => true,
        "yarn" | "pnpm" if first == "build" || (first == "run" && args.get(1) == Some(&"build")) => true,
        "dotnet" if first == "build" || first == "publish" => true,
        _ => false,
    };
    found.then(|| {
        let shown: Vec<&str> = std::iter::once(name).chain(args.iter().copied().take(2)).collect();
        shown.join(" ")
    })
}

fn removes_packages(c: &Command) -> bool {
    let first = c.args().find(|a| !a.starts_with('-')).unwrap_or("");
    match c.name() {
        Some("apk") => first == "del",
        Some("apt-get" | "apt" | "aptitude") => matches!(first, "purge" | "remove" | "autoremove"),
        Some("yum" | "dnf" | "microdnf" | "tdnf") => matches!(first, "remove" | "erase" | "autoremove"),
        Some("zypper") => matches!(first, "remove" | "rm"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    #[test]
    fn fires() {
        let d = assert_fires("DF024", "FROM golang:1.22\nCOPY . /src\nRUN cd /src && go build -o /app .\n");
        assert_eq!((d[0].line, d[0].column, d[0].end_column), (3, 16, 18));
        assert!(d[0].message.contains("`go build -o`"), "{}", d[0].message);
        assert_fires("DF024", "FROM rust:1.80\nRUN cargo build --release\n");
        assert_fires("DF024", "FROM maven:3.9\nRUN mvn -B -DskipTests \\\n    clean package\n");
        assert_fires("DF024", "FROM eclipse-temurin:21\nRUN ./gradlew :app:build --no-daemon\n");
        assert_fires("DF024", "FROM gcc:14\nRUN <<EOF\nset -e\ngcc -O2 -o /usr/local/bin/hello hello.c\nEOF\n");
        assert_fires("DF024", "FROM node:20\nRUN npm ci && npm run build\n");
        assert_fires("DF024", "FROM node:20\nRUN yarn install --frozen-lockfile && yarn build\n");
        assert_fires("DF024", "FROM mcr.microsoft.com/dotnet/sdk:8.0\nRUN [\"/bin/sh\", \"-c\", \"dotnet publish -c Release -o /out\"]\n");
        let d = assert_fires("DF024", "FROM debian:12\nRUN ./configure && make && make install\nRUN make -C docs\n");
        assert_eq!(d.len(), 2, "once per RUN");
    }

    #[test]
    fn silent() {
        assert_silent(
            "DF024",
            "FROM golang:1.22 AS build\nRUN go build -o /app\nFROM gcr.io/distroless/static\nCOPY --from=build /app /app\n",
        );
        // Official-image style: build deps removed in the same RUN.
        assert_silent(
            "DF024",
            "FROM alpine:3.20\nRUN apk add --no-cache --virtual .build-deps gcc make musl-dev \\\n && make -j\"$(nproc)\" && make install \\\n && apk del --no-network .build-deps\n",
        );
        assert_silent(
            "DF024",
            "FROM debian:12\nRUN apt-get update && apt-get install -y gcc make \\\n && make && apt-get purge -y --auto-remove gcc make\n",
        );
        assert_silent("DF024", "FROM node:20\nRUN npm ci --omit=dev && npm run start\n");
        assert_silent("DF024", "FROM golang:1.22\nRUN go version && go env\nONBUILD RUN go build -o /app\n");
        assert_silent("DF024", "FROM maven:3.9\nRUN mvn dependency:go-offline\n");
    }
}
