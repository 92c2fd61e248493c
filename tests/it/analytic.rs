//! The analytic formulas against published reference values (calibration §6.4).

use triage_sim::erlang::{ErlangInput, erlang_b, erlang_c};

fn solve(
    rate_per_hour: f64,
    aht_s: f64,
    agents: u32,
    target_s: f64,
    patience_s: Option<f64>,
) -> triage_sim::erlang::ErlangResult {
    ErlangInput {
        rate_per_hour,
        aht_s,
        agents,
        target_s,
        patience_s,
    }
    .solve()
    .expect("solvable")
}

fn close(label: &str, got: f64, want: f64, tol: f64) {
    assert!(
        (got - want).abs() <= tol,
        "{label}: got {got}, want {want} ± {tol}"
    );
}

#[test]
fn erlang_c_matches_t1_table() {
    // 100 calls per 30 min, AHT 180 s, target 20 s. Values rounded to 4 significant digits.
    let rows = [
        (11, 0.6821, 0.3896, 122.8),
        (12, 0.4494, 0.6402, 40.44),
        (13, 0.2853, 0.7956, 17.12),
        (14, 0.1741, 0.8884, 7.836),
        (15, 0.1020, 0.9415, 3.674),
        (16, 0.05734, 0.9706, 1.720),
    ];
    for (n, p_wait, sl, asa) in rows {
        let r = solve(200.0, 180.0, n, 20.0, None);
        close(
            &format!("n={n} p_wait"),
            r.p_wait,
            p_wait,
            6e-5 + p_wait * 1e-4,
        );
        close(&format!("n={n} service level"), r.service_level, sl, 6e-5);
        close(&format!("n={n} asa"), r.asa_s, asa, asa * 5e-4);
        close(
            &format!("n={n} occupancy"),
            r.occupancy,
            10.0 / f64::from(n),
            1e-12,
        );
    }
}

#[test]
fn erlang_a_matches_t2_table() {
    // Same load, mean patience 300 s. Reference to 5 significant digits (pyworkforce agrees).
    let rows = [
        (10, 0.59943, 0.10944, 32.83, 0.51681, 0.89056),
        (12, 0.33180, 0.042711, 12.81, 0.77228, 0.79774),
        (14, 0.14526, 0.013984, 4.195, 0.91679, 0.70430),
        (16, 0.051251, 0.0038762, 1.163, 0.97575, 0.62258),
    ];
    for (n, p_wait, p_ab, asa, sl, occ) in rows {
        let r = solve(200.0, 180.0, n, 20.0, Some(300.0));
        close(
            &format!("n={n} p_wait"),
            r.p_wait,
            p_wait,
            p_wait * 2e-5 + 5e-6,
        );
        close(&format!("n={n} p_abandon"), r.p_abandon, p_ab, p_ab * 2e-4);
        close(&format!("n={n} asa"), r.asa_s, asa, 6e-3);
        close(&format!("n={n} service level"), r.service_level, sl, 6e-6);
        close(&format!("n={n} occupancy"), r.occupancy, occ, 6e-6);
    }
}

#[test]
fn erlang_a_matches_t4_table() {
    // 101-like: 60 calls/h, AHT 8 min, mean patience 12 min; P(answered ≤ 60 s).
    let rows = [
        (8, 0.5920, 0.1257, 90.54, 0.5271),
        (10, 0.3037, 0.04462, 32.13, 0.7975),
        (13, 0.0666, 0.006356, 4.577, 0.9674),
    ];
    for (n, p_wait, p_ab, asa, sl) in rows {
        let r = solve(60.0, 480.0, n, 60.0, Some(720.0));
        close(&format!("n={n} p_wait"), r.p_wait, p_wait, 6e-5);
        close(&format!("n={n} p_abandon"), r.p_abandon, p_ab, p_ab * 1e-3);
        close(&format!("n={n} asa"), r.asa_s, asa, 6e-3);
        close(&format!("n={n} service level"), r.service_level, sl, 6e-5);
    }
}

#[test]
fn erlang_c_matches_t3_999_table() {
    // λ = 30/h, AHT 5 min: P(W ≤ 10 s) and ASA.
    for (n, p_wait, sl10, asa) in [
        (4, 0.3199, 0.6957, 63.97),
        (5, 0.1304, 0.8801, 15.64),
        (6, 0.04744, 0.9578, 4.067),
    ] {
        let r = solve(30.0, 300.0, n, 10.0, None);
        close(&format!("n={n} p_wait"), r.p_wait, p_wait, 6e-5);
        close(&format!("n={n} sl"), r.service_level, sl10, 6e-5);
        close(&format!("n={n} asa"), r.asa_s, asa, asa * 5e-4);
    }
}

#[test]
fn large_systems_do_not_overflow() {
    // T5 rows: a = 400, n = 420: Erlang C 0.2303; Erlang A (θ/μ = 0.5) 0.1852.
    close("C(420, 400)", erlang_c(420, 400.0), 0.2303, 6e-5);
    let r = solve(400.0, 3600.0, 420, 20.0, Some(7200.0));
    close("Erlang A P(W>0), a=400 n=420", r.p_wait, 0.1852, 6e-5);
    // A heavily overloaded Erlang A stays finite and ordered.
    let over = solve(2000.0, 3600.0, 500, 20.0, Some(60.0));
    assert!(
        over.p_wait > 0.999 && over.p_abandon > 0.7 && over.occupancy <= 1.0,
        "{over:?}"
    );
}

/// Relative error of `got` against a high-precision `want`.
fn close_rel(label: &str, got: f64, want: f64, rel: f64) {
    assert!(
        ((got - want) / want).abs() <= rel,
        "{label}: got {got:.17}, want {want:.17} (relative error {:.1e} > {rel:.0e})",
        ((got - want) / want).abs()
    );
}

#[test]
fn five_hundred_agents_at_load_099_match_high_precision_references() {
    // From tests/reference/erlang_mpmath.py (mpmath, 60 digits, from the definitions).
    close_rel(
        "B(500, 495)",
        erlang_b(500, 495.0),
        0.028975059641393207,
        1e-13,
    );
    close_rel(
        "C(500, 495)",
        erlang_c(500, 495.0),
        0.7489938779525841,
        1e-13,
    );
    close_rel(
        "C(500, 499.5)",
        erlang_c(500, 499.5),
        0.9725701206801866,
        1e-13,
    );
    // λ = 9900/h with 180 s handling is 495 Erlangs.
    let c = solve(9900.0, 180.0, 500, 20.0, None);
    close_rel(
        "Erlang C SL(20 s)",
        c.service_level,
        0.5702622004133096,
        1e-13,
    );
    close_rel("Erlang C ASA", c.asa_s, 26.96377960629303, 1e-13);
    let a = solve(9900.0, 180.0, 500, 20.0, Some(300.0));
    close_rel("Erlang A P(W>0)", a.p_wait, 0.46789153869406475, 1e-11);
    close_rel("Erlang A P(ab)", a.p_abandon, 0.011312144680405435, 1e-11);
    close_rel(
        "Erlang A SL(20 s)",
        a.service_level,
        0.9722897992210472,
        1e-11,
    );
    close_rel("Erlang A ASA", a.asa_s, 3.393643404121631, 1e-11);
}

#[test]
fn erlang_b_recursion() {
    // B(3, 2) = (8/6) / (1 + 2 + 2 + 8/6) = 4/19
    close("B(3,2)", erlang_b(3, 2.0), 4.0 / 19.0, 1e-15);
    assert_eq!(erlang_b(0, 5.0), 1.0);
}

#[test]
fn erlang_c_refuses_overload() {
    let e = ErlangInput {
        rate_per_hour: 200.0,
        aht_s: 180.0,
        agents: 10,
        target_s: 20.0,
        patience_s: None,
    }
    .solve();
    assert!(e.is_err());
}
