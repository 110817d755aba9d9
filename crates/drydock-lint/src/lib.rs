//! The Dockerfile linter (in progress).
