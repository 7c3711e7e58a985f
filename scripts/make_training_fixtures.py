#!/usr/bin/env python3
"""Writes the training fixtures of Tests/UnrollTrainingTests/Fixtures (needs torch and safetensors;
the tests do not), and checks weights saved by Unroll in PyTorch.

torch_{rnn,lstm,gru}.safetensors: the state_dict of nn.RNN / nn.LSTM / nn.GRU (I=3, H=4) with an
nn.Linear named "output" (O=2), float64, saved with safetensors.torch.save_file;
torch_outputs.json: x [T=5, B=2, I] and the model's outputs y [T, B, O] for each, which the Swift
test compares with Unroll's on the same weights.

optimizers.json: a small nn.LSTM + nn.Linear ("output") in float64, a fixed batch, and the
parameters after each of 4 steps of torch.optim.SGD (with and without momentum), RMSprop and
Adam, some with clip_grad_norm_ / clip_grad_value_. The loss is MSELoss over the whole
[T, B, O] output (the mean over steps, batch and features), as Unroll's Trainer takes it.

Conventions: sequence-first x [T, B, I]; every tensor written flat in row-major order.

Run: python3 scripts/make_training_fixtures.py
     python3 scripts/make_training_fixtures.py --check-unroll path/to/unroll
The second form trains each cell briefly with `unroll train --save`, reads Unroll's outputs for the
saved weights with `unroll trace`, loads the weights into PyTorch with load_state_dict and compares.
"""
import json
import pathlib
import subprocess
import sys
import tempfile

import torch
from safetensors.torch import load_file, save_file

OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests" / "UnrollTrainingTests" / "Fixtures"
T, B, I, H, O = 4, 3, 3, 4, 2
STEPS = 4
CASES = [
    # name, optimizer factory, learning rate, clipping
    ("sgd", lambda p, lr: torch.optim.SGD(p, lr=lr), 0.1, None),
    ("sgd_momentum", lambda p, lr: torch.optim.SGD(p, lr=lr, momentum=0.9), 0.1, ("norm", 0.5)),
    ("rmsprop", lambda p, lr: torch.optim.RMSprop(p, lr=lr), 0.01, None),
    ("rmsprop_clip_value", lambda p, lr: torch.optim.RMSprop(p, lr=lr, alpha=0.9, eps=1e-6), 0.01, ("value", 0.05)),
    ("adam", lambda p, lr: torch.optim.Adam(p, lr=lr), 0.01, None),
    ("adam_clip_norm", lambda p, lr: torch.optim.Adam(p, lr=lr, betas=(0.8, 0.99), eps=1e-7), 0.05, ("norm", 0.3)),
]


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = torch.nn.LSTM(I, H)
        self.output = torch.nn.Linear(H, O)

    def forward(self, x):
        h, _ = self.rnn(x)
        return self.output(h)

    def named(self):
        return {**{n: p for n, p in self.rnn.named_parameters()}, **{"output." + n: p for n, p in self.output.named_parameters()}}


def main():
    torch.manual_seed(11)
    x = torch.randn(T, B, I, dtype=torch.float64)
    targets = torch.randn(T, B, O, dtype=torch.float64)
    torch.manual_seed(5)
    initial = {n: p.detach().clone() for n, p in Net().double().named().items()}
    cases = []
    for name, make, lr, clip in CASES:
        net = Net().double()
        with torch.no_grad():
            for n, p in net.named().items():
                p.copy_(initial[n])
        opt = make(net.parameters(), lr)
        losses, after = [], []
        for _ in range(STEPS):
            opt.zero_grad()
            loss = torch.nn.functional.mse_loss(net(x), targets)
            loss.backward()
            if clip and clip[0] == "norm":
                torch.nn.utils.clip_grad_norm_(net.parameters(), clip[1])
            elif clip:
                torch.nn.utils.clip_grad_value_(net.parameters(), clip[1])
            opt.step()
            losses.append(float(loss.detach()))
            after.append({n: flat(p) for n, p in net.named().items()})
        defaults = opt.defaults
        cases.append({
            "name": name, "learning_rate": lr,
            "optimizer": type(opt).__name__.lower(),
            "momentum": defaults.get("momentum", 0.0), "alpha": defaults.get("alpha", 0.0),
            "betas": list(defaults.get("betas", (0.0, 0.0))), "eps": defaults.get("eps", 0.0),
            "clipping": None if clip is None else {"kind": clip[0], "threshold": clip[1]},
            "losses": losses, "params": after,
        })
    OUT.mkdir(parents=True, exist_ok=True)
    data = {"T": T, "B": B, "I": I, "H": H, "O": O, "x": flat(x), "targets": flat(targets),
            "initial": {n: flat(p) for n, p in initial.items()}, "cases": cases}
    (OUT / "optimizers.json").write_text(json.dumps(data) + "\n")
    print("wrote", OUT / "optimizers.json")


MODULES = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}


class Head(torch.nn.Module):
    """A recurrent module and an nn.Linear named output: Unroll's parameter names exactly."""

    def __init__(self, cell, i, h, o):
        super().__init__()
        self.rnn = MODULES[cell](i, h)
        self.output = torch.nn.Linear(h, o)

    def state(self):
        return {**self.rnn.state_dict(), **{"output." + k: v for k, v in self.output.state_dict().items()}}

    def load(self, tensors):
        self.rnn.load_state_dict({k: v for k, v in tensors.items() if not k.startswith("output.")})
        self.output.load_state_dict({k[len("output."):]: v for k, v in tensors.items() if k.startswith("output.")})

    def forward(self, x):
        h, _ = self.rnn(x)
        return self.output(h)


def weights_fixtures():
    torch.manual_seed(21)
    x = torch.randn(5, 2, 3, dtype=torch.float64)
    outputs = {"x": flat(x)}
    for cell in MODULES:
        net = Head(cell, 3, 4, 2).double()
        save_file({k: v.contiguous() for k, v in net.state().items()}, str(OUT / f"torch_{cell}.safetensors"))
        with torch.no_grad():
            outputs[cell] = flat(net(x))
    (OUT / "torch_outputs.json").write_text(json.dumps(outputs) + "\n")
    print("wrote", OUT / "torch_outputs.json", "and torch_{rnn,lstm,gru}.safetensors")


def check_unroll(unroll):
    """Weights trained and saved by Unroll load into PyTorch and give Unroll's outputs."""
    worst = 0.0
    with tempfile.TemporaryDirectory() as d:
        for cell, task in [("lstm", "adding"), ("rnn", "adding"), ("gru", "copy-memory")]:
            base = f"title: check\nmodel: {{cell: {cell}, hidden_size: 8}}\ntraining: {{task: {task}, length: 6, iterations: 20}}\n"
            scenario = pathlib.Path(d) / f"{cell}.yaml"
            scenario.write_text(base)
            weights = pathlib.Path(d) / f"{cell}.safetensors"
            subprocess.run([unroll, "train", str(scenario), "--save", str(weights)], check=True, stderr=subprocess.DEVNULL)
            scenario.write_text(base + f"weights: {weights.name}\n")
            trace = json.loads(subprocess.run([unroll, "trace", str(scenario)], check=True, capture_output=True, text=True).stdout)
            tensors = load_file(str(weights))
            i, o = trace["model"]["input_size"], trace["model"]["output_size"]
            net = Head(cell, i, trace["model"]["hidden_sizes"][0], o).double()
            net.load(tensors)
            x = torch.tensor([c["x"] for c in trace["columns"]], dtype=torch.float64)
            with torch.no_grad():
                y = net(x)
            for t, c in enumerate(trace["columns"]):
                if c["y"] is not None:
                    err = (y[t] - torch.tensor(c["y"], dtype=torch.float64)).abs().max().item()
                    worst = max(worst, err)
            print(f"{cell} on {task}: {len(tensors)} tensors loaded into PyTorch; largest output difference so far {worst:.3g}")
    if worst > 1e-10:
        sys.exit(f"outputs differ by {worst}")
    print("Unroll's saved weights give Unroll's outputs in PyTorch (max difference %.3g)" % worst)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check-unroll":
        check_unroll(sys.argv[2])
    else:
        main()
        weights_fixtures()
