@testable import UnrollEngine

/// Both precisions, for tests whose one body runs in Float and in Double.
let precisions: [any EngineScalar.Type] = [Float.self, Double.self]

/// A batch of random inputs and targets for `spec`, fixed by `seed`.
func randomSample<T: EngineScalar>(
    _ spec: ModelSpec, steps: Int, inputSteps: Int? = nil, batch: Int = 2, seed: UInt64 = 7,
    loss: LossKind = .mse, decoderSteps: Int? = nil, as _: T.Type = T.self
) -> Sample<T> {
    var rng = SeededGenerator(seed: seed)
    func mat(_ r: Int, _ c: Int) -> Matrix<T> {
        Matrix(rows: r, cols: c, storage: (0..<(r * c)).map { _ in T(rng.uniform(-1, 1)) })
    }
    let nIn = inputSteps ?? steps
    let inputs = (0..<nIn).map { _ in mat(batch, spec.inputSize) }
    let outSteps = decoderSteps ?? steps
    let decoderInputs =
        spec.configuration == .encoderDecoder && spec.decoderInputSize > 0
        ? (0..<outSteps).map { _ in mat(batch, spec.decoderInputSize) } : []
    let targets: Targets<T> =
        loss == .mse
        ? .values((0..<outSteps).map { _ in mat(batch, spec.outputSize) })
        : .classes((0..<outSteps).map { _ in (0..<batch).map { _ in Int(rng.next() % UInt64(spec.outputSize)) } })
    let cond = spec.conditioningSize.map { mat(batch, $0) }
    var sample = Sample(
        inputs: inputs, decoderInputs: decoderInputs, targets: targets,
        conditioning: spec.configuration == .encoderDecoder ? nil : cond, steps: outSteps)
    for prefix in spec.segmentPrefixes {
        for lay in spec.layers(prefix: prefix) {
            sample.initialHidden[lay.label] = mat(batch, lay.hiddenSize)
            if spec.cell == .lstm { sample.initialCell[lay.label] = mat(batch, lay.hiddenSize) }
        }
    }
    return sample
}

/// ‖a − b‖ / max(‖a‖ + ‖b‖, floor): the relative error of two gradients. Below the floor both
/// count as zero: the floor turns a bound on the relative error into a bound on the absolute one.
func relativeError<T: EngineScalar>(_ a: Matrix<T>, _ b: Matrix<T>, floor: Double) -> Double {
    var d = a
    BLAS.axpy(-1, b, &d)
    return Double(d.norm) / max(Double(a.norm) + Double(b.norm), floor)
}

/// The derivative of `loss(k, δ)` at δ = 0 for each k in `0 ..< count`, by the five-point
/// stencil `(f(−2h) − 8f(−h) + 8f(h) − f(2h)) / 12h` with h = 1e-3: truncation error O(h⁴),
/// so gradients far smaller than the loss still come out to about 1e-13 absolute.
func numericGradient(count: Int, _ loss: (Int, Double) throws -> Double) rethrows -> [Double] {
    let h = 1e-3
    return try (0..<count).map { k in
        let a = try loss(k, -2 * h), b = try loss(k, -h), c = try loss(k, h), d = try loss(k, 2 * h)
        return (a - 8 * b + 8 * c - d) / (12 * h)
    }
}
