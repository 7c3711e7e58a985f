#!/usr/bin/env python3
"""A character model on a text, Unroll against PyTorch on the CPU (issue 26, item 6): seconds of training to reach a
held-out loss in bits per character, and sampling speed in characters per second.

The task is `unroll train --text`'s: the text with runs of white space folded to one space (case kept), its
characters as the vocabulary, windows of LENGTH + 1 characters drawn at random from the first 90 %, the last 10 %
held out; an LSTM of H units on one-hot characters, a linear readout, softmax cross-entropy at every step (summed over
steps, averaged over the batch, as Unroll's loss is), Adam, the gradient's norm clipped to 5, PyTorch's default
uniform initialisation on both sides.

Unroll: `unroll train SCENARIO --iterations N --log run.csv` (the log's `seconds` column is the training time at
each iteration, without start-up); its held-out loss is what the run prints at its end, so the first N that reaches
the target is found by doubling N, then bisecting, on runs of the same seed (a run's first N iterations are those
of a longer one; the held-out loss rises again once the model learns the text by heart). PyTorch: the same loop, the held-out loss (8 batches of windows from the last tenth, as Unroll's) measured
every EVAL iterations outside the clock. Sampling: `unroll sample --length L` against a loop of single-character
steps in PyTorch; both sample the same-sized model, at temperature 1.

  python3 scripts/compare_text_torch.py --unroll .build/release/unroll [--text examples/texts/alice.txt]
      [--hidden 128] [--length 64] [--batch 32] [--target 2.5] [--max-iterations 4000] [--threads 1] [--rounds 2]

Needs torch (pip install torch). Run it on a quiet machine; it prints the CPU, the OpenBLAS core and torch's version.
"""
import argparse
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time

import torch


def fold(text):
    out, last = [], None
    for ch in text:
        c = " " if ch.isspace() else ch
        if c == " " and last == " ":
            continue
        out.append(c)
        last = c
    return "".join(out)


def scenario(path, text, hidden, length, batch, lr, iterations, precision):
    return f"""name: "compare-text"
title: "compare_text_torch.py"
model:
  cell: lstm
  hidden_size: {hidden}
  precision: {precision}
init:
  seed: 1
  scheme: uniform
training:
  task: characters
  text: {json.dumps(os.path.abspath(text))}
  length: {length}
  optimizer: adam
  learning_rate: {lr}
  clipping: {{norm: 5.0}}
  batch_size: {batch}
  iterations: {iterations}
  seed: 1
"""


def run_unroll(binary, arguments, env):
    """Standard error of `unroll ARGUMENTS`; the script ends with unroll's message if it fails."""
    r = subprocess.run([binary] + arguments, capture_output=True, text=True, env=env)
    if r.returncode != 0:
        sys.exit(f"unroll {arguments[0]} failed: {r.stderr}")
    return r.stderr


def unroll_run(binary, yaml_path, iterations, env, save=None):
    """(held-out bits per character at the end, [training seconds at each iteration]) of one run; with `save`,
    the weights are written there too."""
    with tempfile.TemporaryDirectory() as d:
        log = os.path.join(d, "run.csv")
        arguments = ["train", yaml_path, "--iterations", str(iterations), "--log", log]
        err = run_unroll(binary, arguments + (["--save", save] if save else []), env)
        m = re.search(r"held-out loss \(.*?\) ([0-9.]+) nats = ([0-9.]+) bits", err)
        if not m:
            sys.exit(f"no held-out loss in unroll's output:\n{err}")
        with open(log) as f:
            rows = f.read().strip().splitlines()
        header = rows[0].split(",")
        col = header.index("seconds")
        seconds = [float(row.split(",")[col]) for row in rows[1:]]
        return float(m.group(2)), seconds


def unroll_time_to_target(binary, yaml_path, target, max_iterations, env, step):
    """The first multiple of `step` iterations whose held-out loss is at most `target` bits, and its seconds.

    The held-out loss falls and then rises again as the model learns the training text by heart, so the search
    doubles the iterations from `step` until a run reaches the target, then bisects between that run and the one
    before it (assumed monotone over that one doubling).
    """
    lo, n, bits = 0, step, None
    runs = {}
    while n <= max_iterations:
        bits, seconds = unroll_run(binary, yaml_path, n, env)
        runs[n] = seconds
        if bits <= target:
            break
        lo, n = n, n * 2
    else:
        return None, None, bits
    lo_k, hi_k = lo // step, n // step  # hi reaches the target, lo does not (0 iterations never does)
    while hi_k - lo_k > 1:
        mid = (lo_k + hi_k) // 2
        b, seconds = unroll_run(binary, yaml_path, mid * step, env)
        runs[mid * step] = seconds
        if b <= target:
            hi_k = mid
        else:
            lo_k = mid
    found = hi_k * step
    return found, runs[found][found - 1], bits


def torch_time_to_target(text, hidden, length, batch, lr, target, max_iterations, every, dtype):
    folded = fold(text)
    alphabet = sorted(set(folded))
    index = {c: i for i, c in enumerate(alphabet)}
    data = torch.tensor([index[c] for c in folded], dtype=torch.long)
    split = len(data) * 9 // 10
    train, held = data[:split], data[split:]
    v = len(alphabet)
    torch.manual_seed(1)
    lstm = torch.nn.LSTM(v, hidden).to(dtype)
    out = torch.nn.Linear(hidden, v).to(dtype)
    params = list(lstm.parameters()) + list(out.parameters())
    opt = torch.optim.Adam(params, lr=lr)
    eye = torch.eye(v, dtype=dtype)
    g = torch.Generator().manual_seed(1)

    def windows(source, n):
        starts = torch.randint(0, len(source) - length - 1, (n,), generator=g)
        w = torch.stack([source[s:s + length + 1] for s in starts.tolist()], dim=1)  # (T+1) x B
        return eye[w[:-1]], w[1:]

    def loss_of(x, y):
        hs, _ = lstm(x)
        logits = out(hs)
        return torch.nn.functional.cross_entropy(logits.reshape(-1, v), y.reshape(-1), reduction="sum") / y.shape[1]

    def held_out_bits():
        with torch.no_grad():
            total = 0.0
            for _ in range(8):
                x, y = windows(held, batch)
                total += loss_of(x, y).item() / length
            return total / 8 / math.log(2)

    clock = 0.0
    for it in range(1, max_iterations + 1):
        x, y = windows(train, batch)
        s = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = loss_of(x, y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 5.0)
        opt.step()
        clock += time.perf_counter() - s
        if it % every == 0:
            bits = held_out_bits()
            if bits <= target:
                return it, clock, bits, (lstm, out, alphabet)
    return None, clock, held_out_bits(), (lstm, out, alphabet)


def torch_sampling_speed(model, length, dtype):
    lstm, out, alphabet = model
    v = len(alphabet)
    eye = torch.eye(v, dtype=dtype)
    g = torch.Generator().manual_seed(1)
    with torch.no_grad():
        state = None
        c = 0
        s = time.perf_counter()
        for _ in range(length):
            h, state = lstm(eye[c].view(1, 1, v), state)
            p = torch.softmax(out(h[0, 0]), dim=0)
            c = int(torch.multinomial(p, 1, generator=g))
        return length / (time.perf_counter() - s)


def unroll_sampling_speed(binary, yaml_path, iterations, length, env):
    with tempfile.TemporaryDirectory() as d:
        w = os.path.join(d, "w.safetensors")
        unroll_run(binary, yaml_path, iterations, env, save=w)
        best = float("inf")
        for _ in range(3):
            s = time.perf_counter()
            run_unroll(binary, ["sample", w, "--length", str(length), "--seed", "1"], env)
            best = min(best, time.perf_counter() - s)
        return length / best


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--unroll", default=".build/release/unroll")
    p.add_argument("--text", default="examples/texts/alice.txt")
    p.add_argument("--hidden", type=int, default=128)
    p.add_argument("--length", type=int, default=64)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=0.005)
    p.add_argument("--target", type=float, default=2.5, help="held-out bits per character")
    p.add_argument("--max-iterations", type=int, default=4000)
    p.add_argument("--every", type=int, default=50, help="iterations between held-out checks")
    p.add_argument("--precision", choices=["float32", "float64"], default="float32")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--rounds", type=int, default=2, help="alternating rounds; the best time of each side")
    p.add_argument("--sample-length", type=int, default=20000)
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(a.threads))
    dtype = torch.float32 if a.precision == "float32" else torch.float64
    version = subprocess.run([a.unroll, "--version"], capture_output=True, text=True).stdout.strip()
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    print(f"# {cpu}; {version.splitlines()[-1] if version else '?'}; torch {torch.__version__}; "
          f"{a.threads} thread(s); OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}; "
          f"load {os.getloadavg()[0]:.1f}")
    print(f"# {a.text}: LSTM H={a.hidden}, T={a.length}, B={a.batch}, Adam {a.lr}, clip 5, {a.precision}, "
          f"target {a.target} bits per character on the held-out tenth")
    text = open(a.text, encoding="utf-8").read()
    with tempfile.TemporaryDirectory() as d:
        yaml_path = os.path.join(d, "compare.yaml")
        with open(yaml_path, "w") as f:
            f.write(scenario(yaml_path, a.text, a.hidden, a.length, a.batch, a.lr, a.max_iterations, a.precision))
        best_u = best_t = None
        u_n = t_n = None
        for r in range(a.rounds):
            n, secs, bits = unroll_time_to_target(a.unroll, yaml_path, a.target, a.max_iterations, env, a.every)
            print(f"round {r + 1} unroll:  " + (f"{n} iterations, {secs:.2f} s" if n else
                                                 f"not reached in {a.max_iterations} ({bits:.3f} bits)"))
            if n:
                u_n, best_u = n, min(best_u or secs, secs)
            tn, tsecs, tbits, model = torch_time_to_target(text, a.hidden, a.length, a.batch, a.lr, a.target,
                                                            a.max_iterations, a.every, dtype)
            print(f"round {r + 1} pytorch: " + (f"{tn} iterations, {tsecs:.2f} s" if tn else
                                                 f"not reached in {a.max_iterations} ({tbits:.3f} bits)"))
            if tn:
                t_n, best_t = tn, min(best_t or tsecs, tsecs)
        if best_u and best_t:
            print(f"time to {a.target} bits: unroll {best_u:.2f} s ({u_n} it), pytorch {best_t:.2f} s ({t_n} it), "
                  f"ratio {best_u / best_t:.2f}")
        us = unroll_sampling_speed(a.unroll, yaml_path, a.every, a.sample_length, env)
        ts = torch_sampling_speed(model, a.sample_length, dtype)
        print(f"sampling: unroll {us:,.0f} characters/s (process start included), pytorch {ts:,.0f} characters/s")


if __name__ == "__main__":
    main()
