import Synchronization

/// Stops a computation at its next time-step boundary: the lab worker cancels the computation a newer key has
/// superseded, so the new one starts within one step instead of after the old one's end.
///
/// The engine checks it once per step of every layer, in the forward pass (the tape's per-step nodes and the
/// LSTM sequence kernel's loop) and in every backward sweep (the tape's replay and the kernel's loop); a
/// cancelled pass throws `CancellationError`. A computation that is never cancelled is the same computation,
/// with the same results: the checks only read the flag.
public final class Cancellation: Sendable {
    private let cancelled = Atomic<Bool>(false)
    private let passed = Atomic<Int>(0)
    /// A test hook: the computation cancels itself at the boundary after this many steps.
    private let limit: Int?

    /// A computation not cancelled (yet).
    public init() { limit = nil }

    /// A test hook: cancelled once `steps` step boundaries have passed, so the step after them is not started
    /// (``stepsPassed`` then ends at `steps + 1`, the boundary where the computation stopped).
    public init(afterSteps steps: Int) { limit = steps }

    /// Stops the computation at its next step boundary.
    public func cancel() { cancelled.store(true, ordering: .relaxed) }

    /// Whether ``cancel()`` was called (or the test hook's limit reached).
    public var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    /// The step boundaries the computation has reached, the one it stopped at included: what a test asserts on
    /// instead of a time.
    public var stepsPassed: Int { passed.load(ordering: .relaxed) }

    /// Counts one step boundary; true when the computation must stop there.
    /// - Complexity: two relaxed atomic operations.
    @inline(__always)
    func stopsAtStep() -> Bool {
        let n = passed.wrappingAdd(1, ordering: .relaxed).newValue
        if let limit, n > limit { cancel() }
        return isCancelled
    }
}
