import UnrollEngine

/// The lab's training workload as a benchmark (`unroll bench --part training`): the adding problem (T = 50)
/// with one layer of H = 32, mini-batches of 32, Adam at 0.01 and the gradient norm clipped to 1, as
/// `train-adding-lstm` runs it, for the LSTM, the GRU and the tanh RNN in Float and Double. Each row times
/// `iterations` whole `Trainer.step`s (a fresh batch, forward, BPTT, clipping, the update), as
/// `scripts/compare_torch.py` times PyTorch's loop on the same task.
public enum TrainingBenchmark {
    /// Hidden size, sequence length and batch size of the workload.
    public static let shape = (h: 32, t: 50, b: 32)

    /// Measures every cell asked for (all when empty), Float then Double, reporting each row when measured.
    ///
    /// - Parameters:
    ///   - cells: Only these cells (all when empty).
    ///   - iterations: Training iterations per timed run.
    ///   - repetitions: Timed runs of each row (the training continues from run to run); the best is reported.
    ///   - report: Called with each row, in order.
    /// - Complexity: about `iterations · repetitions` milliseconds per row on a current core.
    public static func run(cells: [CellKind] = [], iterations: Int, repetitions: Int, report: (BenchRow) -> Void) {
        for cell in CellKind.allCases where cells.isEmpty || cells.contains(cell) {
            report(row(Float.self, cell: cell, iterations: iterations, repetitions: repetitions))
            report(row(Double.self, cell: cell, iterations: iterations, repetitions: repetitions))
        }
    }

    /// One row: `iterations` training steps of `cell` in precision `T`, the best of `repetitions` runs.
    /// `gflops` counts the products of forward and backward per iteration, 6·T·B·G·H·(I+H), as the engine rows do.
    public static func row<T: EngineScalar>(_: T.Type, cell: CellKind, iterations: Int, repetitions: Int) -> BenchRow {
        let s = shape
        let task = TrainingTask(kind: .adding, length: s.t)
        let spec = ModelSpec(
            cell: cell, inputSize: task.inputSize, hiddenSizes: [s.h], outputSize: task.outputSize,
            configuration: task.configuration)
        let settings = TrainingSettings(
            optimizer: .adam(), learningRate: 0.01, clipping: .norm(1), batchSize: s.b,
            iterations: iterations)
        var trainer = Trainer<T>(model: Model(spec: spec, seed: 1), task: task, settings: settings, seed: 1)
        let ms = Timing.best(repetitions: repetitions) {
            for _ in 0..<iterations { _ = try? trainer.step() }
        }
        let g = cell.gateCount
        let flops = Double(iterations) * 6 * Double(s.t * s.b * g * s.h * (task.inputSize + s.h))
        return BenchRow(
            kind: "training",
            name: "train adding \(cell.rawValue) H=\(s.h) T=\(s.t) B=\(s.b) \(T.dtypeName) \(iterations) it",
            cell: cell.rawValue, hidden: s.h, steps: s.t, batch: s.b, dtype: T.dtypeName, mode: "adam",
            ms: ms, gflops: flops / (ms * 1e6),
            gemmGflops: EngineBenchmark.gemmRate(T.self, m: s.b, n: g * s.h, k: s.h))
    }
}
