#!/usr/bin/env python3
"""Writes examples/eigen.safetensors: the eigen lesson's weights (docs/labs/eigen.md).

    python3 scripts/make_eigen_weights.py        # then rebuild, to embed the file

Standard library only. Every value is a multiple of 1/4, exact in binary, written as F64. The vocabulary
(examples/eigen.yaml) is '.', France, French, then the <eos> every vocabulary ends with: few enough inputs and
outputs for the weights panel to show every matrix.

W_hh is upper triangular and not normal: its eigenvalues are its diagonal, 0.75 and 0.5, so ρ = 0.75 < 1,
while σmax = 1.74 > 1. With the identity activation ∂h_t/∂h_{t-1} = W_hh exactly, so ∂L/∂h_{12-k} =
(W_hhᵀ)^k ∂L/∂h_12. W_hy reads unit 1 only, so ∂L/∂h_12 points along unit 1, the direction W_hhᵀ first stretches.
"""
import exact_weights

H = 2  # hidden units
WORDS = [".", "France", "French", "<eos>"]
TENSORS = {
    # W_ih (H x 4): 'France' writes unit 2; no other word writes anything.
    "weight_ih_l0": [[0.0] * len(WORDS), [1.0 if w == "France" else 0.0 for w in WORDS]],
    # W_hh (H x H): unit 1 keeps 0.75 of itself and takes 1.5 of unit 2; unit 2 keeps half of itself.
    "weight_hh_l0": [[0.75, 1.5],
                     [0.0, 0.5]],
    "bias_ih_l0": [0.0, 0.0],
    "bias_hh_l0": [0.0, 0.0],
    # W_hy (4 x H): 'French' scores unit 1; unit 2 is read by no word.
    "output.weight": [[1.0 if w == "French" else 0.0, 0.0] for w in WORDS],
    "output.bias": [0.0] * len(WORDS),
}


def main():
    exact_weights.write("eigen", TENSORS)


if __name__ == "__main__":
    main()
