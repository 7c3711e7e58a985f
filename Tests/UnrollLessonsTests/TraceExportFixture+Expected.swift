extension TraceExportFixture {
    /// The export of `traced()` as JSON, checked by hand against the numbers in the type's comment.
    static let expectedJSON = """
        {
          "format": "unroll-trace",
          "version": 1,
          "lesson": {
            "name": "tiny",
            "title": "Two tokens, two units"
          },
          "dtype": "float64",
          "model": {
            "cell": "rnn",
            "activation": "identity",
            "input_size": 2,
            "hidden_sizes": [2],
            "output_size": 2,
            "bidirectional": false,
            "skip": null,
            "deep": {
              "input": 0,
              "transition": 0,
              "output": 0,
              "shortcut": false
            },
            "configuration": "many-to-many",
            "feedback": "none",
            "conditioning": null
          },
          "options": {
            "loss": "mse",
            "loss_columns": [0, 1],
            "truncation": null,
            "clipping": {
              "kind": "none",
              "threshold": null
            }
          },
          "vocabulary": ["a", "b"],
          "loss": 1.625,
          "clip": {
            "clipping": {
              "kind": "none",
              "threshold": null
            },
            "norm_before": 2.48746859276655,
            "norm_after": 2.48746859276655,
            "clipped": false
          },
          "recurrent": [
            {
              "name": "weight_hh_l0",
              "spectral_radius": 0.5,
              "largest_singular_value": 0.5
            }
          ],
          "non_finite": {
            "forward_column": null,
            "backward_column": null
          },
          "parameters": {
            "weight_ih_l0": {
              "shape": [2, 2],
              "value": [[1.0, 0.0], [0.0, 1.0]],
              "grad": [[0.75, -0.5], [-0.75, 1.0]]
            },
            "weight_hh_l0": {
              "shape": [2, 2],
              "value": [[0.5, 0.0], [0.0, 0.25]],
              "grad": [[-0.5, 0.0], [1.0, 0.0]]
            },
            "bias_ih_l0": {
              "shape": [2],
              "value": [0.0, 0.0],
              "grad": [0.25, 0.25]
            },
            "bias_hh_l0": {
              "shape": [2],
              "value": [0.0, 0.0],
              "grad": [0.25, 0.25]
            },
            "output.weight": {
              "shape": [2, 2],
              "value": [[1.0, 0.0], [0.0, 1.0]],
              "grad": [[0.75, -0.5], [-0.5, 1.0]]
            },
            "output.bias": {
              "shape": [2],
              "value": [0.0, 0.0],
              "grad": [0.5, 0.0]
            }
          },
          "columns": [
            {
              "column": 0,
              "segment": "",
              "input": "a",
              "target": "b",
              "x": [[1.0, 0.0]],
              "grad_x": [[0.75, -0.75]],
              "y": [[1.0, 0.0]],
              "grad_y": [[1.0, -1.0]],
              "loss": 1.0
            },
            {
              "column": 1,
              "segment": "",
              "input": "b",
              "target": "a",
              "x": [[0.0, 1.0]],
              "grad_x": [[-0.5, 1.0]],
              "y": [[0.5, 1.0]],
              "grad_y": [[-0.5, 1.0]],
              "loss": 0.625
            }
          ],
          "layers": [
            {
              "label": "l0",
              "layer": 0,
              "direction": "forward",
              "segment": "",
              "hidden_size": 2,
              "start_column": 0,
              "h0": [[0.0, 0.0]],
              "grad_h0": [[0.375, -0.1875]],
              "c0": null,
              "grad_c0": null,
              "steps": [
                {
                  "column": 0,
                  "preactivation": [[1.0, 0.0]],
                  "gates": {},
                  "hidden": [[1.0, 0.0]],
                  "cell": null,
                  "grad_hidden": [[0.75, -0.75]],
                  "grad_cell": null,
                  "jacobian_norm": null,
                  "cell_jacobian_norm": null,
                  "last_loss_grad_norm": 0.3535533905932738,
                  "recurrent_term_norm": 0.0,
                  "recurrent_sum_norm": 1.118033988749895
                },
                {
                  "column": 1,
                  "preactivation": [[0.5, 1.0]],
                  "gates": {},
                  "hidden": [[0.5, 1.0]],
                  "cell": null,
                  "grad_hidden": [[-0.5, 1.0]],
                  "grad_cell": null,
                  "jacobian_norm": null,
                  "cell_jacobian_norm": null,
                  "last_loss_grad_norm": 1.118033988749895,
                  "recurrent_term_norm": 1.118033988749895,
                  "recurrent_sum_norm": 1.118033988749895
                }
              ]
            }
          ],
          "conditioning": null
        }

        """
}
