"""The yardstick model (benches/scenarios/yardstick.toml) written for SimPy.

Two call channels share 25 handlers with non-preemptive priority (999 before 101); callers
renege when exponential patience runs out. Prints one JSON line with per-replication KPIs.
"""
import argparse, json, math, random, time
import simpy

CHANNELS = [  # name, priority, arrivals/h, handle mean s, handle sd s, patience mean s
    ("999", 0, 120.0, 90.0, 60.0, 60.0),
    ("101", 1, 180.0, 300.0, 200.0, 300.0),
]


def lognormal(rng, mean, sd):
    sigma2 = math.log(1.0 + (sd / mean) ** 2)
    return rng.lognormvariate(math.log(mean) - sigma2 / 2.0, math.sqrt(sigma2))


def replicate(horizon_s, seed):
    rng = random.Random(seed)
    env = simpy.Environment()
    handlers = simpy.PriorityResource(env, capacity=25)
    stats = {name: {"offered": 0, "answered": 0, "abandoned": 0, "wait_sum": 0.0} for name, *_ in CHANNELS}

    def caller(name, priority, handle_s, patience_s):
        s = stats[name]
        s["offered"] += 1
        arrived = env.now
        with handlers.request(priority=priority) as req:
            outcome = yield req | env.timeout(patience_s)
            if req not in outcome:
                s["abandoned"] += 1
                return
            s["answered"] += 1
            s["wait_sum"] += env.now - arrived
            yield env.timeout(handle_s)

    def source(name, priority, rate_h, mean, sd, patience):
        while True:
            yield env.timeout(rng.expovariate(rate_h / 3600.0))
            env.process(caller(name, priority, lognormal(rng, mean, sd), rng.expovariate(1.0 / patience)))

    for ch in CHANNELS:
        env.process(source(*ch))
    env.run(until=horizon_s)
    return {
        name: {
            "offered": s["offered"],
            "abandonment_rate": s["abandoned"] / s["offered"],
            "mean_wait_s": s["wait_sum"] / max(s["answered"], 1),
        }
        for name, s in stats.items()
    }


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--days", type=float, required=True)
    p.add_argument("--reps", type=int, default=1)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    started = time.perf_counter()
    reps = [replicate(a.days * 86400.0, a.seed + r) for r in range(a.reps)]
    print(json.dumps({"tool": "SimPy " + simpy.__version__, "days": a.days, "wall_s": time.perf_counter() - started, "reps": reps}))


if __name__ == "__main__":
    main()
