#!/usr/bin/env python3
"""Writes examples/handcalc.safetensors: the hand-computation lesson's weights (docs/labs/handcalc.md).

    python3 scripts/make_handcalc_weights.py        # then rebuild, to embed the file

Standard library only. Every value is a multiple of 1/4, exact in binary, and written as F64, so the
numbers on screen are exactly the numbers below. The vocabulary (examples/handcalc.yaml) is
not, bad, good, <eos>: the one-hot position of each word is its column of W_ih and its row of W_hy.
"""
import exact_weights

H = 2  # hidden units
TENSORS = {
    # W_x = W_ih (H x 4): 'not' writes unit 1, 'bad' unit 2, 'good' unit 2 with the other sign.
    "weight_ih_l0": [[1.0, 0.0, 0.0, 0.0],
                     [0.0, 1.0, -1.0, 0.0]],
    # W_h = W_hh (H x H): unit 1 keeps half of itself; unit 1 ('not' seen) pushes unit 2 down by 2.
    "weight_hh_l0": [[0.5, 0.0],
                     [-2.0, 0.5]],
    # b = b_ih + b_hh: b_hh is zero, so b = b_ih.
    "bias_ih_l0": [0.0, 0.25],
    "bias_hh_l0": [0.0, 0.0],
    # W_y = W_hy (4 x H): y_bad = h2 - h1, y_good = h1 - h2, 'not' and <eos> score 0.
    "output.weight": [[0.0, 0.0],
                      [-1.0, 1.0],
                      [1.0, -1.0],
                      [0.0, 0.0]],
    "output.bias": [0.0, 0.0, 0.0, 0.0],
}


def main():
    exact_weights.write("handcalc", TENSORS)


if __name__ == "__main__":
    main()
