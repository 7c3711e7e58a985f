#!/usr/bin/env python3
"""Writes the training fixtures of Tests/UnrollTrainingTests/Fixtures (needs torch; the tests do not).

optimizers.json: a small nn.LSTM + nn.Linear ("output") in float64, a fixed batch, and the
parameters after each of 4 steps of torch.optim.SGD (with and without momentum), RMSprop and
Adam, some with clip_grad_norm_ / clip_grad_value_. The loss is MSELoss over the whole
[T, B, O] output (the mean over steps, batch and features), as Unroll's Trainer takes it.

Conventions: sequence-first x [T, B, I]; every tensor written flat in row-major order.

Run: python3 scripts/make_training_fixtures.py
"""
import json
import pathlib

import torch

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


if __name__ == "__main__":
    main()
