import Foundation

/// A hidden measurement hook: with `UNROLL_LATENCY_LOG=PATH` in the environment, the interactive view appends
/// one line to PATH for every frame it draws with results that a model key asked for, timed on the monotonic
/// clock from the moment the key was read: `forward MS` for the frame with the forward pass of the new model
/// (its gradients still being computed), `complete MS` for the frame with everything. `scripts/key_latency.sh`
/// sends keys through tmux and reads these lines (docs/performance.md).
struct LatencyLog {
    /// The environment variable naming the file.
    static let variable = "UNROLL_LATENCY_LOG"

    private let file: UnsafeMutablePointer<FILE>
    /// When the model key now computing was read, or nil.
    private var keyRead: ContinuousClock.Instant?

    /// The log named by the environment, or nil when the variable is unset or the file cannot be opened.
    init?() {
        guard let path = ProcessInfo.processInfo.environment[Self.variable], !path.isEmpty,
            let file = fopen(path, "a")
        else { return nil }
        self.file = file
    }

    /// Notes a key read at `instant` that started a model change (a new pending generation).
    mutating func keyStarted(at instant: ContinuousClock.Instant) { keyRead = instant }

    /// Notes a frame just drawn after new results were taken: `complete` when nothing is pending any more.
    mutating func frameDrawn(complete: Bool, since drawStart: ContinuousClock.Instant) {
        guard let keyRead else { return }
        let now = ContinuousClock.now
        func ms(_ a: ContinuousClock.Instant) -> String {
            String(format: "%.3f", Double(a.duration(to: now) / .nanoseconds(1)) / 1e6)
        }
        fputs("\(complete ? "complete" : "forward") \(ms(keyRead)) draw \(ms(drawStart))\n", file)
        fflush(file)
        if complete { self.keyRead = nil }
    }

    /// Closes the file.
    func close() { fclose(file) }
}
