#!/usr/bin/env python3
"""Writes Tests/UnrollEngineTests/Fixtures/torch.json: PyTorch's forward and backward
results for nn.RNN, nn.LSTM and nn.GRU with a linear output layer, in float32 and float64.

The Swift tests load the same parameters into Unroll and compare every number, so the
engine's equations, gate order and parameter layout are PyTorch's. Run it with
`python3 scripts/make_torch_fixtures.py` (needs torch); the test suite does not need torch.

Conventions the test relies on:
  * sequence-first tensors: x is [T, B, I], outputs [T, B, O], h0 [L*D, B, H];
  * y_t = output(h_t) with output an nn.Linear on the top layer's (joined) hidden state;
  * the loss is the sum over steps of MSELoss (mean over B x O) or CrossEntropyLoss (mean over B);
  * every tensor is written flat, in row-major order.
"""
import json
import pathlib

import torch

CASES = [
    # name, module, kwargs, layers, bidirectional, loss
    ("rnn_tanh", torch.nn.RNN, {"nonlinearity": "tanh"}, 1, False, "mse"),
    ("rnn_relu", torch.nn.RNN, {"nonlinearity": "relu"}, 1, False, "mse"),
    ("rnn_tanh_stacked_bidirectional", torch.nn.RNN, {"nonlinearity": "tanh"}, 2, True, "mse"),
    ("lstm", torch.nn.LSTM, {}, 1, False, "mse"),
    ("lstm_stacked", torch.nn.LSTM, {}, 2, False, "cross-entropy"),
    ("lstm_bidirectional", torch.nn.LSTM, {}, 1, True, "mse"),
    ("gru", torch.nn.GRU, {}, 1, False, "mse"),
    ("gru_stacked_bidirectional", torch.nn.GRU, {}, 2, True, "cross-entropy"),
]
T, B, I, H, O = 5, 2, 3, 4, 3


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def case(name, module, kwargs, layers, bidirectional, loss, dtype, seed):
    torch.manual_seed(seed)
    rnn = module(I, H, num_layers=layers, bidirectional=bidirectional, **kwargs).to(dtype)
    d = 2 if bidirectional else 1
    head = torch.nn.Linear(H * d, O).to(dtype)
    x = torch.randn(T, B, I, dtype=dtype, requires_grad=True)
    h0 = (0.5 * torch.randn(layers * d, B, H, dtype=dtype)).requires_grad_(True)
    c0 = (0.5 * torch.randn(layers * d, B, H, dtype=dtype)).requires_grad_(True)
    if module is torch.nn.LSTM:
        hidden, _ = rnn(x, (h0, c0))
    else:
        hidden, _ = rnn(x, h0)
    y = head(hidden)
    if loss == "mse":
        targets = torch.randn(T, B, O, dtype=dtype)
        total = sum(torch.nn.functional.mse_loss(y[t], targets[t]) for t in range(T))
        target_list = flat(targets)
    else:
        targets = torch.randint(0, O, (T, B))
        total = sum(torch.nn.functional.cross_entropy(y[t], targets[t]) for t in range(T))
        target_list = [int(v) for v in targets.reshape(-1).tolist()]
    total.backward()
    params = {n: p for n, p in rnn.named_parameters()}
    params.update({"output." + n: p for n, p in head.named_parameters()})
    out = {
        "name": name, "dtype": "float32" if dtype == torch.float32 else "float64",
        "cell": name.split("_")[0], "nonlinearity": kwargs.get("nonlinearity", "tanh"),
        "input_size": I, "hidden_size": H, "num_layers": layers, "bidirectional": bidirectional,
        "output_size": O, "batch": B, "steps": T, "loss": loss,
        "params": {n: flat(p) for n, p in params.items()},
        "x": flat(x), "h0": flat(h0), "targets": target_list,
        "outputs": flat(y), "hidden": flat(hidden), "loss_value": float(total.detach()),
        "grads": {n: flat(p.grad) for n, p in params.items()},
        "grad_x": flat(x.grad), "grad_h0": flat(h0.grad),
    }
    if module is torch.nn.LSTM:
        out["c0"] = flat(c0)
        out["grad_c0"] = flat(c0.grad)
    return out


def main():
    cases = []
    for i, spec in enumerate(CASES):
        for dtype in (torch.float32, torch.float64):
            cases.append(case(*spec, dtype, seed=100 + i))
    path = pathlib.Path(__file__).resolve().parent.parent / "Tests/UnrollEngineTests/Fixtures/torch.json"
    path.write_text(json.dumps({"torch": torch.__version__, "cases": cases}, indent=None) + "\n")
    print(f"wrote {len(cases)} cases to {path}")


if __name__ == "__main__":
    main()
