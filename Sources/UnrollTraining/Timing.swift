/// Wall-clock timing for the benchmarks (`unroll bench`).
public enum Timing {
    /// Milliseconds of one run of `body`.
    public static func ms(_ body: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        try body()
        return (ContinuousClock.now - start) / .milliseconds(1)
    }

    /// Milliseconds since `start`.
    public static func ms(since start: ContinuousClock.Instant) -> Double {
        (ContinuousClock.now - start) / .milliseconds(1)
    }

    /// The best (minimum) of `repetitions` runs, in milliseconds, after one warm-up run: the figure least
    /// disturbed by other work on a shared machine.
    ///
    /// - Parameters:
    ///   - repetitions: Timed runs (at least one is made).
    ///   - body: The work to time.
    public static func best(repetitions: Int, _ body: () throws -> Void) rethrows -> Double {
        try body()
        var m = Double.infinity
        for _ in 0..<max(1, repetitions) { m = min(m, try ms(body)) }
        return m
    }
}
