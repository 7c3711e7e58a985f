/// One measurement of `unroll bench`, as printed and as `--json` writes it.
public struct BenchRow: Codable, Sendable {
    /// `engine`, `training`, `frontend` or `memory`.
    public var kind: String
    /// What was measured, e.g. `lstm H=128 T=100 B=32 float32 trace`.
    public var name: String
    /// Cell (`rnn`, `lstm`, `gru`) for engine rows.
    public var cell: String?
    /// Hidden size, steps, batch.
    public var hidden: Int?, steps: Int?, batch: Int?
    /// `float32` or `float64`.
    public var dtype: String?
    /// `trace` (Engine.run, the per-step Trace recorded) or `train` (Engine.gradients); `adam` for training rows.
    public var mode: String?
    /// The best (minimum) time over the repetitions, in milliseconds.
    public var ms: Double
    /// For engine and training rows: the GEMM flops of forward and backward (6·T·B·G·H·(I+H)) per second, in GFLOP/s.
    public var gflops: Double?
    /// For engine and training rows: OpenBLAS's own GEMM rate on one step's product (B × H by H × G·H), GFLOP/s.
    public var gemmGflops: Double?
    /// For memory rows: bytes (or, for a row whose name ends in `%`, a percentage).
    public var bytes: Double?

    /// A row; the fields that do not apply to its kind stay nil.
    public init(
        kind: String, name: String, cell: String? = nil, hidden: Int? = nil, steps: Int? = nil, batch: Int? = nil,
        dtype: String? = nil, mode: String? = nil, ms: Double, gflops: Double? = nil, gemmGflops: Double? = nil,
        bytes: Double? = nil
    ) {
        self.kind = kind
        self.name = name
        self.cell = cell
        self.hidden = hidden
        self.steps = steps
        self.batch = batch
        self.dtype = dtype
        self.mode = mode
        self.ms = ms
        self.gflops = gflops
        self.gemmGflops = gemmGflops
        self.bytes = bytes
    }
}
