//! Helpers shared by the tests: building scenarios and comparing estimates with theory.

use triage_sim::stats::{Estimate, Kpis, get};
use triage_sim::{Results, Scenario};

/// Parses a scenario from TOML text, panicking with the error text if it is invalid.
pub fn scenario(text: &str) -> Scenario {
    Scenario::from_toml_str(text, "test.toml")
        .unwrap_or_else(|e| panic!("invalid test scenario:\n{e}"))
}

/// A KPI estimate of a channel.
pub fn kpi(results: &Results, channel: &str, name: &str) -> Estimate {
    let (_, kpis) = results
        .channels
        .iter()
        .find(|(n, _)| n == channel)
        .expect("channel exists");
    get(kpis, name).unwrap_or_else(|| panic!("no KPI {name}"))
}

/// A KPI estimate of a pool section (`handlers` or `triage`).
pub fn pool_kpi(kpis: &Kpis<Estimate>, name: &str) -> Estimate {
    get(kpis, name).unwrap_or_else(|| panic!("no KPI {name}"))
}

/// Asserts that `truth` lies within `k` half-widths of the estimate's 95% interval.
///
/// With independent replications the interval is an exact Student-t interval; the chance that
/// a correct simulator lands more than 3 half-widths away is below 1e-3 for 8+ replications,
/// and seeds are fixed, so a failure means a bias, not bad luck. `max_half_width` makes sure
/// the test has power: a wide interval would accept anything.
pub fn assert_agrees(label: &str, e: Estimate, truth: f64, max_half_width: f64) {
    let hw = e.half_width();
    assert!(hw.is_finite(), "{label}: no confidence interval ({e:?})");
    assert!(
        hw <= max_half_width,
        "{label}: interval too wide to test anything: ±{hw} (allowed {max_half_width})"
    );
    let k = 3.0;
    assert!(
        (e.mean - truth).abs() <= k * hw,
        "{label}: simulated {:.6} ± {hw:.6} vs theory {truth:.6} (off by {:.2} half-widths)",
        e.mean,
        (e.mean - truth).abs() / hw
    );
}

/// A single-channel M/M/n(+M) scenario with about `calls` arrivals per replication.
pub fn mmn(
    rate_per_hour: f64,
    aht_s: f64,
    agents: u32,
    target_s: f64,
    patience_s: Option<f64>,
    calls: f64,
) -> Scenario {
    let horizon = calls / rate_per_hour;
    let patience = patience_s.map_or(String::new(), |p| {
        format!("patience = {{ dist = \"exponential\", mean_s = {p} }}\n")
    });
    scenario(&format!(
        r#"
horizon_hours = {horizon}
warmup_hours = {warmup}
replications = 10
seed = 7
[channels.calls]
kind = "call"
priority = 0
arrivals = {{ rate_per_hour = {rate_per_hour} }}
handle_time = {{ dist = "exponential", mean_s = {aht_s} }}
{patience}target = {{ answer_within_s = {target_s}, fraction = 0.8 }}
[handlers]
count = {agents}
"#,
        warmup = horizon * 0.02
    ))
}

/// Property-test settings: `cases` cases from a fixed seed, so CI is deterministic (a flaky
/// test is a defect). Set `PROPTEST_RNG_SEED` to explore other cases locally.
pub fn proptest_config(cases: u32) -> proptest::test_runner::Config {
    use proptest::test_runner::{Config, RngSeed};
    let mut config = Config::with_cases(cases);
    if config.rng_seed == RngSeed::Random {
        config.rng_seed = RngSeed::Fixed(20_261_123);
    }
    config
}

/// The stationary distribution of a finite CTMC given each state's outgoing transitions
/// (target, rate), by Gauss–Seidel sweeps over the balance equations.
pub fn stationary(out: &[Vec<(usize, f64)>]) -> Vec<f64> {
    let n = out.len();
    let mut incoming: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    let mut leaving = vec![0.0; n];
    for (i, moves) in out.iter().enumerate() {
        for &(j, rate) in moves {
            if j != i && rate > 0.0 {
                incoming[j].push((i, rate));
                leaving[i] += rate;
            }
        }
    }
    let mut pi = vec![1.0 / n as f64; n];
    for _ in 0..200_000 {
        let mut change: f64 = 0.0;
        for j in 0..n {
            if leaving[j] == 0.0 {
                continue;
            }
            let v = incoming[j].iter().map(|&(i, r)| pi[i] * r).sum::<f64>() / leaving[j];
            change = change.max((v - pi[j]).abs());
            pi[j] = v;
        }
        let total: f64 = pi.iter().sum();
        pi.iter_mut().for_each(|p| *p /= total);
        if change < 1e-15 {
            return pi;
        }
    }
    panic!("the chain did not converge");
}

/// Runs the built `triage-sim` binary with `args`.
pub fn triage_sim(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_triage-sim"))
        .args(args)
        .output()
        .expect("binary runs")
}

/// The command's standard output, after checking it succeeded (its standard error if not).
pub fn stdout_of(args: &[&str]) -> String {
    let out = triage_sim(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Runs `scenario` with `extra` flags, writing the first replication's calls to `calls` (the
/// table beside it), and checks that it succeeded.
pub fn log_calls(scenario: &str, calls: &std::path::Path, extra: &[&str]) {
    let table = calls.with_extension("run.txt");
    let mut args = vec![
        "run",
        scenario,
        "--calls",
        calls.to_str().expect("UTF-8 path"),
        "--out",
        table.to_str().expect("UTF-8 path"),
    ];
    args.extend(extra);
    let out = triage_sim(&args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `fit CALLS -o FITTED --format json` with `extra` flags: the summary, after checking success.
pub fn fit_json(
    calls: &std::path::Path,
    fitted: &std::path::Path,
    extra: &[&str],
) -> serde_json::Value {
    let mut args = vec![
        "fit",
        calls.to_str().unwrap(),
        "-o",
        fitted.to_str().unwrap(),
        "--format",
        "json",
    ];
    args.extend(extra);
    let out = triage_sim(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
