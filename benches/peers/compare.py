"""Runs triage-sim and its peers (SimPy, Ciw) on the yardstick model, interleaved, and prints
a table: wall time, time per simulated year, calls and nominal events per second, peak memory
and the ratio to triage-sim; then checks that their results agree, measures triage-sim's peak
memory at 1 and 10 simulated years, and its replication speed-up from 1 to 2 threads.

Usage: benches/peers/run.sh  (creates the pinned virtual environment, builds, then runs this)
"""
import json, os, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.join(ROOT, "target", "release", "triage-sim")
YARDSTICK = os.path.join(ROOT, "benches", "scenarios", "yardstick.toml")
HERE = os.path.dirname(os.path.abspath(__file__))
PY = sys.executable
ROUNDS = int(os.environ.get("ROUNDS", "3"))
PEER_DAYS = {"SimPy": 14.0, "Ciw": 3.0}  # a full year would take minutes; times are scaled
CALLS_PER_DAY = (120 + 180) * 24
T95 = {4: 2.776, 5: 2.571, 7: 2.365, 9: 2.262}


GNU_TIME = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None


def measured(cmd):
    """Runs cmd; returns (stdout, wall seconds, peak RSS in MiB of that child alone).

    Peak RSS comes from GNU time when installed: a child forked from Python reports Python's
    own pages in its rusage, which would overstate small programs. Wall time is the tool's own
    measurement of its simulation (`wall_s` in its JSON), excluding interpreter start-up.
    """
    rss_file = tempfile.NamedTemporaryFile(suffix=".rss", delete=False).name
    full = [GNU_TIME, "-f", "%M", "-o", rss_file] + cmd if GNU_TIME else cmd
    started = time.perf_counter()
    proc = subprocess.run(full, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"{cmd[0]} failed: {proc.stderr}")
    rss = float(open(rss_file).read().split()[-1]) / 1024.0 if GNU_TIME else float("nan")
    try:
        wall = json.loads(proc.stdout)["wall_s"]
    except (ValueError, KeyError):
        pass
    return proc.stdout, wall, rss


def scenario_with(horizon_hours, replications):
    text = open(YARDSTICK).read()
    text = text.replace("horizon_hours = 8760", f"horizon_hours = {horizon_hours}")
    text = text.replace("replications = 1", f"replications = {replications}")
    f = tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False)
    f.write(text)
    f.close()
    return f.name


def triage_sim(path, threads=1, fmt="json"):
    return measured([BIN, "run", path, "--threads", str(threads), "--format", fmt, "--timing"])


def peer(tool, days, reps=1, seed=1):
    script = os.path.join(HERE, f"yardstick_{tool.lower()}.py")
    return measured([PY, script, "--days", str(days), "--reps", str(reps), "--seed", str(seed)])


def mean_ci(xs):
    m = statistics.mean(xs)
    hw = T95.get(len(xs) - 1, 2.0) * statistics.stdev(xs) / len(xs) ** 0.5
    return m, hw


def main():
    rows = {"triage-sim": [], "SimPy": [], "Ciw": []}
    for _ in range(ROUNDS):  # interleaved, so machine noise hits every tool alike
        _, wall, rss = triage_sim(YARDSTICK)
        rows["triage-sim"].append((wall, 365.0, rss))
        for tool, days in PEER_DAYS.items():
            _, wall, rss = peer(tool, days)
            rows[tool].append((wall, days, rss))
    per_year = {t: statistics.median(w * 365.0 / d for w, d, _ in r) for t, r in rows.items()}
    print("## Speed (yardstick model, one replication, one core)\n")
    print("| tool | simulated | wall (median of %d) | s per simulated year | calls/s | nominal events/s | peak RSS | × triage-sim |" % ROUNDS)
    print("|---|---|---|---|---|---|---|---|")
    for tool, r in rows.items():
        wall = statistics.median(w for w, _, _ in r)
        days = r[0][1]
        calls_s = CALLS_PER_DAY * days / wall
        note = "" if days == 365.0 else f" (scaled from {days:g} days)"
        print(f"| {tool} | {days:g} days | {wall:.3f} s | {per_year[tool]:.2f}{note} | {calls_s/1e6:.2f} M | {3*calls_s/1e6:.1f} M | {max(x for *_, x in r):.1f} MiB | {per_year[tool]/per_year['triage-sim']:.0f} |")
    print("\nNominal events: 3 per call (arrival, patience timer, departure), the yardstick's own count.")

    print("\n## Agreement (mean ± 95% CI over replications; agree when |difference| ≤ 3 × the combined half-width)\n")
    ts_path = scenario_with(720, 10)
    out, _, _ = triage_sim(ts_path, threads=2)
    ts = json.loads(out)["channels"]
    results = {}
    for tool, days, reps in [("SimPy", 7.0, 8), ("Ciw", 2.0, 5)]:
        out, _, _ = peer(tool, days, reps, seed=101)
        results[tool] = json.loads(out)["reps"]
    print("| channel | KPI | triage-sim | SimPy | Ciw | agree |")
    print("|---|---|---|---|---|---|")
    all_agree = True
    for ch in ["999", "101"]:
        for kpi in ["abandonment_rate", "mean_wait_s"]:
            e = ts[ch][kpi]
            m, hw = e["mean"], (e["ci_high"] - e["ci_low"]) / 2
            cells, ok = [], True
            for tool in ["SimPy", "Ciw"]:
                pm, phw = mean_ci([r[ch][kpi] for r in results[tool]])
                ok &= abs(pm - m) <= 3 * (hw * hw + phw * phw) ** 0.5
                cells.append(f"{pm:.4f} ± {phw:.4f}")
            all_agree &= ok
            print(f"| {ch} | {kpi} | {m:.4f} ± {hw:.4f} | {cells[0]} | {cells[1]} | {'yes' if ok else 'NO'} |")

    print("\n## Memory: peak RSS of one replication, one thread\n")
    for years in [1, 10]:
        _, wall, rss = triage_sim(scenario_with(8760 * years, 1))
        print(f"- {years:>2} simulated year(s): {rss:.1f} MiB ({wall:.2f} s)")

    print("\n## Replications across cores (8 replications of one simulated year)\n")
    path = scenario_with(8760, 8)
    walls = {t: triage_sim(path, threads=t)[1] for t in [1, 2]}
    print(f"- 1 thread {walls[1]:.2f} s, 2 threads {walls[2]:.2f} s: speed-up {walls[1]/walls[2]:.2f}×")
    ncpu = os.cpu_count() or 1
    if ncpu > 2:
        walls[ncpu] = triage_sim(path, threads=ncpu)[1]
        print(f"- {ncpu} threads {walls[ncpu]:.2f} s: speed-up {walls[1]/walls[ncpu]:.2f}× over 1 thread")
    sys.exit(0 if all_agree else 1)


if __name__ == "__main__":
    main()
