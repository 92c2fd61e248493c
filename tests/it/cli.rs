//! The command line as a user runs it: commands, formats, exit codes, atomic output.

use std::process::Command;

use crate::support::{stdout_of, triage_sim};

/// The Erlang C reference case's flags: 200 calls/h, AHT 180 s, 14 agents, 20 s target.
const ERLANG_14: [&str; 9] = [
    "erlang",
    "--rate-per-hour",
    "200",
    "--aht-s",
    "180",
    "--agents",
    "14",
    "--target-s",
    "20",
];

fn scenario_path(name: &str) -> String {
    format!("{}/scenarios/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn no_arguments_runs_the_default_scenario() {
    let out = triage_sim(&[]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for word in ["999", "101", "web", "service_level", "occupancy", "events"] {
        assert!(text.contains(word), "missing {word} in:\n{text}");
    }
}

#[test]
fn run_json_has_the_documented_key_paths() {
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&[
        "run",
        &scenario_path("default.toml"),
        "--replications",
        "3",
        "--seed",
        "9",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(v["replications"], 3);
    assert_eq!(v["seed"], 9);
    for kpi in [
        "offered",
        "answered",
        "abandoned",
        "abandonment_rate",
        "service_level",
        "mean_wait_s",
        "p50_wait_s",
        "p90_wait_s",
        "p95_wait_s",
        "p99_wait_s",
        "p_wait",
    ] {
        let e = &v["channels"]["999"][kpi];
        assert!(
            e["mean"].is_number() && e["ci_low"].is_number() && e["ci_high"].is_number(),
            "{kpi}: {e}"
        );
    }
    for kpi in ["resolved_at_triage", "forwarded", "escalated"] {
        assert!(v["channels"]["101"][kpi]["mean"].is_number(), "{kpi}");
        assert!(v["triage"][kpi]["mean"].is_number(), "triage.{kpi}");
    }
    assert!(v["handlers"]["occupancy"]["mean"].is_number());
    let hourly = &v["intervals"]["hour_of_week"];
    assert_eq!(hourly["labels"].as_array().unwrap().len(), 168);
    assert_eq!(
        hourly["channels"]["999"]["service_level"]
            .as_array()
            .unwrap()
            .len(),
        168
    );
    assert!(hourly["handlers"]["mean_staffed"][7]["mean"].is_number());
    assert_eq!(v["intervals"]["month"]["labels"][0], "2024-01");
    assert!(v["events"].as_u64().unwrap() > 0);
    assert!(v.get("timing").is_none() && v.get("wall_s").is_none());
}

/// `--format wide-csv`: the long CSV's rows, one per channel or interval, KPIs across.
#[test]
fn wide_csv_has_a_row_per_channel_or_interval_and_a_column_per_kpi() {
    let scenario = scenario_path("mm14-patience.toml");
    let run = |format| stdout_of(&["run", &scenario, "--replications", "2", "--format", format]);
    let (long, wide) = (run("csv"), run("wide-csv"));
    let mut keys: Vec<String> = long
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            format!("{},{},{}", f[0], f[1], f[6])
        })
        .collect();
    keys.dedup();
    let rows: Vec<&str> = wide.lines().collect();
    assert_eq!(rows.len() - 1, keys.len(), "{wide}");
    let header: Vec<&str> = rows[0].split(',').collect();
    for column in [
        "scope",
        "service_level",
        "service_level_ci_low",
        "service_level_met",
    ] {
        assert!(header.contains(&column), "{column} in {}", rows[0]);
    }
    let sl = header.iter().position(|h| *h == "service_level").unwrap();
    let channel = rows
        .iter()
        .find(|r| r.starts_with("channel,calls,"))
        .unwrap();
    let long_sl = long
        .lines()
        .find(|l| l.starts_with("channel,calls,service_level,"))
        .unwrap();
    assert_eq!(
        channel.split(',').nth(sl),
        long_sl.split(',').nth(3),
        "the same mean"
    );
}

/// Without `--timing` two runs are byte-identical in every format; with it the wall-clock time
/// is there, under `timing` and in the older places.
#[test]
fn run_output_is_diffable_and_timing_is_asked_for() {
    let scenario = scenario_path("mm14-patience.toml");
    let args = |format: &'static str, timing: bool| {
        let mut a = vec![
            "run",
            scenario.as_str(),
            "--replications",
            "2",
            "--format",
            format,
        ];
        a.extend(timing.then_some("--timing"));
        a
    };
    for format in ["table", "json", "csv"] {
        let first = triage_sim(&args(format, false));
        assert!(first.status.success());
        assert_eq!(
            first.stdout,
            triage_sim(&args(format, false)).stdout,
            "{format}"
        );
        let text = String::from_utf8_lossy(&first.stdout);
        assert!(
            !text.contains("wall_s") && !text.contains("events/s"),
            "{text}"
        );
    }
    let v: serde_json::Value =
        serde_json::from_slice(&triage_sim(&args("json", true)).stdout).unwrap();
    assert!(v["timing"]["wall_s"].as_f64().unwrap() > 0.0);
    assert!(v["timing"]["events_per_s"].as_f64().unwrap() > 0.0);
    assert_eq!(v["wall_s"], v["timing"]["wall_s"]);
    let csv = String::from_utf8_lossy(&triage_sim(&args("csv", true)).stdout).into_owned();
    assert!(csv.lines().any(|l| l.starts_with("run,,wall_s,")), "{csv}");
    let table = String::from_utf8_lossy(&triage_sim(&args("table", true)).stdout).into_owned();
    assert!(table.contains("M events/s"), "{table}");
}

#[test]
fn run_csv_has_one_row_per_channel_and_kpi() {
    let out = triage_sim(&[
        "run",
        &scenario_path("mm14-patience.toml"),
        "--replications",
        "2",
        "--format",
        "csv",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("scope,channel,kpi,mean,ci_low,ci_high,interval,target,met\n"));
    // Per-interval rows: 168 hours of the week for each channel KPI, labelled.
    let hourly = text
        .lines()
        .filter(|l| l.starts_with("hour_of_week,calls,service_level,"))
        .count();
    assert_eq!(hourly, 168);
    assert!(
        text.lines()
            .any(|l| l.starts_with("hour_of_week,calls,offered,") && l.ends_with(",Sat 02,,"))
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("week,handlers,mean_staffed,"))
    );
    // The target's KPI carries the target and whether the row meets it (91.7% against 80%).
    assert!(
        text.lines()
            .any(|l| l.starts_with("channel,calls,service_level,") && l.ends_with(",,0.8,true"))
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("hour_of_week,calls,service_level,") && l.contains(",0.8,"))
    );
    assert!(text.lines().any(|l| l.starts_with("handlers,,occupancy,")));
}

#[test]
fn out_writes_the_file_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.json");
    let out = triage_sim(&[
        "run",
        &scenario_path("mm14-patience.toml"),
        "--replications",
        "2",
        "--format",
        "json",
        "--out",
        path.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(v["channels"]["calls"]["p_wait"]["mean"].is_number());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left behind"
    );
    // A destination that cannot be replaced (a directory is in the way) is refused before the
    // run with exit code 2 and leaves no temporary file behind.
    let occupied = dir.path().join("occupied");
    std::fs::create_dir(&occupied).unwrap();
    let out = triage_sim(&[
        "run",
        &scenario_path("mm14-patience.toml"),
        "--replications",
        "2",
        "--out",
        occupied.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(occupied.is_dir());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    // A directory that does not exist is bad input, refused before running.
    let bad = dir.path().join("missing-dir").join("r.json");
    let out = triage_sim(&[
        "run",
        &scenario_path("mm14-patience.toml"),
        "--out",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!bad.exists());
}

#[test]
fn check_prints_the_resolved_scenario() {
    let out = triage_sim(&["check", &scenario_path("default.toml")]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("valid scenario") && text.contains("intercepts"),
        "{text}"
    );
    // Words and rounded numbers, not Rust's debug names and float noise (issue #16).
    for words in [
        "channel 999        calls, priority 0, 23.0 /h,",
        "channel web        deferred work, priority 2, 5.69 /h,",
        "target 90% within 24 h;",
        "target 80% within 3 min;",
        "policy queue (every call waits for an officer)",
        "serves 999, 999-callbacks; 30% of those on duty on non-call work",
    ] {
        assert!(text.contains(words), "{words}: {text}");
    }
    assert!(
        !text.contains("WhenFree") && !text.contains("Call,"),
        "{text}"
    );
}

#[test]
fn bad_input_exits_with_code_2_and_located_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, "horizon_hours = -1\n[handlers]\ncount = 1\n").unwrap();
    for cmd in ["check", "run"] {
        let out = triage_sim(&[cmd, path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{cmd}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains(
                "bad.toml:1:17: horizon_hours: got -1; expected a number of hours above 0"
            ),
            "{err}"
        );
        assert!(err.contains("channels: missing key"), "{err}");
    }
    let out = triage_sim(&["run", "/nonexistent/scenario.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let out = triage_sim(&["run"]);
    assert_eq!(out.status.code(), Some(2), "usage errors are bad input too");
}

#[test]
fn erlang_command_prints_the_reference_values() {
    let out = triage_sim(&[&ERLANG_14[..], &["--patience-s", "300", "--format", "json"]].concat());
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!((v["p_wait"].as_f64().unwrap() - 0.14526).abs() < 1e-5);
    assert!((v["p_abandon"].as_f64().unwrap() - 0.013984).abs() < 1e-6);
    assert!((v["service_level"].as_f64().unwrap() - 0.91679).abs() < 1e-5);
    assert!((v["asa_s"].as_f64().unwrap() - 4.195).abs() < 1e-3);
    let out = triage_sim(&[
        "erlang",
        "--rate-per-hour",
        "200",
        "--aht-s",
        "180",
        "--agents",
        "10",
        "--target-s",
        "20",
    ]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "Erlang C with load ≥ agents is refused"
    );
}

#[test]
fn set_overrides_values_and_reports_bad_ones_against_the_flag() {
    let path = scenario_path("mm14-patience.toml");
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&[
        "run",
        &path,
        "--replications",
        "2",
        "--format",
        "json",
        "--set",
        "handlers.count=20",
        "--set",
        "horizon_hours=50",
    ]))
    .unwrap();
    assert!(
        v["channels"]["calls"]["p_wait"]["mean"].as_f64().unwrap() < 0.05,
        "20 handlers hardly queue"
    );
    let out = triage_sim(&[
        "check",
        &path,
        "--set",
        "channels.calls.arrivals.rate_per_hour=-5",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("--set channels.calls.arrivals.rate_per_hour=-5: channels.calls.arrivals.rate_per_hour: got -5; expected a rate of at least 0 per hour"),
        "{err}"
    );
    let out = triage_sim(&["check", &path, "--set", "handlers.count.x=1"]);
    assert_eq!(out.status.code(), Some(2));
    let out = triage_sim(&["check", &path, "--set", "no-equals-sign"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn staff_json_carries_the_answer_and_the_curve() {
    let path = scenario_path("mm14-patience.toml");
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&[
        "staff",
        &path,
        "--format",
        "json",
        "--set",
        "horizon_hours=200",
        "--set",
        "handlers.count=10",
    ]))
    .unwrap();
    let needed = v["handlers_needed"].as_u64().unwrap();
    assert_eq!(v["handlers_added"].as_u64().unwrap(), needed - 10);
    assert!((12..=14).contains(&needed), "{needed}");
    let curve = v["curve"].as_array().unwrap();
    assert!(
        curve
            .iter()
            .any(|c| c["handlers"].as_u64() == Some(needed) && c["met"] == true)
    );
    assert!(curve[0]["channels"][0]["service_level"]["mean"].is_number());
}

#[test]
fn the_staff_table_says_what_its_marks_mean() {
    let path = scenario_path("mm14-patience.toml");
    let table = stdout_of(&["staff", &path, "--set", "horizon_hours=200"]);
    // The search brackets its answer, so the candidate below it misses and is marked.
    let marked = table.lines().filter(|l| l.contains('✗')).count();
    assert!(marked >= 2, "a marked row and the legend:\n{table}");
    assert!(
        table.contains("✗ a service level below its target; · on target, but"),
        "{table}"
    );
}

#[test]
fn a_sweeps_long_keys_keep_their_own_columns() {
    let path = scenario_path("northshire.toml");
    let table = stdout_of(&[
        "sweep",
        &path,
        "--vary",
        "handlers.groups.days.headcount=12..14:2",
        "--vary",
        "handlers.groups.nights.headcount=8..8",
        "--replications",
        "2",
        "--set",
        "horizon_hours=200",
    ]);
    let header: Vec<&str> = table.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(
        &header[..2],
        [
            "handlers.groups.days.headcount",
            "handlers.groups.nights.headcount"
        ],
        "{table}"
    );
    // Each value sits under the right end of its key's column.
    let first = table.lines().next().unwrap();
    let row = table.lines().nth(1).unwrap();
    let end_of = |line: &str, word: &str| line.find(word).unwrap() + word.len();
    assert_eq!(
        end_of(row, "12"),
        end_of(first, "days.headcount"),
        "{table}"
    );
}

#[test]
fn compare_and_sweep_from_the_command_line() {
    let path = scenario_path("mm14-patience.toml");
    let out = triage_sim(&[
        "compare",
        &path,
        &path,
        "--replications",
        "3",
        "--set",
        "horizon_hours=100",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("not significant"),
        "identical scenarios"
    );
    let text = stdout_of(&[
        "sweep",
        &path,
        "--vary",
        "handlers.count=12..14",
        "--replications",
        "2",
        "--format",
        "csv",
        "--set",
        "horizon_hours=100",
    ]);
    assert!(text.starts_with("handlers.count,scope,channel,kpi,mean,ci_low,ci_high\n"));
    for n in ["12", "13", "14"] {
        assert!(
            text.lines()
                .any(|l| l.starts_with(&format!("{n},channel,calls,service_level,")))
        );
    }
    let out = triage_sim(&["sweep", &path, "--vary", "handlers.count=5..1"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn chart_flag_writes_svg_or_png_and_refuses_other_formats_before_running() {
    let dir = tempfile::tempdir().unwrap();
    let path = scenario_path("mm14-patience.toml");
    let svg = dir.path().join("c.svg");
    let out = triage_sim(&[
        "run",
        &path,
        "--replications",
        "2",
        "--set",
        "horizon_hours=50",
        "--chart",
        svg.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg") && text.contains("service level by hour of the week"));
    let png = dir.path().join("c.png");
    let out = triage_sim(&[
        "run",
        &path,
        "--replications",
        "2",
        "--set",
        "horizon_hours=50",
        "--chart-kind",
        "wait",
        "--chart",
        png.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let (w, h) = (
        u32::from_be_bytes(bytes[16..20].try_into().unwrap()),
        u32::from_be_bytes(bytes[20..24].try_into().unwrap()),
    );
    assert_eq!((w, h), (960, 600));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        2,
        "no temporary files left"
    );
    let gif = dir.path().join("c.gif");
    let out = triage_sim(&["run", &path, "--chart", gif.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!gif.exists());
}

#[test]
fn a_closed_standard_output_ends_quietly_not_in_a_panic() {
    // `triage-sim run … | head -1`: the reader goes away before the table is written.
    for args in [
        vec!["run", "--replications", "2"],
        vec!["check"],
        vec!["erlang"],
    ] {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_triage-sim"));
        if args[0] == "erlang" {
            cmd.args(ERLANG_14);
        } else {
            cmd.args(&args).arg(scenario_path("mm14-patience.toml"));
        }
        // A pipe whose reading end is closed before the command starts: every write fails.
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader);
        let out = cmd.stdout(writer).output().expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    }
}

#[test]
fn erlang_takes_negative_numbers_as_values_and_refuses_them_plainly() {
    let mut args = ERLANG_14;
    args[2] = "-1";
    let out = triage_sim(&args);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "error: rate_per_hour must be a finite number above 0"
    );
}

#[test]
fn an_output_directory_that_does_not_exist_is_refused_before_running() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("no/such/dir");
    let scenario = scenario_path("mm14-patience.toml");
    for args in [
        vec!["run", &scenario, "--out"],
        vec!["run", &scenario, "--chart"],
        vec!["report", &scenario, "-o"],
    ] {
        let target = missing.join(if args[2] == "--chart" {
            "c.svg"
        } else {
            "x.out"
        });
        let target = target.display().to_string();
        let out = triage_sim(&[args.as_slice(), &[target.as_str()]].concat());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("does not exist"), "{stderr}");
    }
}

#[test]
fn unreadable_text_and_impossible_dates_are_bad_input() {
    let dir = tempfile::tempdir().expect("tempdir");
    let binary = dir.path().join("bin.toml");
    std::fs::write(&binary, b"\xff\xfe name").unwrap();
    let date = dir.path().join("date.toml");
    std::fs::write(&date, "horizon_hours = 10\nstart_date = 2024-02-30\n").unwrap();
    let missing = dir.path().join("nofile.toml");
    for (path, want) in [
        (
            &missing,
            "nofile.toml: cannot read the scenario: No such file or directory",
        ),
        (
            &binary,
            "bin.toml: cannot read the scenario: stream did not contain valid UTF-8",
        ),
        (
            &date,
            "date.toml:2:14: invalid date, expected day between 01 and 29",
        ),
    ] {
        let out = triage_sim(&["check", path.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(want), "{stderr}");
    }
}

/// JSON with every `wall_s` (the one field that measures the machine) removed.
fn without_wall_clock(mut v: serde_json::Value) -> serde_json::Value {
    match &mut v {
        serde_json::Value::Object(map) => {
            map.remove("wall_s");
            for value in map.values_mut() {
                *value = without_wall_clock(value.take());
            }
        }
        serde_json::Value::Array(items) => {
            for item in items.iter_mut() {
                *item = without_wall_clock(item.take());
            }
        }
        _ => {}
    }
    v
}

#[test]
fn every_command_takes_threads_and_answers_the_same_whatever_the_count() {
    let file = scenario_path("mm14-patience.toml");
    let commands: [&[&str]; 3] = [
        &["run", &file, "--replications", "3"],
        &[
            "staff",
            &file,
            "--replications",
            "3",
            "--set",
            "horizon_hours=200",
        ],
        &[
            "sweep",
            &file,
            "--vary",
            "handlers.count=13..15",
            "--replications",
            "3",
        ],
    ];
    for args in commands {
        let json = |threads: &str| {
            let out = triage_sim(&[args, &["--format", "json", "--threads", threads]].concat());
            assert!(
                out.status.success(),
                "{args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            without_wall_clock(serde_json::from_slice(&out.stdout).expect("json"))
        };
        assert_eq!(json("1"), json("3"), "{args:?}");
    }
    // The old place of the flag, before the file, keeps working too.
    let out = triage_sim(&["--threads", "2", "run", &file, "--replications", "2"]);
    assert!(out.status.success());
}

#[test]
fn sweep_refuses_an_unknown_kpi_before_running() {
    let out = triage_sim(&[
        "sweep",
        &scenario_path("mm14-patience.toml"),
        "--vary",
        "handlers.count=14..15",
        "--kpi",
        "servise_level",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "--kpi servise_level: no channel reports it; expected one of offered, answered"
        ),
        "{stderr}"
    );
}

#[test]
fn an_error_written_to_a_full_stderr_still_exits_2() {
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full");
    let Ok(full) = full else {
        return; // No /dev/full on this system: nothing to test.
    };
    let status = Command::new(env!("CARGO_BIN_EXE_triage-sim"))
        .args(["check", "no-such-file.toml"])
        .stderr(full)
        .status()
        .expect("binary runs");
    assert_eq!(status.code(), Some(2), "it used to panic (exit 101)");
}

#[test]
fn staff_answers_for_a_base_too_small_to_keep_up() {
    // 20 Erlangs of infinitely patient work on 15 handlers: `run` refuses it as unstable, `staff`
    // says how many are needed.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("short.toml");
    std::fs::write(
        &file,
        "horizon_hours = 500\nreplications = 4\n[channels.work]\nkind = \"deferred\"\npriority = 0\narrivals = { rate_per_hour = 240 }\nhandle_time = { dist = \"exponential\", mean_s = 300 }\ntarget = { answer_within_s = 600, fraction = 0.8 }\n[handlers]\ncount = 15\n",
    )
    .unwrap();
    let run = triage_sim(&["run", file.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    let staff = triage_sim(&["staff", file.to_str().unwrap(), "--format", "json"]);
    assert!(
        staff.status.success(),
        "{}",
        String::from_utf8_lossy(&staff.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&staff.stdout).unwrap();
    assert_eq!(v["handlers_current"], 15);
    let needed = v["handlers_needed"].as_u64().unwrap();
    assert!((21..=24).contains(&needed), "{needed}");
    assert_eq!(v["handlers_added"].as_i64().unwrap(), needed as i64 - 15);
}

#[test]
fn erlang_solves_for_agents_with_shrinkage_and_an_occupancy_cap() {
    let base = [
        "erlang",
        "--rate-per-hour",
        "200",
        "--aht-s",
        "180",
        "--target-s",
        "20",
        "--fraction",
        "0.8",
    ];
    let csv = triage_sim(&[&base[..], &["--shrinkage", "0.35", "--format", "csv"]].concat());
    assert!(
        csv.status.success(),
        "{}",
        String::from_utf8_lossy(&csv.stderr)
    );
    let text = String::from_utf8_lossy(&csv.stdout);
    // Erlang C: 14 agents reach 88.8% within 20 s (13 reach 77.5%); 14 ÷ 0.65 = 21.5 → 22.
    assert!(text.starts_with("kpi,value\n"), "{text}");
    assert!(
        text.contains("agents_needed,14\n") && text.contains("positions_needed,22\n"),
        "{text}"
    );
    // A 65% occupancy cap needs 16 (10 Erlangs ÷ 16 = 62.5%; ÷ 15 = 66.7%).
    let capped =
        triage_sim(&[&base[..], &["--max-occupancy", "0.65", "--format", "json"]].concat());
    let v: serde_json::Value = serde_json::from_slice(&capped.stdout).unwrap();
    assert_eq!(v["agents_needed"], 16);
    assert!(v["occupancy"].as_f64().unwrap() <= 0.65);
    // Neither --agents nor --fraction, or both: exit 2 saying what is expected.
    let neither = triage_sim(&[
        "erlang",
        "--rate-per-hour",
        "200",
        "--aht-s",
        "180",
        "--target-s",
        "20",
    ]);
    assert_eq!(neither.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&neither.stderr).contains("expected --agents N"));
    let both = triage_sim(&[&base[..], &["--agents", "14"]].concat());
    assert_eq!(both.status.code(), Some(2));
}

#[test]
fn outputs_never_overwrite_inputs_or_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.toml");
    std::fs::copy(scenario_path("mm14-patience.toml"), &file).unwrap();
    let before = std::fs::read(&file).unwrap();
    let f = file.to_str().unwrap();
    let twin = dir.path().join("./s.toml");
    for (args, expected) in [
        (vec!["run", f, "--out", f], "that is the input"),
        (
            vec!["run", f, "--out", twin.to_str().unwrap()],
            "that is the input",
        ),
        (vec!["run", f, "--chart", f], "expected a chart file"),
        (vec!["run", f, "--calls", f], "--calls"),
        (
            vec!["sweep", f, "--vary", "handlers.count=14..15", "--out", f],
            "that is the input",
        ),
    ] {
        let out = triage_sim(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expected), "{args:?}: {err}");
    }
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "the scenario is untouched"
    );
    let svg = dir.path().join("x.svg");
    let both = triage_sim(&[
        "run",
        f,
        "--out",
        svg.to_str().unwrap(),
        "--chart",
        svg.to_str().unwrap(),
    ]);
    assert_eq!(both.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&both.stderr).contains("--out and --chart are both"));
    assert!(!svg.exists());
}

#[test]
fn seeds_beyond_what_a_file_can_hold_are_refused() {
    let f = scenario_path("mm14-patience.toml");
    let out = triage_sim(&["run", &f, "--seed", "9223372036854775808"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--seed"));
}

#[test]
fn profile_weights_near_the_largest_float_keep_their_volume() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.toml");
    let w = vec!["1e308"; 24].join(", ");
    std::fs::write(&file, format!("horizon_hours = 100\nreplications = 2\n[channels.c]\nkind = \"call\"\npriority = 0\narrivals = {{ rate_per_hour = 100, hour_of_day = [{w}] }}\nhandle_time = {{ dist = \"exponential\", mean_s = 60 }}\npatience = {{ dist = \"exponential\", mean_s = 60 }}\ntarget = {{ answer_within_s = 20, fraction = 0.8 }}\n[handlers]\ncount = 5\n")).unwrap();
    let out = triage_sim(&["run", file.to_str().unwrap(), "--format", "json"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let offered = v["channels"]["c"]["offered"]["mean"].as_f64().unwrap();
    assert!((offered - 10_000.0).abs() < 500.0, "{offered}");
}

#[test]
fn confidence_intervals_stay_within_the_possible_values() {
    // Two replications give wide Student-t intervals: shares must stay in [0, 1] and counts,
    // times and levels at or above 0, per channel, pool and interval cell.
    let f = scenario_path("staffordshire-2024.toml");
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&[
        "run",
        &f,
        "--replications",
        "2",
        "--set",
        "horizon_hours=336",
        "--format",
        "json",
    ]))
    .unwrap();
    let mut checked = 0;
    fn walk(name: &str, v: &serde_json::Value, checked: &mut usize) {
        match v {
            serde_json::Value::Object(m) if m.contains_key("ci_low") => {
                let (lo, hi) = (m["ci_low"].as_f64(), m["ci_high"].as_f64());
                if let (Some(lo), Some(hi)) = (lo, hi) {
                    *checked += 1;
                    assert!(lo >= 0.0, "{name}: {v}");
                    let share = triage_sim::stats::kpi::lookup(name)
                        .is_some_and(|k| k.unit == triage_sim::stats::kpi::Unit::Share);
                    if share {
                        assert!(hi <= 1.0, "{name}: {v}");
                    }
                }
            }
            serde_json::Value::Object(m) => m.iter().for_each(|(k, x)| walk(k, x, checked)),
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(name, x, checked)),
            _ => {}
        }
    }
    walk("", &v, &mut checked);
    assert!(checked > 1000, "{checked}");
}

#[test]
fn varied_values_are_checked_like_the_file_s() {
    let f = scenario_path("staffordshire-2024.toml");
    for range in [
        "triage.officers=-2..1",
        "triage.officers=1..3:0.5",
        "triage.officers=4294967295..4294967295",
    ] {
        let out = triage_sim(&["staff", &f, "--vary", range]);
        assert_eq!(out.status.code(), Some(2), "{range}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("expected whole numbers of officers"),
            "{range}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let twice = triage_sim(&[
        "sweep",
        &scenario_path("mm14-patience.toml"),
        "--vary",
        "handlers.count=14..15",
        "--vary",
        "handlers.count=16..17",
    ]);
    assert_eq!(twice.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&twice.stderr).contains("the same key twice"));
}

#[test]
fn compare_a_file_with_a_changed_copy_of_itself() {
    let path = scenario_path("mm14-patience.toml");
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&[
        "compare",
        &path,
        "--set-b",
        "handlers.count=16",
        "--set",
        "horizon_hours=200",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(v["b"], "M/M/14 with patience with handlers.count=16");
    let sl = calls_service_level(&v);
    // Two more agents: Erlang A goes from 91.7% to about 97.6% within 20 s.
    assert_eq!(sl["significant"], true, "{sl}");
    assert!(sl["difference"]["ci_low"].as_f64().unwrap() > 0.03, "{sl}");
    // --set-a changes A only: both sides at 16 agents differ in nothing.
    let same = triage_sim(&[
        "compare",
        &path,
        "--set-a",
        "handlers.count=16",
        "--set-b",
        "handlers.count=16",
        "--set",
        "horizon_hours=200",
    ]);
    let text = String::from_utf8(same.stdout).unwrap();
    let line = text.lines().find(|l| l.contains("service_level")).unwrap();
    assert!(
        line.contains("97.") && line.contains("not significant"),
        "{text}"
    );
    // Differences of shares are in percentage points, signed.
    assert!(line.contains("+0.00 pp ± 0.00"), "{text}");
    // Neither B nor --set-a/--set-b: nothing to compare.
    let none = triage_sim(&["compare", &path]);
    assert_eq!(none.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&none.stderr)
            .contains("compare needs scenario B, or --set-a/--set-b"),
        "{}",
        String::from_utf8_lossy(&none.stderr)
    );
}

#[test]
fn check_counts_the_recruits_in_post() {
    // 2 teams of 10 on 12-hour 4-on/4-off shifts with 20% shrinkage, 4 recruits trained before
    // the run and 6 joining later: (20 + 4) × ½ (days on) × ½ (of the day) × 0.8 = 4.8.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hires.toml");
    std::fs::write(
        &path,
        r#"start_date = 2024-01-01
horizon_hours = 2000
[channels.calls]
kind = "call"
priority = 1
arrivals = { rate_per_hour = 10 }
handle_time = { dist = "exponential", mean_s = 180 }
patience = { dist = "exponential", mean_s = 300 }
target = { answer_within_s = 20, fraction = 0.8 }
[handlers]
shrinkage = 0.2
[handlers.groups.days]
headcount = 10
teams = 2
pattern = "4on4off"
shift_start = "08:00"
shift_hours = 12
[[handlers.hires]]
group = "days"
start_date = 2023-06-01
count = 4
training_weeks = 8
[[handlers.hires]]
group = "days"
start_date = 2024-02-01
count = 6
training_weeks = 8
"#,
    )
    .unwrap();
    let text = stdout_of(&["check", path.to_str().unwrap()]);
    assert!(
        text.contains("4.8 on the phones on average at the start (the rotas and the recruits in post; 6 more recruits join later)"),
        "{text}"
    );
}

#[test]
fn run_compare_and_staff_say_whether_each_target_is_met() {
    let file = scenario_path("mm14-patience.toml");
    // run: JSON targets.<channel>, and two table rows under the channels.
    let v: serde_json::Value = serde_json::from_slice(
        &triage_sim(&["run", &file, "--replications", "2", "--format", "json"]).stdout,
    )
    .unwrap();
    let t = &v["targets"]["calls"];
    assert_eq!(t["target"], 0.8);
    assert_eq!(t["kpi"], "service_level");
    assert_eq!(t["answer_within_s"], 20.0);
    assert_eq!(t["met"], true);
    assert_eq!(t["estimate"], v["channels"]["calls"]["service_level"]);
    let table =
        String::from_utf8(triage_sim(&["run", &file, "--replications", "2"]).stdout).unwrap();
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("target") && l.contains("80% in 20 s")),
        "{table}"
    );
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("met") && l.ends_with("yes")),
        "{table}"
    );
    // A stricter target is missed, and said so.
    let strict = triage_sim(&[
        "run",
        &file,
        "--replications",
        "2",
        "--set",
        "channels.calls.target.fraction=0.95",
    ]);
    let table = String::from_utf8(strict.stdout).unwrap();
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("met") && l.ends_with("NO")),
        "{table}"
    );
    // compare: each side's target on its own terms (B raises it to 95%).
    let v: serde_json::Value = serde_json::from_slice(
        &triage_sim(&[
            "compare",
            &file,
            "--set-b",
            "channels.calls.target.fraction=0.95",
            "--replications",
            "2",
            "--format",
            "json",
        ])
        .stdout,
    )
    .unwrap();
    let sl = calls_service_level(&v);
    assert_eq!(
        (sl["target_a"].as_f64(), sl["met_a"].as_bool()),
        (Some(0.8), Some(true))
    );
    assert_eq!(
        (sl["target_b"].as_f64(), sl["met_b"].as_bool()),
        (Some(0.95), Some(false))
    );
    // The table says whose target each percentage is, not the estimate's value.
    let table = stdout_of(&[
        "compare",
        &file,
        "--set-b",
        "channels.calls.target.fraction=0.95",
        "--replications",
        "2",
    ]);
    assert!(
        table.contains("calls service_level: A met its 80.0% target, B MISSED its 95.0% target"),
        "{table}"
    );
    // staff: per channel and candidate, in JSON and CSV.
    let v: serde_json::Value = serde_json::from_slice(
        &triage_sim(&["staff", &file, "--replications", "2", "--format", "json"]).stdout,
    )
    .unwrap();
    for c in v["curve"].as_array().unwrap() {
        let ch = &c["channels"][0];
        let met = ch["service_level"]["mean"].as_f64().unwrap() >= 0.8;
        assert_eq!(ch["met"], met, "{c}");
    }
    let csv = String::from_utf8(
        triage_sim(&["staff", &file, "--replications", "2", "--format", "csv"]).stdout,
    )
    .unwrap();
    assert!(csv.starts_with("handlers,added,channel,kpi,mean,ci_low,ci_high,target,met\n"));
    assert!(
        csv.lines()
            .any(|l| l.contains(",calls,service_level,") && l.ends_with(",0.8,false"))
    );
}

#[test]
fn a_wrong_group_or_channel_lists_the_names_and_the_closest() {
    let file = scenario_path("staffordshire-2024.toml");
    let out = triage_sim(&["staff", &file, "--group", "nights", "--replications", "2"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`days101`, `days999`") && err.contains("did you mean `nights101`?"),
        "{err}"
    );
    let out = triage_sim(&["hire", &file, "--channel", "1O1"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--channel 1O1") && err.contains("did you mean `101`?"),
        "{err}"
    );
}

/// One command line: the shared flags on every command where they make sense, and examples
/// in every `--help`.
#[test]
fn every_command_has_the_shared_flags_and_examples() {
    let scenario_commands = [
        "run", "check", "staff", "compare", "sweep", "report", "backtest", "rota", "hire",
    ];
    let simulating = [
        "run",
        "staff",
        "compare",
        "sweep",
        "report",
        "published",
        "calibrate",
        "backtest",
        "rota",
        "hire",
    ];
    let all = [
        "run",
        "check",
        "staff",
        "compare",
        "sweep",
        "report",
        "published",
        "erlang",
        "fit",
        "calibrate",
        "backtest",
        "rota",
        "hire",
    ];
    for command in all {
        let help = stdout_of(&[command, "--help"]);
        assert!(help.contains("Example"), "{command} --help has no example");
        assert!(help.contains("--threads"), "{command}: --threads");
        if scenario_commands.contains(&command) {
            for flag in ["--set <KEY.PATH=VALUE>", "--seed <SEED>"] {
                assert!(help.contains(flag), "{command}: {flag}");
            }
        }
        if simulating.contains(&command) {
            assert!(help.contains("--replications"), "{command}: --replications");
        }
        if command != "check" && command != "erlang" {
            assert!(help.contains("-o, --out"), "{command}: -o/--out");
        }
        if help.contains("--chart <") {
            assert!(help.contains(".png"), "{command}: --chart names PNG");
        }
    }
    // --seed S is --set seed=S, on every command that reads a scenario.
    let scenario = scenario_path("mm14-patience.toml");
    let seed_of = |flags: &[&str]| -> serde_json::Value {
        let args = [
            &[
                "run",
                scenario.as_str(),
                "--replications",
                "2",
                "--format",
                "json",
            ],
            flags,
        ]
        .concat();
        serde_json::from_str::<serde_json::Value>(&stdout_of(&args)).unwrap()["seed"].clone()
    };
    assert_eq!(seed_of(&["--seed", "77"]), 77);
    assert_eq!(seed_of(&["--set", "seed=77"]), 77);
    assert_eq!(
        seed_of(&["--set", "seed=5", "--seed", "77"]),
        77,
        "--seed last"
    );
    let check = stdout_of(&["check", scenario.as_str(), "--seed", "31"]);
    assert!(check.contains("seed 31"), "{check}");
}

/// Channels on one side only are listed, not dropped silently.
#[test]
fn compare_lists_channels_only_one_side_has() {
    let (a, b) = (
        scenario_path("staffordshire-2021.toml"),
        scenario_path("staffordshire-2024.toml"),
    );
    let args = |format: &'static str| {
        vec![
            "compare",
            a.as_str(),
            b.as_str(),
            "--replications",
            "2",
            "--set",
            "horizon_hours=100",
            "--set",
            "warmup_hours=0",
            "--format",
            format,
        ]
    };
    let out = triage_sim(&args("table"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("only in B, so not compared: chat"),
        "{table}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("only in B, so not compared: chat"));
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&args("json"))).unwrap();
    assert_eq!(v["only_in_a"], serde_json::json!([]));
    assert_eq!(v["only_in_b"], serde_json::json!(["chat"]));
}

/// The progress line is for terminals: piped, a long command's standard error carries no
/// progress, and its output is the same as ever.
#[test]
fn progress_is_silent_off_a_terminal() {
    let scenario = scenario_path("mm14-patience.toml");
    let out = triage_sim(&["staff", scenario.as_str(), "--replications", "4"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("simulating") && !stderr.contains('\r'),
        "{stderr}"
    );
}

/// The `calls` channel's service-level row of a `compare --format json` document.
fn calls_service_level(v: &serde_json::Value) -> &serde_json::Value {
    v["differences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["channel"] == "calls" && d["kpi"] == "service_level")
        .unwrap()
}
