import Foundation

/// State shared between threads, guarded by one lock, with one condition to wait on.
///
/// This is Unroll's one synchronisation primitive: the lab worker, the
/// training worker and the large-stack parser all hand work and results
/// across threads through a `Monitor`, used the same way everywhere:
/// `withLock` to read or change the state (it wakes every waiter after a
/// change), `wait(until:then:)` to sleep until the state says there is
/// something to do. Signal handlers, which may not take a lock, use
/// `Synchronization.Atomic` flags instead (UnrollTerminal).
public final class Monitor<State>: @unchecked Sendable {
    private let condition = NSCondition()
    private var state: State

    /// A monitor holding `initial`.
    public init(_ initial: State) { state = initial }

    /// Runs `body` on the state under the lock, then wakes every thread waiting on it.
    /// - Complexity: one lock round trip plus `body`.
    @discardableResult
    public func withLock<R>(_ body: (inout State) throws -> R) rethrows -> R {
        condition.lock()
        defer {
            condition.broadcast()
            condition.unlock()
        }
        return try body(&state)
    }

    /// Sleeps until `ready` holds for the state (checked under the lock after every change), then runs
    /// `body` on it under the same lock and wakes the other waiters.
    @discardableResult
    public func wait<R>(until ready: (State) -> Bool, then body: (inout State) throws -> R) rethrows -> R {
        condition.lock()
        defer {
            condition.broadcast()
            condition.unlock()
        }
        while !ready(state) { condition.wait() }
        return try body(&state)
    }

    /// Like `wait(until:then:)`, but gives up at `deadline`: then `body` is not run and the result is nil.
    public func wait<R>(
        until ready: (State) -> Bool, deadline: ContinuousClock.Instant,
        then body: (inout State) throws -> R
    ) rethrows -> R? {
        condition.lock()
        defer {
            condition.broadcast()
            condition.unlock()
        }
        while !ready(state) {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { return nil }
            _ = condition.wait(until: Date(timeIntervalSinceNow: left / .seconds(1)))
        }
        return try body(&state)
    }
}

extension Monitor {
    /// Starts `body` on a new thread named `name` with a `stackSize`-byte stack; the thread ends when `body` returns.
    public static func startThread(name: String, stackSize: Int = 8 << 20, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = name
        thread.stackSize = stackSize
        thread.start()
    }
}
