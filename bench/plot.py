"""Plots of a bench/run result directory: results.csv and machine.txt in, SVGs out.

For each scenario, throughput and p99 of every subject measured in it, side by side (the mean over
rounds, the bars' whiskers spanning the rounds); for the data-volume and scaling scenarios, the
curves of throughput and p99 against the number of stored accounts and sessions, or of front nodes.

    python3 bench/plot.py bench/results
"""

import csv
import re
import statistics
import sys
from collections import defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend first)

# Same text in every run: an SVG diff then shows changed figures only.
matplotlib.rcParams["svg.hashsalt"] = "bench"
matplotlib.rcParams["svg.fonttype"] = "none"


# Scenarios whose two figures are not a rate and a p99 latency.
RATE = {"ws-idle": "idle chat sockets held", "ws-echo": "round trips/s"}
LATENCY = {"startup-start": "start to the first /hello (ms)", "reload-reload": "save to the new code's first answer (ms)", "ws-idle": "heap after GC per socket (bytes)"}


def read(out):
    with open(out / "results.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    machine = dict(
        line.split(": ", 1) for line in (out / "machine.txt").read_text().splitlines() if ": " in line
    )
    return rows, machine


def caption(machine):
    return (
        f"{machine.get('date', '?')}, git {machine.get('git', '?')}: {machine.get('cores', '?')} cores, "
        f"{machine.get('memory', '?')}, {machine.get('jdk', '?')}"
    )


def save(fig, out, name, machine):
    """Titles the figure with its scenario and the machine, writes it as out/name.svg."""
    fig.suptitle(f"{name}\n{caption(machine)}", fontsize=9)
    fig.tight_layout()
    path = out / f"{name}.svg"
    fig.savefig(path)
    plt.close(fig)
    return path


def series(rows, key):
    grouped = defaultdict(lambda: defaultdict(list))
    for row in rows:
        grouped[key(row)][(row["subject"], row["path"])].append(row)
    return grouped


def bars(out, name, measured, machine):
    labels = [f"{subject}\n/{path}" for subject, path in measured]
    # A start time is recorded as a latency, without a rate.
    panels = [
        (column, title)
        for column, title in (
            ("req_per_s", RATE.get(name, "throughput (per s)")),
            ("p99_ms", LATENCY.get(name, "p99 latency (ms)")),
        )
        if any(float(r[column]) for rounds in measured.values() for r in rounds)
    ]
    if not panels:
        # A scenario that measured nothing (all zero) has its FAIL verdict; a plot would be empty.
        print(f"plots: {name} measured nothing, not plotted")
        return None
    fig, axes = plt.subplots(1, len(panels), figsize=(max(6, 1.6 * len(labels)) * len(panels), 4.2), squeeze=False)
    for axis, (column, title) in zip(axes[0], panels):
        values = [[float(r[column]) for r in rounds] for rounds in measured.values()]
        means = [statistics.mean(v) for v in values]
        low = [m - min(v) for m, v in zip(means, values)]
        high = [max(v) - m for m, v in zip(means, values)]
        axis.bar(labels, means, yerr=[low, high], capsize=4, color="#4878a8")
        axis.set_title(title)
        axis.tick_params(axis="x", labelsize=8)
    return save(fig, out, name, machine)


# Scenarios plotted as curves: the subject names the x value, the path the curve.
CURVES = {
    "volume": ("stored accounts and sessions (N)", "symlog"),
    "cluster-scale-me": ("front nodes", "linear"),
    "compose-scale-me": ("http replicas behind the balancer", "linear"),
}


def curves(out, name, measured, machine):
    """Subject: an x value (a number, or a name ending in one), path: the request."""
    xlabel, xscale = CURVES.get(name, CURVES.get(name.split("-")[0]))
    by_path = defaultdict(dict)
    for (subject, path), rounds in measured.items():
        by_path[path][int(re.sub(r"\D", "", subject))] = rounds
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for axis, column, title in (
        (axes[0], "req_per_s", "throughput (req/s)"),
        (axes[1], "p99_ms", "p99 latency (ms)"),
    ):
        for path, sizes in sorted(by_path.items()):
            xs = sorted(sizes)
            ys = [statistics.mean(float(r[column]) for r in sizes[x]) for x in xs]
            axis.plot(xs, ys, marker="o", label=path)
        if xscale == "symlog":
            axis.set_xscale("symlog", linthresh=1000)
        axis.set_xticks(sorted({x for sizes in by_path.values() for x in sizes}))
        axis.set_xlabel(xlabel)
        axis.set_title(title)
        axis.legend(fontsize=8)
    return save(fig, out, name, machine)


def main(out):
    rows, machine = read(out)
    if not rows:
        sys.exit(f"no figures in {out / 'results.csv'}")
    written = []
    grouped = series(rows, lambda row: (row["bench"], row["scenario"]))
    for (bench, scenario), measured in sorted(grouped.items()):
        name = f"{bench}-{scenario}"
        plot = curves if bench in CURVES or name in CURVES else bars
        written.append(plot(out, name, measured, machine))
    print("plots:", " ".join(str(p) for p in written if p))


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "bench/results"))
