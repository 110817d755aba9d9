//! Findings tracked across scans: stable identity, first-seen dates and
//! remediation deadlines (filled in from the scan history).

use serde::{Deserialize, Serialize};

/// What the scan history says about this report's findings.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Tracking {}
