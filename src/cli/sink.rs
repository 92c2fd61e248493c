//! Where results go: standard output (quietly done when the reader has gone), files written
//! whole or not at all, charts by extension; all of it checked before a simulation starts.

use std::path::{Path, PathBuf};

use anyhow::Context;

use super::atomic_file;
use crate::report::chart::Chart;
use crate::report::{self, Format};
use crate::stats::Results;

use super::*;

/// Refuses an output path whose directory does not exist, before any simulation runs.
pub(super) fn check_output_dir(path: &Path) -> Result<(), Failure> {
    match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) if !dir.is_dir() => Err(Failure::Input(format!(
            "{}: the directory {} does not exist; expected an existing directory for the output",
            path.display(),
            dir.display()
        ))),
        _ => Ok(()),
    }
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
    let chart_failed = |e: crate::report::chart::ChartError| {
        Failure::Runtime(anyhow::anyhow!("{}: {e}", path.display()))
    };
    if path.extension().is_some_and(|e| e == "png") {
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let tmp = tempfile::Builder::new()
            .suffix(".png")
            .tempfile_in(dir)
            .with_context(|| format!("cannot write {}", path.display()))?;
        chart.write_png(tmp.path()).map_err(chart_failed)?;
        let file = tmp
            .persist(path)
            .map_err(|e| e.error)
            .with_context(|| format!("cannot write {}", path.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(std::fs::Permissions::from_mode(0o644))
                .ok();
        }
        return Ok(());
    }
    let svg = chart.to_svg().map_err(chart_failed)?;
    atomic_file::write_atomic(path, svg.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

pub(super) fn render(results: &Results, format: Format) -> Result<String, report::RenderError> {
    report::render(&report::RunView(results), format)
}

/// Writes `text` to `out`, atomically, or to standard output. A closed standard output (the
/// reader, such as `head`, has what it wanted) ends the command quietly rather than in a panic.
pub(super) fn emit(text: &str, out: Option<&Path>) -> Result<(), Failure> {
    not_interrupted()?;
    match out {
        None => {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
            {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    return Err(Failure::Runtime(
                        anyhow::Error::new(e).context("cannot write to standard output"),
                    ));
                }
                _ => {}
            }
        }
        Some(path) => atomic_file::write_atomic(path, text.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?,
    }
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
