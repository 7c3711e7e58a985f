import Foundation
import UnrollEngine
import UnrollLessons

/// The two traces `Session` computes side by side, filled in from two threads under a lock.
final class TraceResults: @unchecked Sendable {
    /// The stored results.
    struct Values {
        var main: Result<(LessonRun<Double>, Trace<Double>), any Error>?
        var comparison: Trace<Double>?
    }

    private let lock = NSLock()
    private var values = Values()

    /// Changes the results under the lock.
    func set(_ body: (inout Values) -> Void) { lock.withLock { body(&values) } }

    /// Reads the results under the lock.
    func get<R>(_ body: (Values) -> R) -> R { lock.withLock { body(values) } }
}
