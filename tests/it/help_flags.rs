//! Every flag a subcommand's `--help` advertises runs (round three, item 20: `published
//! --chart` and `calibrate --chart` were advertised and refused, `fit --format csv` too).
//!
//! The test reads each `--help`, and fails for a flag that has no invocation below (a new flag
//! must be exercised here) or whose invocation does not succeed; every value `--format` lists
//! is run as well.

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::triage_sim;

const SUBCOMMANDS: [&str; 13] = [
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

/// Two weeks of a small force: shift groups, a recruit cohort and a triage officer, so that
/// every planning flag has something to act on.
const TINY: &str = r#"
name = "tiny"
horizon_hours = 336
warmup_hours = 24
replications = 2
seed = 1
start_date = 2025-01-06
[channels.999]
kind = "call"
priority = 0
arrivals = { rate_per_hour = 6 }
handle_time = { dist = "exponential", mean_s = 300 }
patience = { dist = "exponential", mean_s = 600 }
target = { answer_within_s = 10, fraction = 0.9 }
[channels.101]
kind = "call"
priority = 1
arrivals = { rate_per_hour = 10 }
handle_time = { dist = "exponential", mean_s = 400 }
patience = { dist = "exponential", mean_s = 900 }
target = { answer_within_s = 180, fraction = 0.8 }
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
[[handlers.hires]]
group = "days"
count = 2
start_date = 2025-01-06
training_weeks = 1
ramp_weeks = 1
[triage]
channels = ["101"]
officers = 1
policy = "queue"
resolve_fraction = 0.3
handle_time = { dist = "exponential", mean_s = 120 }
"#;

/// The long flags (without `--`) a subcommand's help lists, and the values its `--format`
/// takes.
fn advertised(sub: &str) -> (BTreeSet<String>, Vec<String>) {
    let help = String::from_utf8(triage_sim(&[sub, "--help"]).stdout).expect("UTF-8 help");
    let mut flags = BTreeSet::new();
    let mut formats = Vec::new();
    let mut in_format = false;
    for line in help.lines() {
        let t = line.trim_start();
        let flag = t
            .strip_prefix("-")
            .and_then(|rest| rest.split_once("--").map(|(_, f)| f))
            .or_else(|| t.strip_prefix("--"))
            .filter(|_| t.starts_with('-'));
        if let Some(f) = flag {
            let name: String = f
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            in_format = name == "format";
            flags.insert(name);
        }
        if in_format && let Some(values) = t.strip_prefix("[possible values: ") {
            formats = values
                .trim_end_matches(']')
                .split(", ")
                .map(str::to_owned)
                .collect();
        }
    }
    flags.remove("help");
    (flags, formats)
}

/// One invocation per flag: `(subcommand, flag, arguments)`, in the directory `d`, where
/// `s.toml` is [`TINY`], `c.csv` its calls, `st.csv` a staffing file and `fig.toml` a figure.
fn invocations(d: &Path) -> Vec<(&'static str, &'static str, Vec<String>)> {
    let p = |name: &str| d.join(name).to_str().expect("UTF-8 path").to_owned();
    let (s, c, st, fig) = (p("s.toml"), p("c.csv"), p("st.csv"), p("fig.toml"));
    let o = |name: &str| p(name);
    let v = |args: &[&str]| args.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>();
    let mut out = Vec::new();
    let mut add = |sub: &'static str, flag: &'static str, args: Vec<String>| {
        out.push((sub, flag, args));
    };
    // run
    add(
        "run",
        "replications",
        v(&["run", &s, "--replications", "2"]),
    );
    add("run", "out", v(&["run", &s, "--out", &o("run.txt")]));
    add("run", "chart", v(&["run", &s, "--chart", &o("run.svg")]));
    add("run", "calls", v(&["run", &s, "--calls", &o("calls2.csv")]));
    add("run", "staffing", v(&["run", &s, "--staffing", &st]));
    add(
        "run",
        "chart-kind",
        v(&["run", &s, "--chart", &o("w.svg"), "--chart-kind", "wait"]),
    );
    add("run", "timing", v(&["run", &s, "--timing"]));
    add("run", "set", v(&["run", &s, "--set", "seed=3"]));
    add("run", "seed", v(&["run", &s, "--seed", "3"]));
    add("run", "force", v(&["run", &s, "--force"]));
    add("run", "threads", v(&["run", &s, "--threads", "1"]));
    // check
    add("check", "set", v(&["check", &s, "--set", "seed=3"]));
    add("check", "seed", v(&["check", &s, "--seed", "3"]));
    add("check", "out", v(&["check", &s, "--out", &o("check.txt")]));
    add("check", "threads", v(&["check", &s, "--threads", "1"]));
    // staff
    add("staff", "group", v(&["staff", &s, "--group", "days"]));
    add("staff", "channel", v(&["staff", &s, "--channel", "999"]));
    add("staff", "max-added", v(&["staff", &s, "--max-added", "5"]));
    add(
        "staff",
        "every-interval",
        v(&["staff", &s, "--every-interval", "week"]),
    );
    add(
        "staff",
        "vary",
        v(&["staff", &s, "--vary", "triage.officers=1..2"]),
    );
    add("staff", "as-recruits", v(&["staff", &s, "--as-recruits"]));
    add(
        "staff",
        "risk",
        v(&["staff", &s, "--risk", "0.2", "--max-replications", "4"]),
    );
    add(
        "staff",
        "max-replications",
        v(&["staff", &s, "--risk", "0.2", "--max-replications", "4"]),
    );
    add("staff", "by-interval", v(&["staff", &s, "--by-interval"]));
    add(
        "staff",
        "grid",
        v(&["staff", &s, "--by-interval", "--grid"]),
    );
    add(
        "staff",
        "alpha",
        v(&["staff", &s, "--by-interval", "--alpha", "0.3"]),
    );
    add(
        "staff",
        "replications",
        v(&["staff", &s, "--replications", "2"]),
    );
    add("staff", "out", v(&["staff", &s, "--out", &o("staff.txt")]));
    add(
        "staff",
        "chart",
        v(&["staff", &s, "--chart", &o("staff.svg")]),
    );
    add("staff", "set", v(&["staff", &s, "--set", "seed=3"]));
    add("staff", "seed", v(&["staff", &s, "--seed", "3"]));
    add("staff", "force", v(&["staff", &s, "--force"]));
    add("staff", "threads", v(&["staff", &s, "--threads", "1"]));
    // compare
    add("compare", "set-a", v(&["compare", &s, "--set-a", "seed=2"]));
    add(
        "compare",
        "set-b",
        v(&["compare", &s, "--set-b", "handlers.groups.days.headcount=9"]),
    );
    add(
        "compare",
        "replications",
        v(&["compare", &s, &s, "--replications", "2"]),
    );
    add(
        "compare",
        "kpi",
        v(&["compare", &s, &s, "--kpi", "service_level"]),
    );
    add(
        "compare",
        "out",
        v(&["compare", &s, &s, "--out", &o("cmp.txt")]),
    );
    add(
        "compare",
        "chart",
        v(&["compare", &s, &s, "--chart", &o("cmp.svg")]),
    );
    add("compare", "set", v(&["compare", &s, &s, "--set", "seed=3"]));
    add("compare", "seed", v(&["compare", &s, &s, "--seed", "3"]));
    add("compare", "force", v(&["compare", &s, &s, "--force"]));
    add(
        "compare",
        "threads",
        v(&["compare", &s, &s, "--threads", "1"]),
    );
    // sweep
    let sw = |extra: &[&str]| {
        let mut a = v(&["sweep", &s, "--vary", "handlers.groups.days.headcount=8..9"]);
        a.extend(v(extra));
        a
    };
    add("sweep", "vary", sw(&[]));
    add("sweep", "kpi", sw(&["--kpi", "service_level"]));
    add("sweep", "replications", sw(&["--replications", "2"]));
    add("sweep", "out", sw(&["--out", &o("sweep.txt")]));
    add("sweep", "chart", sw(&["--chart", &o("sweep.svg")]));
    add("sweep", "set", sw(&["--set", "seed=3"]));
    add("sweep", "seed", sw(&["--seed", "3"]));
    add("sweep", "force", sw(&["--force"]));
    add("sweep", "threads", sw(&["--threads", "1"]));
    // report
    let rep = |extra: &[&str]| {
        let mut a = v(&["report", &s, "-o", &o("r.html"), "--no-staffing"]);
        a.extend(v(extra));
        a
    };
    add("report", "out", v(&["report", &s, "--out", &o("r2.html")]));
    add("report", "replications", rep(&["--replications", "2"]));
    add("report", "no-staffing", rep(&[]));
    add("report", "set", rep(&["--set", "seed=3"]));
    add("report", "seed", rep(&["--seed", "3"]));
    add("report", "force", rep(&["--force"]));
    add("report", "threads", rep(&["--threads", "1"]));
    // published
    add(
        "published",
        "replications",
        v(&["published", &fig, "--replications", "2"]),
    );
    add(
        "published",
        "out",
        v(&["published", &fig, "--out", &o("pub.txt")]),
    );
    add(
        "published",
        "set",
        v(&["published", &fig, "--set", "seed=3"]),
    );
    add("published", "seed", v(&["published", &fig, "--seed", "3"]));
    add("published", "force", v(&["published", &fig, "--force"]));
    add(
        "published",
        "threads",
        v(&["published", &fig, "--threads", "1"]),
    );
    // erlang
    let er = |extra: &[&str]| {
        let mut a = v(&[
            "erlang",
            "--rate-per-hour",
            "200",
            "--aht-s",
            "180",
            "--target-s",
            "20",
        ]);
        a.extend(v(extra));
        a
    };
    add("erlang", "rate-per-hour", er(&["--agents", "14"]));
    add("erlang", "aht-s", er(&["--agents", "14"]));
    add("erlang", "agents", er(&["--agents", "14"]));
    add("erlang", "target-s", er(&["--agents", "14"]));
    add(
        "erlang",
        "patience-s",
        er(&["--agents", "14", "--patience-s", "300"]),
    );
    add("erlang", "fraction", er(&["--fraction", "0.8"]));
    add(
        "erlang",
        "shrinkage",
        er(&["--fraction", "0.8", "--shrinkage", "0.3"]),
    );
    add(
        "erlang",
        "max-occupancy",
        er(&["--fraction", "0.8", "--max-occupancy", "0.9"]),
    );
    let loss = |extra: &[&str]| {
        let mut a = v(&[
            "erlang",
            "--loss",
            "--rate-per-hour",
            "60",
            "--aht-s",
            "120",
        ]);
        a.extend(v(extra));
        a
    };
    add("erlang", "loss", loss(&["--agents", "4"]));
    add("erlang", "max-blocking", loss(&["--max-blocking", "0.05"]));
    add(
        "erlang",
        "out",
        er(&["--agents", "14", "--out", &o("erl.txt")]),
    );
    add(
        "erlang",
        "threads",
        er(&["--agents", "14", "--threads", "1"]),
    );
    // fit
    let ft = |extra: &[&str]| {
        let mut a = v(&["fit", &c, "-o", &o("fit.toml")]);
        a.extend(v(extra));
        a
    };
    add("fit", "out", v(&["fit", &c, "--out", &o("fit2.toml")]));
    add("fit", "from", ft(&["--from", "2025-01-08"]));
    add("fit", "to", ft(&["--to", "2025-01-15"]));
    add("fit", "strict", ft(&["--strict"]));
    add("fit", "map", ft(&["--map", "caller=caller"]));
    add("fit", "chart", ft(&["--chart", &o("fit.svg")]));
    add(
        "fit",
        "channel",
        ft(&["--chart", &o("fit2.svg"), "--channel", "101"]),
    );
    add(
        "fit",
        "staffing-out",
        ft(&["--staffing-out", &o("fitted-staffing.csv")]),
    );
    add("fit", "handle-time", ft(&["--handle-time", "empirical"]));
    add("fit", "threads", ft(&["--threads", "1"]));
    // calibrate
    let cal = |extra: &[&str]| {
        let mut a = v(&[
            "calibrate",
            "--target",
            &fig,
            "--vary",
            "triage.officers=1..2",
        ]);
        a.extend(v(extra));
        a
    };
    add("calibrate", "target", cal(&[]));
    add("calibrate", "vary", cal(&[]));
    add(
        "calibrate",
        "data",
        v(&[
            "calibrate",
            "--data",
            &c,
            &s,
            "--vary",
            "triage.officers=1..2",
            "--replications",
            "2",
        ]),
    );
    add(
        "calibrate",
        "staffing",
        v(&[
            "calibrate",
            "--data",
            &c,
            &s,
            "--vary",
            "triage.officers=1..2",
            "--staffing",
            &st,
        ]),
    );
    add("calibrate", "replications", cal(&["--replications", "2"]));
    add("calibrate", "out", cal(&["--out", &o("cal.txt")]));
    add("calibrate", "set", cal(&["--set", "seed=3"]));
    add("calibrate", "seed", cal(&["--seed", "3"]));
    add("calibrate", "force", cal(&["--force"]));
    add("calibrate", "threads", cal(&["--threads", "1"]));
    // backtest
    let bt = |extra: &[&str]| {
        let mut a = v(&["backtest", &s, &c]);
        a.extend(v(extra));
        a
    };
    add("backtest", "from", bt(&["--from", "2025-01-08"]));
    add("backtest", "to", bt(&["--to", "2025-01-15"]));
    add("backtest", "strict", bt(&["--strict"]));
    add("backtest", "map", bt(&["--map", "caller=caller"]));
    add("backtest", "staffing", bt(&["--staffing", &st]));
    add(
        "backtest",
        "channel",
        bt(&["--chart", &o("bt.svg"), "--channel", "101"]),
    );
    add("backtest", "replications", bt(&["--replications", "2"]));
    add("backtest", "out", bt(&["--out", &o("bt.txt")]));
    add("backtest", "chart", bt(&["--chart", &o("bt2.svg")]));
    add("backtest", "set", bt(&["--set", "seed=3"]));
    add("backtest", "seed", bt(&["--seed", "3"]));
    add("backtest", "force", bt(&["--force"]));
    add("backtest", "threads", bt(&["--threads", "1"]));
    // rota
    let ro = |extra: &[&str]| {
        let mut a = v(&["rota", &s]);
        a.extend(v(extra));
        a
    };
    add("rota", "shift-lengths", ro(&["--shift-lengths", "8,12"]));
    add("rota", "patterns", ro(&["--patterns", "4on4off"]));
    add("rota", "starts", ro(&["--starts", "06..20"]));
    add("rota", "alpha", ro(&["--alpha", "0.3"]));
    add(
        "rota",
        "unsocial-premium",
        ro(&["--unsocial-premium", "0.2"]),
    );
    add(
        "rota",
        "unsocial-hours",
        ro(&["--unsocial-premium", "0.2", "--unsocial-hours", "20..06"]),
    );
    add("rota", "max-shifts", ro(&["--max-shifts", "6"]));
    add("rota", "replications", ro(&["--replications", "2"]));
    add(
        "rota",
        "scenario-out",
        ro(&["--scenario-out", &o("rota.toml")]),
    );
    add("rota", "out", ro(&["--out", &o("rota.txt")]));
    add("rota", "chart", ro(&["--chart", &o("rota.svg")]));
    add("rota", "set", ro(&["--set", "seed=3"]));
    add("rota", "seed", ro(&["--seed", "3"]));
    add("rota", "threads", ro(&["--threads", "1"]));
    add("rota", "force", ro(&["--force"]));
    // hire
    let hi = |extra: &[&str]| {
        let mut a = v(&["hire", &s, "--months", "1"]);
        a.extend(v(extra));
        a
    };
    add("hire", "channel", hi(&["--channel", "999"]));
    add("hire", "group", hi(&["--group", "days"]));
    add("hire", "min-class", hi(&["--min-class", "2"]));
    add("hire", "max-class", hi(&["--max-class", "10"]));
    add("hire", "months", hi(&[]));
    add(
        "hire",
        "intake-dates",
        hi(&["--intake-dates", "2025-01-06"]),
    );
    add(
        "hire",
        "cost-per-recruit",
        hi(&["--cost-per-recruit", "9000"]),
    );
    add("hire", "risk", hi(&["--risk", "0.2"]));
    add("hire", "replications", hi(&["--replications", "2"]));
    add("hire", "out", hi(&["--out", &o("hire.txt")]));
    add("hire", "chart", hi(&["--chart", &o("hire.svg")]));
    add("hire", "set", hi(&["--set", "seed=3"]));
    add("hire", "seed", hi(&["--seed", "3"]));
    add("hire", "threads", hi(&["--threads", "1"]));
    add("hire", "force", hi(&["--force"]));
    out
}

/// The arguments that exercise `--format VALUE` on `sub` (its `out` invocation, to a file).
fn with_format(cases: &[(&str, &str, Vec<String>)], sub: &str, value: &str) -> Vec<String> {
    let (_, _, base) = cases
        .iter()
        .find(|(s, f, _)| *s == sub && *f == "out")
        .expect("every command with --format has an --out case");
    let mut args = base.clone();
    args.extend(["--format".to_owned(), value.to_owned()]);
    args
}

#[test]
fn every_flag_in_every_help_runs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("s.toml"), TINY).unwrap();
    std::fs::write(
        d.join("st.csv"),
        "interval_start,on_duty,group\n2025-01-06 00:00,4,days\n",
    )
    .unwrap();
    std::fs::write(
        d.join("fig.toml"),
        "[[figure]]\nname = \"999 mean wait\"\nscenario = \"s.toml\"\nkpi = \"channels.999.mean_wait_s\"\nvalue = 5.0\ntolerance = 5.0\nperiod = \"two weeks\"\nbasis = \"force clock\"\nsource = \"made up for the test\"\n",
    )
    .unwrap();
    let calls = triage_sim(&[
        "run",
        d.join("s.toml").to_str().unwrap(),
        "--calls",
        d.join("c.csv").to_str().unwrap(),
        "-o",
        d.join("first.txt").to_str().unwrap(),
    ]);
    assert!(
        calls.status.success(),
        "{}",
        String::from_utf8_lossy(&calls.stderr)
    );
    let cases = invocations(d);
    let mut problems = Vec::new();
    for sub in SUBCOMMANDS {
        let (flags, formats) = advertised(sub);
        assert!(!flags.is_empty(), "{sub} --help lists no flags");
        // `--format` is run with each of its values below.
        for flag in flags.iter().filter(|f| *f != "format") {
            if !cases.iter().any(|(s, f, _)| *s == sub && f == flag) {
                problems.push(format!(
                    "{sub} --{flag}: advertised, but this test runs no case for it"
                ));
            }
        }
        let mut runs: Vec<(String, Vec<String>)> = cases
            .iter()
            .filter(|(s, _, _)| *s == sub)
            .map(|(_, f, a)| (format!("--{f}"), a.clone()))
            .collect();
        for value in &formats {
            runs.push((format!("--format {value}"), with_format(&cases, sub, value)));
        }
        for (what, args) in runs {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = triage_sim(&args);
            if !out.status.success() {
                problems.push(format!(
                    "{sub} {what}: exit {:?}: {}",
                    out.status.code(),
                    String::from_utf8_lossy(&out.stderr)
                        .lines()
                        .next()
                        .unwrap_or("")
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
