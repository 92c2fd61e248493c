//! Where results go: standard output (quietly done when the reader has gone), files written
//! whole or not at all, charts by extension; all of it checked before a simulation starts.

use std::path::{Path, PathBuf};

use anyhow::Context;

use super::atomic_file;
use crate::report::chart::Chart;
use crate::report::{self, Format};
use crate::stats::Results;

use super::*;

/// Refuses, before any simulation runs, an output path that writing could not or should not
/// replace: one whose directory does not exist, or one that is a device, pipe, socket or
/// directory (through any symbolic links). `-` (standard output) is always accepted.
pub(super) fn check_output_dir(path: &Path) -> Result<(), Failure> {
    if atomic_file::is_stdout(path) {
        return Ok(());
    }
    let target = atomic_file::destination(path).map_err(|e| {
        Failure::Input(format!(
            "{}: {e}; expected a path to a plain file",
            path.display()
        ))
    })?;
    if let Some(kind) = atomic_file::not_plain_file(&target) {
        return Err(Failure::Input(format!(
            "{}: {kind}, not a plain file; expected a path to a file to write (or - for standard output)",
            path.display()
        )));
    }
    match target.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) if !dir.is_dir() => Err(Failure::Input(format!(
            "{}: the directory {} does not exist; expected an existing directory for the output",
            path.display(),
            dir.display()
        ))),
        _ => Ok(()),
    }
}

/// Every output a command writes, checked together before anything runs: each one a path
/// that may be replaced ([`check_output_dir`]), none of them one of the `inputs` (as written,
/// through a link, or by another path to it), and no two the same file. Every command's
/// outputs go through here, so no output can be written over what the command reads.
pub(super) fn check_outputs(
    inputs: &[&Path],
    outputs: &[(&str, Option<&Path>)],
) -> Result<(), Failure> {
    let given: Vec<(&str, &Path)> = outputs
        .iter()
        .filter_map(|(flag, p)| p.map(|p| (*flag, p)))
        .collect();
    for (i, (flag, path)) in given.iter().enumerate() {
        check_output_dir(path)?;
        if atomic_file::is_stdout(path) {
            continue;
        }
        if let Some(input) = inputs.iter().find(|i| same_file(i, path)) {
            return Err(Failure::Input(format!(
                "{flag} {}: that is the input {}; expected another path for the output",
                path.display(),
                input.display()
            )));
        }
        if let Some((other, _)) = given[..i].iter().find(|(_, p)| same_file(p, path)) {
            return Err(Failure::Input(format!(
                "{other} and {flag} are both {}; expected a path of its own for each",
                path.display()
            )));
        }
    }
    Ok(())
}

/// Refuses a chart path whose extension names no format, before any simulation runs.
pub(super) fn check_chart_path(path: Option<&Path>) -> Result<(), Failure> {
    match path.map(|p| p.extension().and_then(|e| e.to_str())) {
        None | Some(Some("svg" | "png")) => Ok(()),
        Some(_) => Err(Failure::Input(format!(
            "{}: expected a chart file ending in .svg or .png",
            path.map_or(String::new(), |p| p.display().to_string())
        ))),
    }
}

/// Writes `chart` to `path`, if asked, whole or not at all; the extension picks SVG or PNG.
pub(super) fn write_chart(path: Option<&Path>, chart: Chart<'_>) -> Result<(), Failure> {
    let Some(path) = path else { return Ok(()) };
    not_interrupted()?;
    let mut staged = atomic_file::Staged::default();
    stage_chart(&mut staged, path, chart)?;
    staged
        .commit()
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Draws `chart` for `path` into `staged` (in place only when `staged` is committed).
pub(super) fn stage_chart(
    staged: &mut atomic_file::Staged,
    path: &Path,
    chart: Chart<'_>,
) -> Result<(), Failure> {
    let chart_failed = |e: crate::report::chart::ChartError| {
        Failure::Runtime(anyhow::anyhow!("{}: {e}", path.display()))
    };
    if path.extension().is_some_and(|e| e == "png") {
        let mut drawn: Option<crate::report::chart::ChartError> = None;
        staged
            .via_path(path, |tmp| {
                chart.write_png(tmp).map_err(|e| {
                    drawn = Some(e);
                    std::io::Error::other("the chart could not be drawn")
                })
            })
            .map_err(|e| match drawn.take() {
                Some(chart_error) => chart_failed(chart_error),
                None => cannot_write(path)(e),
            })?;
        return Ok(());
    }
    let svg = chart.to_svg().map_err(chart_failed)?;
    staged
        .bytes(path, svg.as_bytes())
        .map_err(cannot_write(path))
}

/// The failure of writing `path`.
pub(super) fn cannot_write(path: &Path) -> impl Fn(std::io::Error) -> Failure + '_ {
    move |e| {
        Failure::Runtime(anyhow::Error::new(e).context(format!("cannot write {}", path.display())))
    }
}

pub(super) fn render(
    results: &Results,
    format: Format,
    with_timing: bool,
) -> Result<String, report::RenderError> {
    report::render(
        &report::RunView {
            results,
            with_timing,
        },
        format,
    )
}

/// Writes `text` to `out`, atomically, or to standard output. A closed standard output (the
/// reader, such as `head`, has what it wanted) ends the command quietly rather than in a panic.
pub(super) fn emit(text: &str, out: Option<&Path>) -> Result<(), Failure> {
    not_interrupted()?;
    // Standard output is the path `-` to the one writer (a closed pipe is not an error there).
    let path = out.unwrap_or(Path::new("-"));
    atomic_file::write_atomic(path, text.as_bytes()).with_context(|| {
        if atomic_file::is_stdout(path) {
            "cannot write to standard output".to_owned()
        } else {
            format!("cannot write {}", path.display())
        }
    })?;
    Ok(())
}

/// `sweep.csv` → `sweep.partial.csv`; `sweep` → `sweep.partial`.
pub(super) fn partial_path(path: &Path) -> PathBuf {
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    let name = match path.extension() {
        Some(ext) => format!("{stem}.partial.{}", ext.to_string_lossy()),
        None => format!("{stem}.partial"),
    };
    path.with_file_name(name)
}
