//! `triage-sim report`: one self-contained HTML page, with the command that reproduces it.

use std::path::Path;

use anyhow::Context;

use super::atomic_file;
use super::commands::{load_scenario, runner};
use super::sink::check_outputs;
use super::{Failure, LimitArgs, cores, not_interrupted};
use crate::planning::budget::Work;
use crate::planning::staffing::{self, StaffOptions};
use crate::report;
use crate::scenario::Override;

/// Most handlers the report's staffing search may add.
const REPORT_MAX_ADDED: u32 = 500;

pub(super) fn report_html(
    file: &Path,
    overrides: &[Override],
    out: &Path,
    replications: Option<u32>,
    with_staffing: bool,
    limits: LimitArgs,
) -> Result<(), Failure> {
    check_outputs(&[file], &[("-o", Some(out))])?;
    let scenario = load_scenario(file, overrides, replications)?;
    let searches = if with_staffing {
        f64::from(staffing::max_evaluations(REPORT_MAX_ADDED))
    } else {
        0.0
    };
    limits.allow(&Work::of(&scenario).times(1.0 + searches), cores())?;
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let results = runner().replicate(&scenario);
    // The staffing answer for the best-priority channel's target (needs 2+ replications).
    let staffing = (with_staffing && scenario.replications >= 2)
        .then(|| {
            let first = scenario
                .channels
                .first()
                .map(|c| c.name.clone())
                .unwrap_or_default();
            let opts = StaffOptions {
                channels: vec![first],
                max_added: REPORT_MAX_ADDED,
                ..StaffOptions::default()
            };
            staffing::search_with(&scenario, &opts, |c| runner().replicate(c)).ok()
        })
        .flatten();
    let mut reproduce = format!(
        "triage-sim report {} -o {} --replications {}",
        shell_word(&file.display().to_string()),
        shell_word(&out.display().to_string()),
        scenario.replications
    );
    for o in overrides {
        reproduce.push_str(&format!(
            " --set {}",
            shell_word(&format!("{}={}", o.key, o.value))
        ));
    }
    if !with_staffing {
        reproduce.push_str(" --no-staffing");
    }
    let html = report::html_report(&scenario, &results, staffing.as_ref(), &text, &reproduce);
    not_interrupted()?;
    atomic_file::write_atomic(out, html.as_bytes())
        .with_context(|| format!("cannot write {}", out.display()))?;
    Ok(())
}

/// A word as a POSIX shell reads it back: as is when plain, else in single quotes.
fn shell_word(w: &str) -> String {
    let plain = !w.is_empty()
        && w.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
    if plain {
        w.to_owned()
    } else {
        format!("'{}'", w.replace('\'', "'\\''"))
    }
}
