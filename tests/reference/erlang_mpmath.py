#!/usr/bin/env python3
"""High-precision reference values for tests/it/analytic.rs (numerical care, issue #6).

Computed with mpmath at 60 significant digits straight from the definitions, not from the
recursions or incomplete-gamma forms that src/erlang.rs uses, so the two are independent:

* Erlang B and C from the explicit sums  a^k / k!.
* Erlang A (M/M/n+M) from the birth-death chain's stationary distribution, truncated where
  the terms fall below 1e-60, and the service level by uniformisation of the tagged caller's
  position in queue (each step forward at rate nμ + (m−1)θ, abandonment at rate θ).

Run: python3 -m pip install mpmath==1.3.0 && python3 tests/reference/erlang_mpmath.py
"""
from mpmath import mp, mpf, exp, factorial, fsum, log

mp.dps = 60


def erlang_b_c(n, a):
    terms = [a**k / factorial(k) for k in range(n + 1)]
    b = terms[n] / fsum(terms)
    c = n * b / (n - a * (1 - b))
    return b, c


def erlang_c_kpis(n, a, aht, target):
    _, c = erlang_b_c(n, a)
    drain = (n - a) / aht
    return c, 1 - c * exp(-drain * target), c / drain


def erlang_a(rate_per_hour, aht, n, target, patience):
    lam, mu, theta = mpf(rate_per_hour) / 3600, 1 / mpf(aht), 1 / mpf(patience)
    a = lam / mu
    # Unnormalised π_k in log space: k ≤ n from a^k/k!, then ratios λ / (nμ + jθ).
    ln_pi = [k * log(a) - log(factorial(k)) for k in range(n + 1)]
    j = 0
    while True:
        j += 1
        ln_pi.append(ln_pi[-1] + log(lam) - log(n * mu + j * theta))
        if ln_pi[-1] - ln_pi[n] < -140 and j > 10:
            break
    top = max(ln_pi)
    pi = [exp(x - top) for x in ln_pi]
    total = fsum(pi)
    pi = [p / total for p in pi]
    k_max = len(pi) - 1
    p_wait = fsum(pi[n:])
    p_abandon = fsum((k - n) * theta * pi[k] for k in range(n + 1, k_max + 1)) / lam
    # Answered within target: arrivals see π (PASTA). One finding k ≥ n joins at position
    # m = k − n + 1. Uniformise the position chain (absorbing: answered, abandoned).
    big_lambda = n * mu + (k_max + 1) * theta
    steps_needed = int(big_lambda * target * 3 + 200)
    # State vector over positions 1..m_max (+ answered), starting from the arrival mix.
    m_max = k_max - n + 1
    state = [mpf(0)] * (m_max + 1)  # index m = position; index 0 = answered
    for k in range(n, k_max + 1):
        state[k - n + 1] += pi[k]
    answered_by_t = mpf(0)
    weight = exp(-big_lambda * target)
    cum = mpf(0)
    for step in range(steps_needed):
        answered_by_t += weight * state[0]
        cum += weight
        new = [mpf(0)] * (m_max + 1)
        new[0] = state[0]
        for m in range(1, m_max + 1):
            s = state[m]
            if s == 0:
                continue
            forward = (n * mu + (m - 1) * theta) / big_lambda
            stay = 1 - forward - theta / big_lambda
            new[m - 1] += s * forward
            new[m] += s * stay
        state = new
        weight *= big_lambda * target / (step + 1)
    answered_by_t += (1 - cum) * state[0]  # tail mass, bounded by 1 − cum (negligible)
    return {
        "p_wait": p_wait,
        "p_abandon": p_abandon,
        "service_level": 1 - p_wait + answered_by_t,
        "asa_s": p_abandon / theta,
    }


def show(label, value):
    print(f"{label:>40} = {mp.nstr(value, 17)}")


if __name__ == "__main__":
    b, c = erlang_b_c(500, mpf(495))
    show("B(500, 495)", b)
    show("C(500, 495)", c)
    p, sl, asa = erlang_c_kpis(500, mpf(495), mpf(180), mpf(20))
    show("C: service level 20 s (aht 180)", sl)
    show("C: ASA s (aht 180)", asa)
    b, c = erlang_b_c(500, mpf("499.5"))
    show("C(500, 499.5)", c)
    r = erlang_a(9900, 180, 500, 20, 300)
    for key, value in r.items():
        show(f"A(λ=9900/h, 180 s, n=500, θ=1/300): {key}", value)
