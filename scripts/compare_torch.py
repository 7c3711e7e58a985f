#!/usr/bin/env python3
"""Unroll's engine against PyTorch on the CPU, in the same run, with the same thread count.

Engine rows: runs `unroll bench --part engine --json` (the release binary), then PyTorch's nn.RNN / nn.LSTM /
nn.GRU with an nn.Linear(H, 8) output and MSE at every step (Unroll's loss: the sum over steps of the mean over
B x 8), forward + backward, on the same shapes and dtypes, and prints Unroll / PyTorch for every row.
Training rows: `unroll bench --part training --json` (the adding problem, T = 50, H = 32, B = 32, Adam at 0.01,
gradient norm clipped to 1, a fresh batch every iteration) against the same loop in PyTorch (nn.LSTM / nn.GRU /
nn.RNN, nn.Linear(H, 1) on the last step, MSELoss, clip_grad_norm_, torch.optim.Adam), the same number of
iterations. Times are the best of the repetitions on both sides.

  python3 scripts/compare_torch.py [--unroll PATH] [--repetitions N] [--hidden 32 128 ...] [--cell lstm ...]
                                   [--threads N] [--rounds N] [--parts engine training] [--iterations N] [--json]

Needs torch (pip install torch). `make compare` builds the release binary and runs this.
"""
import argparse
import json
import subprocess
import sys
import time

import torch


def torch_time(cell, h, t, b, dtype, reps):
    g = torch.Generator().manual_seed(1)
    cls = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell]
    rnn = cls(h, h, batch_first=False).to(dtype)
    out = torch.nn.Linear(h, 8).to(dtype)
    x = (torch.rand(t, b, h, generator=g, dtype=dtype) * 2 - 1)
    y = (torch.rand(t, b, 8, generator=g, dtype=dtype) * 2 - 1)

    def step():
        rnn.zero_grad(set_to_none=True)
        out.zero_grad(set_to_none=True)
        hs, _ = rnn(x)
        loss = ((out(hs) - y) ** 2).mean(dim=(1, 2)).sum()
        loss.backward()

    step()
    best = float("inf")
    for _ in range(reps):
        s = time.perf_counter()
        step()
        best = min(best, time.perf_counter() - s)
    return best * 1e3


def torch_train_time(cell, h, t, b, dtype, iterations, reps):
    """Milliseconds of `iterations` training steps on the adding problem, the best of `reps` runs."""
    torch.manual_seed(1)
    g = torch.Generator().manual_seed(1)
    cls = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell]
    rnn = cls(2, h).to(dtype)
    out = torch.nn.Linear(h, 1).to(dtype)
    params = list(rnn.parameters()) + list(out.parameters())
    opt = torch.optim.Adam(params, lr=0.01)
    rows = torch.arange(b)

    def batch():
        # Channel 0: a value in [0, 1); channel 1: the marker, once in each half; target: the sum of the two marked values.
        x = torch.zeros(t, b, 2, dtype=dtype)
        x[:, :, 0] = torch.rand(t, b, generator=g, dtype=dtype)
        first = torch.randint(0, t // 2, (b,), generator=g)
        second = t // 2 + torch.randint(0, t - t // 2, (b,), generator=g)
        x[first, rows, 1] = 1
        x[second, rows, 1] = 1
        return x, (x[first, rows, 0] + x[second, rows, 0]).unsqueeze(1)

    def run():
        for _ in range(iterations):
            x, y = batch()
            opt.zero_grad(set_to_none=True)
            hs, _ = rnn(x)
            loss = ((out(hs[-1]) - y) ** 2).mean()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()

    run()
    best = float("inf")
    for _ in range(reps):
        s = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - s)
    return best * 1e3


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--unroll", default=".build/release/unroll")
    ap.add_argument("--repetitions", type=int, default=5)
    ap.add_argument("--hidden", type=int, nargs="*", default=[])
    ap.add_argument("--cell", nargs="*", default=[], help="only these cells (rnn lstm gru)")
    ap.add_argument("--threads", type=int, help="threads on both sides (default: Unroll's, i.e. OpenBLAS's)")
    ap.add_argument("--rounds", type=int, default=1,
                    help="alternate Unroll and PyTorch this many times and keep each row's best (steadier on a busy machine)")
    ap.add_argument("--parts", nargs="*", default=["engine", "training"], choices=["engine", "training"],
                    help="engine rows, training rows, or both (default)")
    ap.add_argument("--iterations", type=int, default=100, help="training iterations per timed run of a training row")
    ap.add_argument("--json", action="store_true", help="print the rows as JSON instead of a table")
    a = ap.parse_args()

    cmds = []
    for part in a.parts:
        cmd = [a.unroll, "bench", "--part", part, "--json", "--repetitions", str(a.repetitions)]
        if a.hidden and part == "engine":
            cmd += ["--hidden"] + [str(h) for h in a.hidden]
        if part == "training":
            cmd += ["--iterations", str(a.iterations)]
        if a.cell:
            cmd += ["--cell"] + a.cell
        if a.threads:
            cmd += ["--threads", str(a.threads)]
        cmds.append(cmd)
    dtypes = {"float32": torch.float32, "float64": torch.float64}
    report, rows_seen, best, best_torch = None, {}, {}, {}
    for rnd in range(max(1, a.rounds)):
        for cmd in cmds:
            try:
                report = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
            except (OSError, subprocess.CalledProcessError, json.JSONDecodeError) as e:
                sys.exit(f"compare_torch.py: cannot run {' '.join(cmd)}: {e}")
            torch.set_num_threads(report["threads"])
            for r in report["rows"]:
                rows_seen[r["name"]] = r
                best[r["name"]] = min(best.get(r["name"], float("inf")), r["ms"])
                key = (r["kind"], r["cell"], r["hidden"], r["steps"], r["batch"], r["dtype"])
                if len(best_torch.get(key, [])) <= rnd:
                    if r["kind"] == "training":
                        t = torch_train_time(r["cell"], r["hidden"], r["steps"], r["batch"], dtypes[r["dtype"]],
                                             a.iterations, a.repetitions)
                    else:
                        t = torch_time(r["cell"], r["hidden"], r["steps"], r["batch"], dtypes[r["dtype"]], a.repetitions)
                    best_torch.setdefault(key, []).append(t)
    threads = report["threads"]
    rows = []
    for r in rows_seen.values():
        key = (r["kind"], r["cell"], r["hidden"], r["steps"], r["batch"], r["dtype"])
        ms, tms = best[r["name"]], min(best_torch[key])
        rows.append(dict(r, ms=ms, torch_ms=tms, ratio=ms / tms))
    if a.json:
        print(json.dumps({"core": report["core"], "gateKernels": report.get("gateKernels"), "threads": threads, "torch": torch.__version__, "rows": rows}))
        return
    print(f"Unroll: {report['core']}")
    if report.get("gateKernels"):
        print(f"Unroll: {report['gateKernels']}")
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads")
    print(f"{'row':52} {'unroll ms':>10} {'torch ms':>10} {'ratio':>7}")
    for r in rows:
        print(f"{r['name']:52} {r['ms']:10.3f} {r['torch_ms']:10.3f} {r['ratio']:7.2f}")


if __name__ == "__main__":
    main()
