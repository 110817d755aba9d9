use std::path::PathBuf;

use drydock_core::tracking::{DeviationKind, fedramp_name};
use drydock_core::vulnerability::Severity;

/// Everything that can go wrong with a history file. Every variant names
/// the file.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("scan history {path}: {source}")]
    Sqlite { path: PathBuf, source: rusqlite::Error },
    #[error("scan history {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("scan history {path} has schema version {found}; this drydock reads up to {supported} (use a newer drydock)")]
    Schema { path: PathBuf, found: i64, supported: i64 },
    #[error("scan history {path}: no finding `{id}` (ids look like DD-0123456789ab; `drydock findings` lists them)")]
    UnknownFinding { path: PathBuf, id: String },
    #[error("scan history {path}: no scan {id}")]
    UnknownScan { path: PathBuf, id: i64 },
    #[error("scan history {path}: finding {finding}: {reason}")]
    DeviationRefused { path: PathBuf, finding: String, reason: Refusal },
    #[error("scan history {path}: stored {what} is unreadable: {reason}")]
    Corrupt { path: PathBuf, what: String, reason: String },
}

/// Why a deviation was not recorded (FedRAMP's rules, POA&M guide and
/// deviation request form).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("the rationale is empty (FedRAMP asks for the justification and evidence)")]
    EmptyRationale,
    #[error("who records the deviation is not given")]
    NoRecorder,
    #[error("it expires on {expires}, before today ({today})")]
    AlreadyExpired { expires: String, today: String },
    #[error(
        "FedRAMP does not approve an operational requirement for a {} finding; record a risk adjustment to Moderate or lower first, or give the adjusted severity with this request (an OR RA)",
        fedramp_name(*.severity)
    )]
    OperationalRequirementForHigh { severity: Severity },
    #[error("a {kind} needs the adjusted severity")]
    AdjustmentMissing { kind: DeviationKind },
    #[error(
        "the adjusted severity ({}) must be lower than the original risk rating ({})",
        fedramp_name(*.adjusted),
        fedramp_name(*.original)
    )]
    AdjustmentNotLower { original: Severity, adjusted: Severity },
    #[error("the adjusted severity must be Low, Moderate, High or Critical, not Unknown")]
    AdjustmentUnknown,
    #[error("a {kind} keeps the original risk rating; record a risk adjustment to change it")]
    AdjustmentNotAllowed { kind: DeviationKind },
}

pub type Result<T, E = HistoryError> = std::result::Result<T, E>;
