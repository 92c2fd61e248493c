//! The HTML report: self-contained, and loads in a real headless browser.

use std::process::Command;

fn chromium() -> Option<&'static str> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
}

#[test]
fn the_report_is_self_contained_and_loads_in_a_browser() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("report.html");
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/mm14-patience.toml");
    let out = Command::new(env!("CARGO_BIN_EXE_triage-sim"))
        .args([
            "report",
            scenario,
            "-o",
            html.to_str().unwrap(),
            "--replications",
            "3",
            "--set",
            "horizon_hours=200",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&html).unwrap();
    // The answer comes first: the target, the figure and the verdict, then the staffing.
    let answer = text.find("<h2>The answer</h2>").expect("an answer section");
    assert!(answer < text.find("<h2>Scenario</h2>").unwrap());
    assert!(
        text.contains("<td>calls</td><td>80% within 20 s</td><td>"),
        "the target in words"
    );
    assert!(
        text.contains("<td>met</td>"),
        "the verdict (91.7% against 80%)"
    );
    assert!(
        text.contains("<b>Staffing:</b> "),
        "the staffing answer up front"
    );
    // "Reproduce" gives the whole command, --set included.
    assert!(
        text.contains("--replications 3 --set horizon_hours=200</code>"),
        "the command with its --set"
    );
    for part in [
        "<h1>M/M/14 with patience",
        "Results by channel",
        "Service level by hour of the week",
        "Waits until first answer",
        "Staffing answer",
        "Assumptions and definitions",
        "seed 42",
    ] {
        assert!(text.contains(part), "missing {part}");
    }
    assert!(text.matches("<svg").count() >= 3, "charts inline as SVG");
    // No column that says nothing: no triage, so no wait to a call handler after it.
    assert!(!text.contains("<th>mean wait to a call handler</th>"));
    assert!(text.contains("<th>mean wait to the first answer</th>"));
    for external in [
        "<script",
        "<link",
        "<img",
        "src=\"http",
        "href=\"http",
        "url(http",
        "@import",
    ] {
        assert!(
            !text.contains(external),
            "the report must not fetch anything: found {external}"
        );
    }
    let Some(browser) = chromium() else {
        eprintln!(
            "chromium is not installed: the browser check of the report was skipped (.ci/run installs it)"
        );
        return;
    };
    let shot = dir.path().join("report.png");
    let profile = dir.path().join("profile");
    let headless = |action: String| {
        let run = Command::new(browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-pdf-header-footer",
                "--window-size=1100,1600",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg(action)
            .arg(format!("file://{}", html.display()))
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "chromium failed: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        run
    };
    let run = headless(format!("--screenshot={}", shot.display()));
    let png = std::fs::read(&shot).expect("a screenshot was taken");
    assert_eq!(&png[..4], b"\x89PNG");
    let console = String::from_utf8_lossy(&run.stderr);
    assert!(
        !console.contains("Uncaught") && !console.contains("Failed to load resource"),
        "{console}"
    );
    // Printed to PDF it is a few tidy pages (it was 8, mostly empty, before the print styles).
    let pdf = dir.path().join("report.pdf");
    headless(format!("--print-to-pdf={}", pdf.display()));
    let pdf = std::fs::read(&pdf).expect("a PDF was printed");
    let pages = pdf_pages(&pdf);
    assert!((1..=4).contains(&pages), "{pages} pages");
}

/// The number of pages of a PDF: its `/Type /Page` objects (not `/Pages`).
fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/Type")
        .filter(|(at, _)| {
            let rest = text[at + 5..].trim_start();
            rest.starts_with("/Page") && !rest.starts_with("/Pages")
        })
        .count()
}

#[test]
fn the_report_says_which_handlers_join_during_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cohort.toml");
    std::fs::write(
        &file,
        r#"
start_date = 2024-01-01
horizon_hours = 400
warmup_hours = 24
replications = 2
[channels.calls]
kind = "call"
priority = 0
arrivals = { rate_per_hour = 60 }
handle_time = { dist = "exponential", mean_s = 180 }
target = { answer_within_s = 20, fraction = 0.8 }
[handlers.groups.desk]
headcount = 5
[[handlers.hires]]
group = "desk"
start_date = 2024-01-05
count = 3
training_weeks = 1
ramp_weeks = 0
"#,
    )
    .unwrap();
    let html = dir.path().join("r.html");
    crate::support::stdout_of(&[
        "report",
        file.to_str().unwrap(),
        "-o",
        html.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&html).unwrap();
    assert!(
        text.contains("Call handlers: 8 rostered (3 of them recruits trained during the run)"),
        "{}",
        text.split("Call handlers:")
            .nth(1)
            .unwrap_or("")
            .chars()
            .take(200)
            .collect::<String>()
    );
}
