//! The FIPS 140 posture of an image, judged from its files and config alone.

use serde::{Deserialize, Serialize};

/// The verdict with every piece of evidence behind it.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct FipsPosture {}
