//! Where outputs may go: through symbolic links, never over devices or pipes, `-` for standard
//! output; and the smaller promises about what a user sees (plain messages, warnings, caps).

use crate::support::triage_sim;

fn yardstick() -> String {
    format!(
        "{}/benches/scenarios/yardstick.toml",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// A run short enough for a test, with a warm-up (so no start-up warning).
const SHORT: [&str; 6] = [
    "--set",
    "horizon_hours=12",
    "--set",
    "warmup_hours=2",
    "--replications",
    "2",
];

fn run_to(out: &str, extra: &[&str]) -> std::process::Output {
    let y = yardstick();
    let mut args = vec!["run", y.as_str(), "--format", "csv", "--out", out];
    args.extend(SHORT);
    args.extend(extra);
    triage_sim(&args)
}

#[test]
fn an_output_through_a_symbolic_link_replaces_the_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("target.csv");
    let link = dir.path().join("link.csv");
    std::fs::write(&target, "old").unwrap();
    std::os::unix::fs::symlink("target.csv", &link).unwrap();
    let out = run_to(link.to_str().unwrap(), &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.starts_with("scope,channel,kpi"), "{text}");
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 2, "a temporary file was left behind");
}

#[test]
fn a_named_pipe_or_a_device_is_refused_before_the_run_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let out = run_to(fifo.to_str().unwrap(), &[]);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("a named pipe, not a plain file"), "{err}");
        use std::os::unix::fs::FileTypeExt;
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    }
    // A directory is refused the same way (the check is by kind, not by name).
    let out = run_to(dir.path().to_str().unwrap(), &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("a directory, not a plain file"), "{err}");
    // Charts too.
    let y = yardstick();
    let chart = dir.path().join("pipe.svg");
    std::os::unix::fs::symlink(dir.path(), &chart).unwrap();
    let mut args = vec!["run", y.as_str(), "--chart", chart.to_str().unwrap()];
    args.extend(SHORT);
    let out = triage_sim(&args);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn dash_o_is_short_for_out_on_every_command_with_output() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("r.csv");
    let y = yardstick();
    let mut args = vec![
        "run",
        y.as_str(),
        "--format",
        "csv",
        "-o",
        file.to_str().unwrap(),
    ];
    args.extend(SHORT);
    let out = triage_sim(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .starts_with("scope,channel,kpi")
    );
}

#[test]
fn dash_writes_to_standard_output() {
    let out = run_to("-", &[]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("scope,channel,kpi"), "{text}");
    assert!(
        !std::path::Path::new("-").exists(),
        "a file named - was written"
    );
}

#[test]
fn a_short_run_without_warm_up_is_warned_about_and_one_with_it_is_not() {
    let y = yardstick();
    let cold = triage_sim(&[
        "run",
        &y,
        "--set",
        "horizon_hours=10",
        "--replications",
        "2",
    ]);
    assert!(cold.status.success());
    let err = String::from_utf8_lossy(&cold.stderr);
    assert!(
        err.contains("warning: no warm-up on a 10 h horizon"),
        "{err}"
    );
    let mut args = vec!["run", y.as_str()];
    args.extend(SHORT);
    let warm = triage_sim(&args);
    assert!(warm.status.success());
    assert!(
        warm.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&warm.stderr)
    );
}

#[test]
fn astronomical_rates_and_nobody_on_duty_are_said_plainly() {
    let y = yardstick();
    let out = triage_sim(&[
        "check",
        &y,
        "--set",
        "channels.999.arrivals.rate_per_hour=1e305",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("got 1e305; expected at most 1000000000 per hour"),
        "{err}"
    );
    let out = triage_sim(&["check", &y, "--set", "handlers.count=0"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("utilisation if nobody hangs up n/a"),
        "{text}"
    );
    assert!(!text.contains("inf"), "{text}");
}

#[test]
fn messages_name_tables_not_parser_types_and_refuse_unprintable_names() {
    let y = yardstick();
    let out = triage_sim(&["check", &y, "--set", "handlers=5"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("expected a table of keys"), "{err}");
    assert!(!err.contains("struct") && !err.contains("Raw"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("names.toml");
    let text = std::fs::read_to_string(&y)
        .unwrap()
        .replace("[channels.101]", "[channels.\"10\\n1\\u001b[31m\"]");
    std::fs::write(&file, text).unwrap();
    let out = triage_sim(&["check", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("a name with a control character"), "{err}");
    assert!(
        !err.contains('\u{1b}') && err.trim_end().lines().count() == 1,
        "{err}"
    );
}

#[test]
fn millions_of_handlers_are_in_the_estimate() {
    // Three groups of 64 teams of a million: 12 GiB of handlers in one replication, which used
    // to be estimated as 2 MiB and then abort on allocation.
    let mut text = String::from("horizon_hours = 24\nreplications = 1\n[handlers]\n");
    for g in ["a", "b", "c"] {
        text += &format!(
            "[handlers.groups.{g}]\nheadcount = 1000000\nteams = 64\nshift_start = \"07:00\"\n\
             shift_hours = 12\npattern = \"4on4off\"\nchannels = [\"c\"]\n"
        );
    }
    text += "[channels.c]\nkind = \"call\"\npriority = 0\narrivals = { rate_per_hour = 10 }\n\
             handle_time = { dist = \"exponential\", mean_s = 100 }\n\
             target = { answer_within_s = 10, fraction = 0.8 }\n";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("many.toml");
    std::fs::write(&file, text).unwrap();
    let out = triage_sim(&["run", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("over the limits") && err.contains("GiB"),
        "{err}"
    );
}

#[test]
fn check_foresees_attrition_running_the_rota_below_patient_demand() {
    // 20 handlers, 15 Erlangs of patient web work, 25% leaving a year, no hires: the expected
    // staffing 20·e^(−0.25 t) reaches 15 at t = 4 ln(4/3) years = 420.0 days (day 421 is the
    // first whole day at or below), inside a two-year run.
    let text = r#"
horizon_hours = 17520
[handlers]
attrition_per_year = 0.25
[handlers.groups.a]
headcount = 20
channels = ["999", "web"]
[channels.999]
kind = "call"
priority = 0
arrivals = { rate_per_hour = 10 }
handle_time = { dist = "exponential", mean_s = 100 }
patience = { dist = "exponential", mean_s = 100 }
target = { answer_within_s = 10, fraction = 0.8 }
[channels.web]
kind = "deferred"
priority = 1
arrivals = { rate_per_hour = 18 }
handle_time = { dist = "exponential", mean_s = 3000 }
target = { answer_within_hours = 24, fraction = 0.8 }
"#;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("attrition.toml");
    std::fs::write(&file, text).unwrap();
    let out = triage_sim(&["check", file.to_str().unwrap()]);
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("warning: attrition of 25% a year, net of the hires, leaves about 15.0 on the phones by 2025-02-25 (day 421; 12.1 at the end)"),
        "{said}"
    );
    // A one-year run ends before it: no warning.
    let out = triage_sim(&[
        "check",
        file.to_str().unwrap(),
        "--set",
        "horizon_hours=8760",
    ]);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("attrition of"));
}
