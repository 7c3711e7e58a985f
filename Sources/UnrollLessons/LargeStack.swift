import Foundation

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

    /// Holds the result across the thread boundary; written once before the semaphore is signalled.
    private final class Box<T>: @unchecked Sendable {
        var value: T?
    }

    /// The result of `body`, run to completion on a new thread with a `size`-byte stack.
    ///
    /// Blocks the calling thread until `body` returns.
    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) -> T {
        let box = Box<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.value = body()
            done.signal()
        }
        thread.stackSize = size
        thread.start()
        done.wait()
        guard let value = box.value else { return body() }
        return value
    }
}
