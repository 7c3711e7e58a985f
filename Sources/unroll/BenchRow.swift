/// One measurement of `unroll bench`, as printed and as `--json` writes it.
struct BenchRow: Codable {
    /// `engine`, `gemm` or `frontend`.
    var kind: String
    /// What was measured, e.g. `lstm H=128 T=100 B=32 float32 trace`.
    var name: String
    /// Cell (`rnn`, `lstm`, `gru`) for engine and gemm rows.
    var cell: String?
    /// Hidden size, steps, batch.
    var hidden: Int?, steps: Int?, batch: Int?
    /// `float32` or `float64`.
    var dtype: String?
    /// `trace` (Engine.run, the per-step Trace recorded) or `train` (Engine.gradients).
    var mode: String?
    /// The best (minimum) time over the repetitions, in milliseconds.
    var ms: Double
    /// For engine rows: the GEMM flops of forward and backward (6·T·B·G·H·(I+H)) per second, in GFLOP/s.
    var gflops: Double?
    /// For engine rows: OpenBLAS's own GEMM rate on one step's product (B × H by H × G·H), GFLOP/s.
    var gemmGflops: Double?
    /// For memory rows: bytes.
    var bytes: Double?
}
