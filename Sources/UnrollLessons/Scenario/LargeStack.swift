import UnrollEngine
import UnrollSupport

/// Runs work on a thread with a large stack.
///
/// Yams composes nested YAML collections recursively, one frame group per
/// level, and frees them recursively too, so a file of a million `[` would
/// overflow an ordinary thread's stack. The stack reserved here holds the
/// deepest tree a file under `ScenarioFile.byteLimit` can describe; only the
/// pages actually used are ever touched.
enum LargeStack {
    /// Stack reserved for scenario parsing: 2 KiB per possible nesting level of a 1 MiB file.
    static let size = 2 << 30

    /// The result of `body`, run to completion on a new thread with a `size`-byte stack.
    ///
    /// Blocks the calling thread until `body` returns.
    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) -> T {
        let result = Monitor<T?>(nil)
        Monitor<T?>.startThread(name: "unroll-parse", stackSize: size) {
            let value = body()
            result.withLock { $0 = value }
        }
        return result.wait(until: { $0 != nil }) { $0 } ?? body()
    }
}
