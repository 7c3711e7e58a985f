#!/usr/bin/env python3
"""Regenerates the tables and figures of docs/experiments.md with the unroll binary.

    swift build -c release --product unroll
    python3 scripts/experiments.py --unroll .build/release/unroll adding      # ~2 minutes
    python3 scripts/experiments.py --unroll .build/release/unroll gradients   # seconds
    python3 scripts/experiments.py --unroll .build/release/unroll copy        # ~half an hour
    python3 scripts/experiments.py --unroll .build/release/unroll characters  # ~5 minutes
    python3 scripts/experiments.py --unroll .build/release/unroll all

Training runs `unroll train SCENARIO --log run.csv` (niced: the machine is shared), gradient
measurements `unroll trace SCENARIO --format json`. Logs, scenarios and figures go to
docs/experiments/; each experiment prints its markdown table. Needs numpy and matplotlib.
"""
import argparse
import csv
import json
import pathlib
import subprocess
import time

import numpy as np

OUT = pathlib.Path(__file__).resolve().parent.parent / "docs" / "experiments"
BASELINE_ADDING = 1 / 6


def run_train(unroll, name, scenario, iterations=None):
    """Trains the scenario text under `nice`, returns the log's rows."""
    path = OUT / f"{name}.yaml"
    path.write_text(scenario)
    log = OUT / f"{name}.csv"
    cmd = ["nice", "-n", "10", unroll, "train", str(path), "--log", str(log), "--force"]
    if iterations:
        cmd += ["--iterations", str(iterations)]
    subprocess.run(cmd, check=True, stderr=subprocess.DEVNULL)
    with open(log) as f:
        return list(csv.DictReader(f))


def trace(unroll, name, scenario):
    path = OUT / f"{name}.yaml"
    path.write_text(scenario)
    out = subprocess.run(["nice", "-n", "10", unroll, "trace", str(path), "--format", "json"], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def smoothed(rows, key="loss", window=100):
    v = np.array([float(r[key]) for r in rows])
    return np.array([v[max(0, i - window + 1): i + 1].mean() for i in range(len(v))])


def plot(curves, baseline, title, ylabel, path, log=True, top=None):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(7, 4))
    for label, (x, y) in curves.items():
        ax.plot(x, y, label=label)
    if baseline is not None:
        ax.axhline(baseline, color="gray", linestyle="--", label="baseline")
    if log:
        ax.set_yscale("log")
    if top is not None:
        ax.set_ylim(0, top)
    ax.set_xlabel("iteration")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)


def adding(unroll):
    """Adding problem, T = 50: the built-in lessons' settings, 3000 iterations each."""
    rows = {}
    for cell in ["lstm", "rnn"]:
        scenario = (f"title: adding {cell}\nmodel: {{cell: {cell}, hidden_size: 32}}\n"
                    + ("init: {forget_bias: 1}\n" if cell == "lstm" else "")
                    + "training: {task: adding, length: 50, optimizer: adam, learning_rate: 0.01, clipping: {norm: 1},"
                    + " batch_size: 32, iterations: 3000, seed: 1}\n")
        rows[cell] = run_train(unroll, f"adding-{cell}", scenario)
    print("| model | first iteration whose 100-iteration mean MSE < 0.01 | seconds to there | mean MSE, last 100 | accuracy, last 100 | seconds, 3000 iterations |")
    print("| --- | --- | --- | --- | --- | --- |")
    for cell, r in rows.items():
        s = smoothed(r)
        below = np.nonzero(s < 0.01)[0]
        first = f"{below[0] + 1}" if len(below) else "never"
        secs = f"{float(r[below[0]]['seconds']):.1f}" if len(below) else "–"
        acc = np.mean([float(x["accuracy"]) for x in r[-100:]])
        print(f"| {cell.upper() if cell == 'lstm' else 'tanh RNN'} H=32 | {first} | {secs} | {s[-1]:.4g} | {100 * acc:.1f}% | {float(r[-1]['seconds']):.1f} |")
    plot({("LSTM" if c == "lstm" else "tanh RNN"): (np.arange(1, len(r) + 1), smoothed(r)) for c, r in rows.items()},
         BASELINE_ADDING, "Adding problem, T = 50 (MSE, 100-iteration mean)", "MSE", OUT / "adding.png")


def copy(unroll):
    """Copy memory at T = 20 and T = 100, LSTM against tanh RNN against the memoryless baseline."""
    print("| T | model | iterations | mean loss, last 100 | baseline 10·ln 8/(T+20) | copied symbols right, last 100 | seconds |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for length, iterations in [(20, 3000), (100, 4000)]:
        rows = {}
        baseline = 10 * np.log(8) / (length + 20)
        for cell in ["lstm", "rnn"]:
            scenario = (f"title: copy {cell}\nmodel: {{cell: {cell}, hidden_size: 64}}\n"
                        + ("init: {forget_bias: 1}\n" if cell == "lstm" else "")
                        + f"training: {{task: copy-memory, length: {length}, optimizer: adam, learning_rate: 0.005,"
                        + f" clipping: {{norm: 1}}, batch_size: 32, iterations: {iterations}, seed: 1}}\n")
            r = run_train(unroll, f"copy-{length}-{cell}", scenario)
            rows[cell] = r
            acc = np.mean([float(x["accuracy"]) for x in r[-100:]])
            print(f"| {length} | {'LSTM' if cell == 'lstm' else 'tanh RNN'} H=64 | {iterations} | {smoothed(r)[-1]:.4f} | {baseline:.4f} | {100 * acc:.1f}% | {float(r[-1]['seconds']):.0f} |")
        plot({("LSTM" if c == "lstm" else "tanh RNN"): (np.arange(1, len(r) + 1), smoothed(r)) for c, r in rows.items()},
             baseline, f"Copy memory, T = {length} (cross-entropy per step, 100-iteration mean)", "loss", OUT / f"copy-{length}.png",
             log=False, top=2 * baseline)


def characters(unroll):
    """Character-level LSTM on the opening of Alice in Wonderland: the built-in lesson train-chars."""
    rows = {}
    for cell in ["lstm", "rnn"]:
        scenario = (f"title: characters {cell}\nmodel: {{cell: {cell}, hidden_size: 64}}\n"
                    "training: {task: characters, length: 50, optimizer: adam, learning_rate: 0.005, clipping: {norm: 5},"
                    " batch_size: 16, iterations: 2000, seed: 1}\n")
        rows[cell] = run_train(unroll, f"characters-{cell}", scenario)
    print("| model | mean loss, last 100 (nats per character) | unigram baseline | next character right, last 100 | seconds, 2000 iterations |")
    print("| --- | --- | --- | --- | --- |")
    baseline = 2.9376  # TrainingTask(kind: .characters).baselineLoss, as `unroll train` prints it
    for cell, r in rows.items():
        acc = np.mean([float(x["accuracy"]) for x in r[-100:]])
        print(f"| {'LSTM' if cell == 'lstm' else 'tanh RNN'} H=64 | {smoothed(r)[-1]:.4f} | {baseline} | {100 * acc:.1f}% | {float(r[-1]['seconds']):.0f} |")
    plot({("LSTM" if c == "lstm" else "tanh RNN"): (np.arange(1, len(r) + 1), smoothed(r)) for c, r in rows.items()},
         baseline, "Characters of Alice, T = 50 (cross-entropy per character, 100-iteration mean)", "loss",
         OUT / "characters.png", log=False, top=4)


def gradients(unroll):
    """‖∂ℓ_T/∂h_t‖ against the distance T − t for tanh RNNs with W_hh = σ·Q (σ_max = σ), with skips, with clipping."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def measure(sigma, skip=None, clip=None, length=60):
        model = f"{{cell: rnn, hidden_size: 32{', skip: %d' % skip if skip else ''}}}"
        clipping = f", clipping: {{norm: {clip}}}" if clip else ""
        scenario = (f"title: gradients\nmodel: {model}\ninit: {{seed: 3, scheme: orthogonal, spectral_radius: {sigma}}}\n"
                    f"training: {{task: adding, length: {length}, batch_size: 1{clipping}}}\n")
        name = f"gradients-{sigma}" + (f"-skip{skip}" if skip else "") + (f"-clip{clip}" if clip else "")
        t = trace(unroll, name, scenario)
        norms = np.array([float(s["last_loss_grad_norm"]) for s in t["layers"][0]["steps"]])
        (OUT / f"{name}.yaml").unlink()
        return norms[::-1], t  # index d = distance from the last step

    fig, ax = plt.subplots(figsize=(7, 4))
    print("| σ_max(W_hh) | skip k | ‖∂ℓ_T/∂h_{T−10}‖/‖∂ℓ_T/∂h_T‖ | bound σ^10 | ratio at distance 50 | bound σ^50 | parameter-gradient norm (clipped at 1) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for sigma in [0.8, 0.95, 1.05, 1.2]:
        for skip in [None, 5]:
            d, t = measure(sigma, skip, clip=1)
            r = d / d[0]
            bound = sigma ** np.arange(len(d))
            clip = t["clip"]
            print(f"| {sigma} | {skip or '–'} | {r[10]:.3g} | {bound[10]:.3g} | {r[50]:.3g} | {bound[50]:.3g} | {clip['norm_before']:.3g} → {clip['norm_after']:.3g} |")
            style = "-" if skip is None else ":"
            line, = ax.plot(np.arange(len(d)), r, style, label=f"σ = {sigma}" + (f", skip {skip}" if skip else ""))
            if skip is None:
                ax.plot(np.arange(len(d)), bound, "--", color=line.get_color(), alpha=0.4)
    ax.set_yscale("log")
    ax.set_xlabel("distance T − t")
    ax.set_ylabel("‖∂ℓ_T/∂h_t‖ / ‖∂ℓ_T/∂h_T‖")
    ax.set_title("tanh RNN, H = 32, W_hh = σ·Q: measured (solid, dotted with skip 5), bound σ^d (dashed)")
    ax.title.set_fontsize(9)
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    fig.savefig(OUT / "gradients.png", dpi=80)
    plt.close(fig)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--unroll", default=".build/release/unroll")
    p.add_argument("experiment", choices=["adding", "copy", "characters", "gradients", "all"])
    a = p.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    start = time.time()
    for name in (["gradients", "adding", "copy", "characters"] if a.experiment == "all" else [a.experiment]):
        print(f"\n## {name}\n")
        globals()[name](a.unroll)
    print(f"\n({time.time() - start:.0f} s)")


if __name__ == "__main__":
    main()
