import Foundation
import UnrollEngine

/// The engine's benchmark rows: forward and full BPTT for RNN (tanh), LSTM and GRU at the shapes,
/// with the per-step Trace recorded (`Engine.run` without Jacobians and spectra) and without (`Engine.gradients`).
/// The input size is H and the output a linear layer of 8 units under MSE at every step, as in
/// `scripts/compare_torch.py`.
enum EngineBench {
    /// (H, T, B) of every row.
    static let shapes: [(h: Int, t: Int, b: Int)] = [(32, 50, 1), (128, 100, 1), (128, 100, 32), (512, 100, 32)]
    /// Outputs of the linear layer.
    static let outputs = 8

    /// Every row, timing each the best of `repetitions`; `only` keeps the shapes whose H is listed (all when empty).
    static func rows(repetitions: Int, only: [Int]) -> [BenchRow] {
        var out: [BenchRow] = []
        for s in shapes where only.isEmpty || only.contains(s.h) {
            for cell in [CellKind.rnn, .lstm, .gru] {
                out += rows(Float.self, cell: cell, shape: s, repetitions: repetitions)
                out += rows(Double.self, cell: cell, shape: s, repetitions: repetitions)
            }
        }
        return out
    }

    static func rows<T: EngineScalar>(_: T.Type, cell: CellKind, shape s: (h: Int, t: Int, b: Int),
                                      repetitions: Int) -> [BenchRow] {
        let spec = ModelSpec(cell: cell, inputSize: s.h, hiddenSizes: [s.h], outputSize: outputs)
        let model = Model<T>(spec: spec, seed: 1)
        var rng = SeededGenerator(seed: 7)
        func random(_ rows: Int, _ cols: Int) -> Matrix<T> {
            Matrix(rows: rows, cols: cols, storage: (0..<(rows * cols)).map { _ in T(rng.uniform(-1, 1)) })
        }
        let sample = Sample<T>(inputs: (0..<s.t).map { _ in random(s.b, s.h) },
                               targets: .values((0..<s.t).map { _ in random(s.b, outputs) }))
        let traced = RunOptions(recordJacobians: false, recordSpectra: false)
        let g = cell.gateCount
        let flops = 6.0 * Double(s.t * s.b * g * s.h * 2 * s.h)
        let gemm = gemmRate(T.self, m: s.b, n: g * s.h, k: s.h)
        let name = "\(cell.rawValue) H=\(s.h) T=\(s.t) B=\(s.b) \(T.dtypeName)"
        return [("trace", { _ = try? Engine.run(model: model, sample: sample, options: traced) }),
                ("train", { _ = try? Engine.gradients(model: model, sample: sample, options: traced) })].map { mode, body in
            let ms = Timing.best(repetitions: repetitions, body)
            return BenchRow(kind: "engine", name: name + " " + mode, cell: cell.rawValue, hidden: s.h, steps: s.t, batch: s.b,
                            dtype: T.dtypeName, mode: mode, ms: ms, gflops: flops / (ms * 1e6), gemmGflops: gemm)
        }
    }

    /// OpenBLAS's rate on `C (m × n) = A (m × k) · B (n × k)ᵀ`, as the engine calls it (gemv when m = 1), in GFLOP/s:
    /// the best of several batches of calls.
    static func gemmRate<T: EngineScalar>(_: T.Type, m: Int, n: Int, k: Int) -> Double {
        let a = Matrix<T>(rows: m, cols: k, repeating: 0.5), b = Matrix<T>(rows: n, cols: k, repeating: 0.25)
        var c = Matrix<T>(rows: m, cols: n)
        let calls = max(1, Int(2e8 / Double(2 * m * n * k)))
        let ms = Timing.best(repetitions: 5) { for _ in 0..<calls { BLAS.gemm(a, b, transposeB: true, into: &c) } }
        return 2.0 * Double(m * n * k * calls) / (ms * 1e6)
    }
}
