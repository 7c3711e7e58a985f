#!/usr/bin/env python3
"""Plot vanishing and exploding gradients from an `unroll trace` export.

For every forward recurrent layer, plots ||dL_T/dh_t|| (the gradient of the last
loss step's loss alone, `last_loss_grad_norm`) against the distance T - t from
that step, on a log scale. Reads the JSON or the CSV export (see docs/trace-format.md).

    unroll trace vanishing --format json --output vanishing.json
    python3 scripts/plot_trace.py vanishing.json -o vanishing.png
    python3 scripts/plot_trace.py vanishing.csv            # the same plot, from the CSV

Needs numpy and matplotlib; pandas for CSV files (pip install matplotlib pandas).
"""
import argparse
import json

import numpy as np


def curves_from_json(path):
    """{layer label: (distance, norm)} for the forward layers, from a JSON export."""
    with open(path, encoding="utf-8") as f:
        trace = json.load(f)
    last = max(trace["options"]["loss_columns"])  # T: the last column with a loss
    curves = {}
    for layer in trace["layers"]:
        if layer["direction"] != "forward":
            continue
        t = np.array([s["column"] for s in layer["steps"]])
        # Non-finite numbers are the strings "NaN", "Infinity", "-Infinity":
        # dtype=float turns them back into floats.
        norm = np.asarray([s["last_loss_grad_norm"] for s in layer["steps"]], dtype=float)
        keep = t <= last
        curves[layer["label"]] = (last - t[keep], norm[keep])
    return curves, trace["lesson"]["name"]


def curves_from_csv(path):
    """The same curves from a CSV export, with pandas (NaN, inf, -inf read as floats)."""
    import pandas as pd

    df = pd.read_csv(path, keep_default_na=False, na_values=["NaN"],
                     dtype={"section": str, "name": str, "token": str, "layer": str, "direction": str})
    last = df.loc[(df.section == "loss") & (df.column != ""), "column"].astype(int).max()
    rows = df[(df.section == "last_loss_grad_norm") & (df.direction == "forward")]
    curves = {}
    for label, g in rows.groupby("layer", sort=False):
        t = g.column.astype(int).to_numpy()
        norm = g.value.astype(float).to_numpy()
        keep = t <= last
        curves[label] = (last - t[keep], norm[keep])
    return curves, path


def plot(curves, title, output=None):
    import matplotlib
    if output:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    for label, (distance, norm) in curves.items():
        ax.semilogy(distance, norm, marker="o", label=label)
    ax.set_xlabel("distance from the last loss step, T - t")
    ax.set_ylabel(r"$\|\partial L_T / \partial h_t\|$")
    ax.set_title(title)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    if output:
        fig.savefig(output, dpi=100)
    else:
        plt.show()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("trace", help="a JSON or CSV file written by `unroll trace`")
    parser.add_argument("-o", "--output", help="save the plot to this file instead of showing it")
    args = parser.parse_args()
    if args.trace.endswith(".csv"):
        curves, title = curves_from_csv(args.trace)
    else:
        curves, title = curves_from_json(args.trace)
    for label, (distance, norm) in curves.items():
        print(label, " ".join(f"{d}:{n:.3g}" for d, n in zip(distance, norm)))
    plot(curves, title, args.output)


if __name__ == "__main__":
    main()
