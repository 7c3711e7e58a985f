/// Weights to and from safetensors, under PyTorch's parameter names.
///
/// A plain `nn.RNN`/`nn.LSTM`/`nn.GRU` with an `nn.Linear` named `output` has
/// exactly `ModelSpec.parameterLayout`'s names and shapes, so its `state_dict`
/// saved with `safetensors.torch.save_file` loads here, and a saved Unroll model
/// loads with `load_state_dict`. Biases have shape `[n]`, weights `[rows, cols]`.
extension Model {
    /// A model of `spec` with every parameter taken from `file`.
    ///
    /// Every parameter must be present with its exact shape, and no other tensor may
    /// be (a misspelt or extra name would otherwise be silently ignored).
    /// - Parameters:
    ///   - spec: the model's shape; `spec.problems()` must be empty.
    ///   - file: the tensors; any readable dtype, converted to `T`.
    ///   - path: the file's name, for messages.
    /// - Throws: `SafetensorsError` listing every missing, extra or misshapen tensor.
    public init(spec: ModelSpec, weights file: SafetensorsFile, path: String) throws(SafetensorsError) {
        let problems = spec.problems()
        guard problems.isEmpty else { throw SafetensorsError(path: path, message: problems.joined(separator: "; ")) }
        var model = Model(spec: spec, seed: 0)
        var issues: [String] = []
        for (i, d) in model.layout.enumerated() {
            guard let t = file[d.name] else {
                issues.append("missing tensor '\(d.name)' (\(Self.shapeText(d)))")
                continue
            }
            let expected = d.isVector ? [d.cols] : [d.rows, d.cols]
            guard t.shape == expected else {
                issues.append("tensor '\(d.name)' has shape \(t.shape), the model needs \(Self.shapeText(d))")
                continue
            }
            model.values[i] = Matrix(rows: d.rows, cols: d.cols, storage: t.values.map { T($0) })
        }
        let known = Set(model.layout.map(\.name))
        for t in file.tensors where !known.contains(t.name) {
            issues.append("tensor '\(t.name)' is not a parameter of this model")
        }
        guard issues.isEmpty else { throw SafetensorsError(path: path, message: issues.joined(separator: "; ")) }
        self = model
    }

    /// The parameters as safetensors tensors, under PyTorch's names and shapes, in layout order.
    /// - Parameter metadata: extra `__metadata__` entries; `format: pt` is always set, as PyTorch's writer does.
    public func weights(metadata: [String: String] = [:]) -> SafetensorsFile {
        let tensors = zip(layout, values).map { d, m in
            SafetensorsFile.Tensor(
                name: d.name, dtype: T.self == Float.self ? "F32" : "F64",
                shape: d.isVector ? [d.cols] : [d.rows, d.cols],
                values: m.storage.map { Double($0) })
        }
        return SafetensorsFile(tensors: tensors, metadata: metadata.merging(["format": "pt"]) { a, _ in a })
    }

    private static func shapeText(_ d: ParameterDescriptor) -> String {
        d.isVector ? "[\(d.cols)]" : "[\(d.rows), \(d.cols)]"
    }
}
