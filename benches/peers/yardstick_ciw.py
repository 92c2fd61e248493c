"""The yardstick model (benches/scenarios/yardstick.toml) written for Ciw.

One node with 25 servers, two customer classes with non-preemptive priority (999 before 101),
lognormal service and exponential reneging. Prints one JSON line with per-replication KPIs.
"""
import argparse, json, math, time
import ciw

CHANNELS = [  # name, priority, arrivals/h, handle mean s, handle sd s, patience mean s
    ("999", 0, 120.0, 90.0, 60.0, 60.0),
    ("101", 1, 180.0, 300.0, 200.0, 300.0),
]


def lognormal(mean, sd):
    sigma2 = math.log(1.0 + (sd / mean) ** 2)
    return ciw.dists.Lognormal(math.log(mean) - sigma2 / 2.0, math.sqrt(sigma2))


def replicate(horizon_s, seed):
    network = ciw.create_network(
        arrival_distributions={n: [ciw.dists.Exponential(r / 3600.0)] for n, _, r, *_ in CHANNELS},
        service_distributions={n: [lognormal(m, sd)] for n, _, _, m, sd, _ in CHANNELS},
        reneging_time_distributions={n: [ciw.dists.Exponential(1.0 / p)] for n, *_, p in CHANNELS},
        priority_classes={n: prio for n, prio, *_ in CHANNELS},
        number_of_servers=[25],
    )
    ciw.seed(seed)
    sim = ciw.Simulation(network)
    sim.simulate_until_max_time(horizon_s)
    out = {}
    for name, *_ in CHANNELS:
        recs = [r for r in sim.get_all_records() if r.customer_class == name]
        served = [r for r in recs if r.record_type == "service"]
        reneged = [r for r in recs if r.record_type == "renege"]
        done = len(served) + len(reneged)
        out[name] = {
            "offered": done,
            "abandonment_rate": len(reneged) / max(done, 1),
            "mean_wait_s": sum(r.waiting_time for r in served) / max(len(served), 1),
        }
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--days", type=float, required=True)
    p.add_argument("--reps", type=int, default=1)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    started = time.perf_counter()
    reps = [replicate(a.days * 86400.0, a.seed + r) for r in range(a.reps)]
    print(json.dumps({"tool": "Ciw " + ciw.__version__, "days": a.days, "wall_s": time.perf_counter() - started, "reps": reps}))


if __name__ == "__main__":
    main()
