//! The clock on a given day: a finding's deadline, days left, and what its
//! deviations do to them. Pure: the history loads the data, this judges it.

use drydock_core::tracking::{DeviationKind, Profile, TrackedFinding, deadline, fedramp_name, risk_class};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

/// The UTC day of a stored RFC 3339 time.
pub(crate) fn day_of(stamp: &str) -> Result<Date, String> {
    let ts: Timestamp = stamp.parse().map_err(|e| format!("time `{stamp}`: {e}"))?;
    Ok(ts.to_zoned(TimeZone::UTC).date())
}

/// Fills `due`, `due_reason`, `days_left`, `overdue`, `adjusted_severity`,
/// `deviation` and each deviation's `active` flag, as of `today`.
///
/// Deviations combine: an active false positive stops the clock; the
/// newest active deviation that carries an adjusted severity (a risk
/// adjustment, or an operational requirement recorded with one) sets the
/// class; operational requirements and vendor dependencies leave the clock
/// running and are named in the reason. A deviation whose `expires` day has
/// passed no longer applies. `open` is false for closed findings: they keep
/// their deadline for the record but have no days left and are not overdue.
pub(crate) fn assess(f: &mut TrackedFinding, profile: &Profile, today: Date, open: bool) -> Result<(), String> {
    for d in &mut f.deviations {
        d.active = match &d.expires {
            None => true,
            // An unreadable date applies no deviation: the original clock.
            Some(e) => e.parse::<Date>().is_ok_and(|e| e >= today),
        };
    }
    let active: Vec<_> = f.deviations.iter().filter(|d| d.active).collect();
    let adjusted = active.iter().rev().find_map(|d| d.adjusted_severity.map(|s| (s, d.id.clone())));
    f.adjusted_severity = adjusted.as_ref().map(|a| a.0);
    f.deviation = active.last().map(|d| (*d).clone());
    let false_positive = active.iter().rev().find(|d| d.kind == DeviationKind::FalsePositive).map(|d| d.id.clone());
    let mut notes: Vec<String> = Vec::new();
    if let Some((to, id)) = &adjusted {
        notes.push(format!("risk adjusted from {} to {} by {id}", fedramp_name(risk_class(f.severity)), fedramp_name(*to)));
    }
    for d in &active {
        match d.kind {
            DeviationKind::OperationalRequirement => notes.push(format!("operational requirement {}", d.id)),
            DeviationKind::VendorDependency => notes.push(format!("vendor dependency {}", d.id)),
            DeviationKind::FalsePositive | DeviationKind::RiskAdjustment => {}
        }
    }
    for d in f.deviations.iter().filter(|d| !d.active) {
        notes.push(format!("{} {} expired {}", d.kind, d.id, d.expires.as_deref().unwrap_or("?")));
    }
    let suffix: String = notes.iter().map(|n| format!("; {n}")).collect();

    f.due = None;
    f.days_left = None;
    f.overdue = false;
    if let Some(id) = false_positive {
        f.due_reason = format!("off the clock: false positive {id} while it is active{suffix}");
        return Ok(());
    }
    let first_seen = day_of(&f.first_seen)?;
    let kev_due = match f.kev_due.as_deref().map(|k| k.parse::<Date>()) {
        Some(Ok(d)) => Some(d),
        Some(Err(e)) => return Err(format!("KEV due date `{}`: {e}", f.kev_due.as_deref().unwrap_or_default())),
        None => None,
    };
    match deadline(profile, first_seen, f.effective_severity(), kev_due) {
        Some((due, reason)) => {
            f.due = Some(due.to_string());
            f.due_reason = format!("{reason}{suffix}");
            if open {
                f.days_left = Some(today.until(due).map_or(i64::MIN, |span| i64::from(span.get_days())));
                f.overdue = today > due;
            }
        }
        None => {
            f.due_reason =
                format!("{}: no deadline for {} findings{suffix}", profile.name, fedramp_name(risk_class(f.effective_severity())));
        }
    }
    Ok(())
}

/// Overdue first, then by due date (none last), then most severe, then id.
pub(crate) fn by_urgency(a: &TrackedFinding, b: &TrackedFinding) -> std::cmp::Ordering {
    b.overdue
        .cmp(&a.overdue)
        .then_with(|| match (&a.due, &b.due) {
            (Some(x), Some(y)) => x.cmp(y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        })
        .then_with(|| b.effective_severity().cmp(&a.effective_severity()))
        .then_with(|| a.id.cmp(&b.id))
}
