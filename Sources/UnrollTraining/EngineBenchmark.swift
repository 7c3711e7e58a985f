import UnrollEngine

/// The engine's benchmark (`unroll bench --part engine`): forward and full BPTT for RNN (tanh), LSTM and GRU
/// at the shapes, with the per-step Trace recorded (`Engine.run` without Jacobians and spectra) and
/// without (`Engine.gradients`). The input size is H and the output a linear layer of 8 units under MSE at
/// every step, as in `scripts/compare_torch.py`.
public enum EngineBenchmark {
    /// (H, T, B) of every row.
    public static let shapes: [(h: Int, t: Int, b: Int)] = [(32, 50, 1), (128, 100, 1), (128, 100, 32), (512, 100, 32)]
    /// Outputs of the linear layer.
    public static let outputs = 8

    /// Measures the shapes and cells asked for, Float then Double for each, and reports every row as soon as
    /// it is measured.
    ///
    /// - Parameters:
    ///   - hidden: Only shapes with these hidden sizes (all when empty).
    ///   - batch: Only shapes with these batch sizes (all when empty).
    ///   - cells: Only these cells (all when empty).
    ///   - repetitions: Timed runs of each measurement; the best is reported.
    ///   - report: Called with each row, in order.
    /// - Complexity: seconds to minutes: the (512, 100, 32) shapes dominate.
    public static func run(
        hidden: [Int] = [], batch: [Int] = [], cells: [CellKind] = [], repetitions: Int,
        report: (BenchRow) -> Void
    ) {
        for shape in shapes
        where (hidden.isEmpty || hidden.contains(shape.h)) && (batch.isEmpty || batch.contains(shape.b)) {
            for cell in CellKind.allCases where cells.isEmpty || cells.contains(cell) {
                rows(Float.self, cell: cell, shape: shape, repetitions: repetitions).forEach(report)
                rows(Double.self, cell: cell, shape: shape, repetitions: repetitions).forEach(report)
            }
        }
    }

    /// The `trace` and `train` rows of one cell, shape and precision.
    ///
    /// - Parameters:
    ///   - cell: The cell.
    ///   - shape: Hidden size, steps and batch size.
    ///   - repetitions: Timed runs of each; the best is reported.
    public static func rows<T: EngineScalar>(
        _: T.Type, cell: CellKind, shape s: (h: Int, t: Int, b: Int),
        repetitions: Int
    ) -> [BenchRow] {
        let spec = ModelSpec(cell: cell, inputSize: s.h, hiddenSizes: [s.h], outputSize: outputs)
        let model = Model<T>(spec: spec, seed: 1)
        var rng = SeededGenerator(seed: 7)
        func random(_ rows: Int, _ cols: Int) -> Matrix<T> {
            Matrix(rows: rows, cols: cols, storage: (0..<(rows * cols)).map { _ in T(rng.uniform(-1, 1)) })
        }
        let sample = Sample<T>(
            inputs: (0..<s.t).map { _ in random(s.b, s.h) },
            targets: .values((0..<s.t).map { _ in random(s.b, outputs) }))
        let traced = RunOptions(recordJacobians: false, recordSpectra: false)
        let g = cell.gateCount
        let flops = 6.0 * Double(s.t * s.b * g * s.h * 2 * s.h)
        let gemm = gemmRate(T.self, m: s.b, n: g * s.h, k: s.h)
        let name = "\(cell.rawValue) H=\(s.h) T=\(s.t) B=\(s.b) \(T.dtypeName)"
        return [
            ("trace", { _ = try? Engine.run(model: model, sample: sample, options: traced) }),
            ("train", { _ = try? Engine.gradients(model: model, sample: sample, options: traced) })
        ].map { mode, body in
            let ms = Timing.best(repetitions: repetitions, body)
            return BenchRow(
                kind: "engine", name: name + " " + mode, cell: cell.rawValue, hidden: s.h, steps: s.t, batch: s.b,
                dtype: T.dtypeName, mode: mode, ms: ms, gflops: flops / (ms * 1e6), gemmGflops: gemm)
        }
    }

    /// OpenBLAS's rate on `C (m × n) = A (m × k) · B (n × k)ᵀ`, as the engine calls it (gemv when m = 1), in GFLOP/s:
    /// the best of several batches of calls (about 0.2 GFLOP each).
    public static func gemmRate<T: EngineScalar>(_: T.Type, m: Int, n: Int, k: Int) -> Double {
        let a = Matrix<T>(rows: m, cols: k, repeating: 0.5), b = Matrix<T>(rows: n, cols: k, repeating: 0.25)
        var c = Matrix<T>(rows: m, cols: n)
        let calls = max(1, Int(2e8 / Double(2 * m * n * k)))
        let ms = Timing.best(repetitions: 5) { for _ in 0..<calls { BLAS.gemm(a, b, transposeB: true, into: &c) } }
        return 2.0 * Double(m * n * k * calls) / (ms * 1e6)
    }
}
