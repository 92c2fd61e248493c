//! Round three of hostile input (fit, backtest, calibrate, plans): each test pins one
//! behaviour of docs/robustness.md and failed before it was mended.

use std::path::Path;
use std::process::{Output, Stdio};

use crate::support::{stdout_of, triage_sim};

const CALLS_HEADER: &str = "channel,arrived,outcome,wait_s,handle_s,caller\n";

/// Writes `rows` under the per-call header to `name` in `dir`.
fn calls_file(dir: &Path, name: &str, header: &str, rows: &[String]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, format!("{header}{}\n", rows.join("\n"))).unwrap();
    path.to_str().unwrap().to_owned()
}

/// `n` answered calls a minute apart from `start` on channel `calls`, handled for `handle`.
fn rows(start: &str, n: usize, handle: impl Fn(usize) -> String) -> Vec<String> {
    let t0: jiff::civil::DateTime = start.parse().unwrap();
    (0..n)
        .map(|i| {
            let t = t0
                .checked_add(jiff::SignedDuration::from_secs(60 * i as i64))
                .unwrap();
            format!(
                "calls,{},answered,5,{},c{i}",
                t.strftime("%Y-%m-%d %H:%M:%S"),
                handle(i)
            )
        })
        .collect()
}

fn fit_to(calls: &str, dir: &Path, extra: &[&str]) -> Output {
    let out = dir.join("fitted.toml");
    let mut args = vec!["fit", calls, "-o", out.to_str().unwrap()];
    args.extend(extra);
    triage_sim(&args)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn varied(i: usize) -> String {
    (100 + i % 37).to_string()
}

#[test]
fn fit_skips_a_wait_past_any_duration_instead_of_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = rows("2024-03-01T08:00:00", 30, varied);
    r.push("calls,2024-03-01 09:00:00,abandoned,99999999999999999999,,c0".into());
    r.push("calls,2024-03-01 09:01:00,answered,5,1e300,c1".into());
    let calls = calls_file(dir.path(), "c.csv", CALLS_HEADER, &r);
    let out = fit_to(&calls, dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "2 rows: wait or handle time over a year (no call lasts that long), skipped (the first on line 32)"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn fit_with_a_full_or_closed_standard_error_still_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let calls = calls_file(
        dir.path(),
        "c.csv",
        CALLS_HEADER,
        &rows("2024-03-01T08:00:00", 30, varied),
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_triage-sim"))
        .args([
            "fit",
            &calls,
            "-o",
            dir.path().join("f.toml").to_str().unwrap(),
        ])
        .stderr(Stdio::from(std::fs::File::create("/dev/full").unwrap()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "it used to panic with 101");
    assert!(dir.path().join("f.toml").exists());
}

/// Two shift groups and a dated change: the case that crashed interval staffing.
const GROUPS_AND_A_CHANGE: &str = r#"
horizon_hours = 336
warmup_hours = 24
replications = 2
start_date = 2024-01-01
[channels.calls]
kind = "call"
priority = 0
arrivals = { rate_per_hour = 20 }
handle_time = { dist = "exponential", mean_s = 300 }
patience = { dist = "exponential", mean_s = 300 }
target = { answer_within_s = 20, fraction = 0.8 }
[handlers.groups.days]
headcount = 8
teams = 2
pattern = "4on4off"
shift_start = "07:00"
shift_hours = 12
[handlers.groups.nights]
headcount = 6
teams = 2
pattern = "4on4off"
shift_start = "19:00"
shift_hours = 12
[[changes]]
from = 2024-01-06
channels.calls.arrivals.rate_per_hour = 25
"#;

#[test]
fn interval_staffing_and_rota_run_on_shift_groups_with_a_dated_change() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("s.toml");
    std::fs::write(&s, GROUPS_AND_A_CHANGE).unwrap();
    let s = s.to_str().unwrap();
    // Both used to panic: "index out of bounds: the len is 1 but the index is 1".
    let staffed = stdout_of(&["staff", s, "--by-interval"]);
    assert!(staffed.contains("ISA"), "{staffed}");
    let rota = stdout_of(&["rota", s, "--replications", "2"]);
    assert!(rota.contains("calls"), "{rota}");
}

#[test]
fn a_triage_team_that_starts_with_a_change_is_reported_for_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("s.toml");
    let text = format!(
        "{GROUPS_AND_A_CHANGE}triage = {{ channels = [\"calls\"], officers = 2, policy = \"queue\", resolve_fraction = 0.5, handle_time = {{ dist = \"exponential\", mean_s = 120 }} }}\n"
    );
    std::fs::write(&s, text).unwrap();
    let json: serde_json::Value = serde_json::from_str(&stdout_of(&[
        "run",
        s.to_str().unwrap(),
        "--format",
        "json",
    ]))
    .unwrap();
    // It used to be null although thousands were triaged.
    let handled = json["triage"]["intercepted"]["mean"].as_f64();
    assert!(handled.is_some_and(|n| n > 100.0), "{}", json["triage"]);
    let table = stdout_of(&["run", s.to_str().unwrap()]);
    assert!(table.contains("triage"), "{table}");
}

#[test]
fn triage_hours_that_open_and_close_at_once_are_refused() {
    for (open, close) in [("08:00", "08:00"), ("00:00", "00:00")] {
        let out = triage_sim(&[
            "check",
            "scenarios/mm14-patience.toml",
            "--set",
            "triage.channels=[\"calls\"]",
            "--set",
            "triage.officers=2",
            "--set",
            "triage.policy=queue",
            "--set",
            "triage.resolve_fraction=0.5",
            "--set",
            "triage.handle_time={ dist = \"exponential\", mean_s = 120 }",
            "--set",
            &format!("triage.open=\"{open}\""),
            "--set",
            &format!("triage.close=\"{close}\""),
        ]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{open}–{close}: {}",
            stderr(&out)
        );
        assert!(
            stderr(&out).contains("the same time as triage.open"),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn day_cv_counts_only_the_hours_a_partial_first_and_last_day_cover() {
    // A Poisson log (no day-to-day spread) of 31 days from 10:00 to 04:00: the partial days
    // used to count as whole ones, fitting day_cv 0.168.
    use rand::{RngExt, SeedableRng};
    let dir = tempfile::tempdir().unwrap();
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(11);
    let start: jiff::civil::DateTime = "2024-03-01T10:00:00".parse().unwrap();
    let end: jiff::civil::DateTime = "2024-04-01T04:00:00".parse().unwrap();
    let (mut t, mut r) = (start, Vec::new());
    loop {
        let gap = -(1.0 - rng.random::<f64>()).ln() * 180.0; // 20 an hour
        t = t
            .checked_add(jiff::SignedDuration::from_secs_f64(gap))
            .unwrap();
        if t >= end {
            break;
        }
        r.push(format!(
            "calls,{},answered,3,{}",
            t.strftime("%Y-%m-%d %H:%M:%S"),
            100 + r.len() % 50
        ));
    }
    let calls = calls_file(
        dir.path(),
        "c.csv",
        "channel,arrived,outcome,wait_s,handle_s\n",
        &r,
    );
    let summary = crate::support::fit_json(Path::new(&calls), &dir.path().join("f.toml"), &[]);
    let cv = summary["channels"]["calls"]["day_cv"].as_f64().unwrap();
    assert!(cv < 0.05, "day_cv {cv}");
}

const INTERVAL_HEADER: &str =
    "interval_start,channel,offered,answered,abandoned,asa_s,agents_staffed\n";

#[test]
fn an_interval_reported_twice_or_with_absurd_agents_is_an_error_naming_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let twice = calls_file(
        dir.path(),
        "twice.csv",
        INTERVAL_HEADER,
        &[
            "2024-03-01 08:00,101,100,90,10,30,5".into(),
            "2024-03-01 08:30,101,100,90,10,30,5".into(),
            "2024-03-01 08:00,101,100,90,10,30,5".into(),
        ],
    );
    let out = fit_to(&twice, dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("twice.csv:4: a second row for channel \"101\" at 2024-03-01T08:00:00 (the first is line 2)"),
        "{}",
        stderr(&out)
    );
    let absurd = calls_file(
        dir.path(),
        "agents.csv",
        INTERVAL_HEADER,
        &["2024-03-01 08:00,101,100,90,10,30,10000000".into()],
    );
    let out = fit_to(
        &absurd,
        dir.path(),
        &["--staffing-out", dir.path().join("s.csv").to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("agents.csv:2: agents_staffed: \"10000000\"; expected a number of agents from 0 to 1000000"), "{}", stderr(&out));
}

#[test]
fn keys_the_data_fix_are_refused_on_commands_that_run_over_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let calls = dir.path().join("c.csv");
    crate::support::log_calls(
        "scenarios/mm14-patience.toml",
        &calls,
        &["--set", "horizon_hours=48", "--replications", "2"],
    );
    let c = calls.to_str().unwrap();
    let out = triage_sim(&[
        "calibrate",
        "--data",
        c,
        "scenarios/mm14-patience.toml",
        "--vary",
        "horizon_hours=100..200:100",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out)
            .contains("--vary horizon_hours: with --data the run covers the data's own dates"),
        "{}",
        stderr(&out)
    );
    let out = triage_sim(&[
        "backtest",
        "scenarios/mm14-patience.toml",
        c,
        "--set",
        "start_date=9999-12-31",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--set start_date: backtest runs over the data's own dates"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn data_no_run_can_cover_is_refused_by_its_own_dates() {
    let dir = tempfile::tempdir().unwrap();
    let mut long = rows("1860-01-01T08:00:00", 1, varied);
    long.extend(rows("2020-03-01T08:00:00", 20, varied));
    let long = calls_file(dir.path(), "long.csv", CALLS_HEADER, &long);
    let late = calls_file(
        dir.path(),
        "late.csv",
        CALLS_HEADER,
        &rows("9999-12-31T08:00:00", 20, varied),
    );
    for (file, says) in [
        (long, "expected at most 100 years of records"),
        (late, "too close to 9999-12-31"),
    ] {
        for args in [
            vec!["fit", file.as_str()],
            vec!["backtest", "scenarios/mm14-patience.toml", file.as_str()],
        ] {
            let out = triage_sim(&args);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
            let err = stderr(&out);
            assert!(
                err.contains(says) && err.contains("the data run from"),
                "{args:?}: {err}"
            );
            assert!(!err.contains("a bug") && !err.contains("--set"), "{err}");
        }
    }
    // 75 years of very sparse records fit, with the spread capped and said so.
    let mut sparse = rows("1950-01-01T08:00:00", 1, varied);
    sparse.extend(rows("2025-03-01T08:00:00", 20, varied));
    let sparse = calls_file(dir.path(), "sparse.csv", CALLS_HEADER, &sparse);
    let out = fit_to(&sparse, dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("capped at 2"), "{}", stderr(&out));
}

#[test]
fn realistic_exports_fit_without_blaming_the_fitted_scenario() {
    let dir = tempfile::tempdir().unwrap();
    // Every handle time the same: deterministic, not a lognormal of sd 0.
    let same = calls_file(
        dir.path(),
        "same.csv",
        CALLS_HEADER,
        &rows("2024-03-01T08:00:00", 30, |_| "120".into()),
    );
    let out = fit_to(&same, dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let fitted = std::fs::read_to_string(dir.path().join("fitted.toml")).unwrap();
    assert!(
        fitted.contains("dist = \"deterministic\", value_s = 120.000"),
        "{fitted}"
    );
    // An empty channel name, and one with a newline.
    let mut r = rows("2024-03-01T08:00:00", 30, varied);
    r.push(",2024-03-01 09:00:00,answered,5,100,x".into());
    r.push("\"ca\nlls\",2024-03-01 09:01:00,answered,5,100,y".into());
    let names = calls_file(dir.path(), "names.csv", CALLS_HEADER, &r);
    let out = fit_to(&names, dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("2 rows: empty channel name, or one with control characters, skipped (the first on line 32)"), "{}", stderr(&out));
}

#[test]
fn the_tool_s_own_export_reads_back_under_strict() {
    let dir = tempfile::tempdir().unwrap();
    let calls = dir.path().join("c.csv");
    crate::support::log_calls(
        "scenarios/mm14-patience.toml",
        &calls,
        &["--set", "horizon_hours=72", "--replications", "2"],
    );
    // Rows leave in order of leaving the queue, not of arrival: --strict used to stop at them.
    let out = fit_to(calls.to_str().unwrap(), dir.path(), &["--strict"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn no_output_is_written_over_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("s.toml");
    std::fs::copy("scenarios/mm14-patience.toml", &s).unwrap();
    let link = dir.path().join("link.toml");
    std::os::unix::fs::symlink(&s, &link).unwrap();
    let staffing = dir.path().join("x.csv");
    std::fs::write(&staffing, "interval_start,on_duty\n2024-01-01 00:00,14\n").unwrap();
    let (s, link, x) = (
        s.to_str().unwrap(),
        link.to_str().unwrap(),
        staffing.to_str().unwrap(),
    );
    let before = std::fs::read(s).unwrap();
    for args in [
        vec!["report", s, "-o", s],
        vec!["report", s, "-o", link],
        vec!["rota", s, "--scenario-out", s],
        vec!["run", s, "--staffing", x, "--calls", x],
        vec!["check", s, "-o", s],
    ] {
        let out = triage_sim(&args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?} exited {:?}",
            out.status.code()
        );
        assert!(
            stderr(&out).contains("that is the input"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    assert_eq!(std::fs::read(s).unwrap(), before);
    assert!(
        std::fs::read_to_string(x)
            .unwrap()
            .starts_with("interval_start,on_duty")
    );
}

#[test]
fn an_interrupted_fit_writes_none_of_its_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("long.toml");
    std::fs::write(
        &scenario,
        "horizon_hours = 672\nreplications = 2\n[channels.calls]\nkind = \"call\"\npriority = 0\narrivals = { rate_per_hour = 300 }\nhandle_time = { dist = \"exponential\", mean_s = 240 }\npatience = { dist = \"exponential\", mean_s = 120 }\ntarget = { answer_within_s = 10, fraction = 0.9 }\n[handlers]\ncount = 25\n",
    )
    .unwrap();
    let calls = dir.path().join("c.csv");
    crate::support::log_calls(scenario.to_str().unwrap(), &calls, &[]);
    let fitted = dir.path().join("f.toml");
    std::fs::write(&fitted, "old").unwrap();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_triage-sim"))
        .args([
            "fit",
            calls.to_str().unwrap(),
            "-o",
            fitted.to_str().unwrap(),
            "--staffing-out",
            dir.path().join("s.csv").to_str().unwrap(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // About 2.5 s in all: reading, then the capacity search. Either way nothing is written.
    std::thread::sleep(std::time::Duration::from_millis(900));
    let kill = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success(), "fit ended before the interrupt");
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(&fitted).unwrap(),
        "old",
        "-o was replaced"
    );
    assert!(!dir.path().join("s.csv").exists());
}

#[test]
fn malformed_exports_say_what_is_wrong_and_where() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let zoned = |suffix: &str| {
        (0..20)
            .map(|i| {
                format!(
                    "calls,2024-03-01T08:{:02}:00{suffix},answered,5,100,c{i}",
                    10 + i
                )
            })
            .collect::<Vec<_>>()
    };
    for (name, suffix) in [("z.csv", "Z"), ("off.csv", "+05:00")] {
        let f = calls_file(d, name, CALLS_HEADER, &zoned(suffix));
        let out = fit_to(&f, d, &[]);
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr(&out).contains("20 rows: time with a UTC offset or Z, skipped"),
            "{}",
            stderr(&out)
        );
    }
    let cases: Vec<(String, Vec<&str>, &str)> = vec![
        (
            calls_file(
                d,
                "dup.csv",
                "channel,arrived,outcome,wait_s,handle_s,arrived\n",
                &["calls,2024-03-01 08:00:00,answered,5,100,x".into()],
            ),
            vec![],
            "dup.csv:1: the column \"arrived\" appears 2 times (columns 2, 6)",
        ),
        (
            calls_file(
                d,
                "extra.csv",
                CALLS_HEADER,
                &["calls,2024-03-01 08:00:00,answered,5,100,c,extra".into()],
            ),
            vec!["--strict"],
            "extra.csv:2: more cells than the header",
        ),
        (
            calls_file(
                d,
                "ok.csv",
                CALLS_HEADER,
                &rows("2024-03-01T08:00:00", 5, varied),
            ),
            vec!["--map", "nosuch=arrived"],
            "--map nosuch=arrived: \"nosuch\" is none of our columns",
        ),
        (
            calls_file(
                d,
                "ok2.csv",
                CALLS_HEADER,
                &rows("2024-03-01T08:00:00", 5, varied),
            ),
            vec!["--from", "2024-05-01", "--to", "2024-04-01"],
            "--from 2024-05-01 is after --to 2024-04-01",
        ),
    ];
    for (file, extra, says) in cases {
        let out = fit_to(&file, d, &extra);
        assert_eq!(out.status.code(), Some(2), "{file}");
        assert!(stderr(&out).contains(says), "{file}: {}", stderr(&out));
    }
    std::fs::write(d.join("empty.csv"), "").unwrap();
    let out = fit_to(d.join("empty.csv").to_str().unwrap(), d, &[]);
    assert!(
        stderr(&out).contains("an empty file (no header row)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn flags_and_changes_mean_what_they_say() {
    // A shift length no scenario takes is the flag's fault, not the scenario file's.
    let out = triage_sim(&["rota", "scenarios/northshire.toml", "--shift-lengths", "25"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--shift-lengths"), "{}", stderr(&out));
    assert!(
        !stderr(&out).contains("northshire.toml:"),
        "{}",
        stderr(&out)
    );
    // A quoted part of a key names the channel, not a new channel called "\"calls\"".
    let text = stdout_of(&[
        "check",
        "scenarios/mm14-patience.toml",
        "--set",
        "channels.\"calls\".priority=2",
    ]);
    assert!(text.contains("calls, priority 2"), "{text}");
    // `{}` in a change removes a call-back from that date on.
    let dir = tempfile::tempdir().unwrap();
    let base = "horizon_hours = 400\nwarmup_hours = 24\nreplications = 2\nstart_date = 2024-01-01\n[channels.calls]\nkind = \"call\"\npriority = 0\narrivals = { rate_per_hour = 20 }\nhandle_time = { dist = \"exponential\", mean_s = 300 }\npatience = { dist = \"exponential\", mean_s = 300 }\ntarget = { answer_within_s = 20, fraction = 0.8 }\ncallback = { offer_when_waiting_over = 1, accept = 0.5 }\n[handlers]\ncount = 2\n";
    let offered = |text: &str| -> f64 {
        let path = dir.path().join("cb.toml");
        std::fs::write(&path, text).unwrap();
        let json: serde_json::Value = serde_json::from_str(&stdout_of(&[
            "run",
            path.to_str().unwrap(),
            "--format",
            "json",
        ]))
        .unwrap();
        json["channels"]["calls"]["callbacks_offered"]["mean"]
            .as_f64()
            .unwrap()
    };
    let all = offered(base);
    let until_day_5 = offered(&format!(
        "{base}[[changes]]\nfrom = 2024-01-05\nchannels.calls.callback = {{}}\n"
    ));
    assert!(
        all > 200.0 && until_day_5 < all / 2.0,
        "all {all}, until day 5 {until_day_5}"
    );
}

#[test]
fn check_reports_every_mistake_in_a_file_at_once() {
    // Two misspelt keys and two bad values: only the two typos used to be reported.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("typo.toml");
    std::fs::write(
        &path,
        "horizon_hour = 100\nreplications = 2\n[channels.calls]\nkind = \"call\"\npriority = 0\narrivals = { rate_per_hour = -5 }\nhandle_time = { dist = \"exponential\", mean_s = 300 }\npatience = { dist = \"exponential\", mean_s = 300 }\ntarget = { answer_within_s = 20, fraction = 1.5 }\n[handlers]\ncont = 3\n",
    )
    .unwrap();
    let out = triage_sim(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    let found: Vec<&str> = [
        "horizon_hour: unknown field",
        "rate_per_hour: got -5",
        "fraction: got 1.5",
        "handlers.cont: unknown field",
    ]
    .into_iter()
    .filter(|m| err.contains(m))
    .collect();
    assert_eq!(found.len(), 4, "{err}");
    // The typo's suggestion is not repeated as a missing key.
    assert!(!err.contains("horizon_hours: missing key"), "{err}");
}
