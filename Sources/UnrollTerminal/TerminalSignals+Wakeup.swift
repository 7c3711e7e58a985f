import CNcursesw
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The self-pipe that wakes the input loop, and stderr capture.
extension TerminalSignals {
    /// Read end of the wake-up pipe, or -1.
    static let wakeRead = Atomic<Int32>(-1)
    /// Write end of the wake-up pipe, or -1. Handlers write one byte to it so
    /// a signal that lands just before `poll` still wakes the loop.
    static let wakeWrite = Atomic<Int32>(-1)

    /// Creates the non-blocking wake-up pipe if it does not exist yet.
    static func openWakeupPipe() {
        guard wakeRead.load(ordering: .acquiring) < 0 else { return }
        var fds: [Int32] = [-1, -1]
        guard unroll_nonblocking_pipe(&fds) == 0 else { return }
        wakeRead.store(fds[0], ordering: .releasing)
        wakeWrite.store(fds[1], ordering: .releasing)
    }

    /// Async-signal-safe: wakes the loop.
    static func wake() {
        let fd = wakeWrite.load(ordering: .acquiring)
        guard fd >= 0 else { return }
        var byte: UInt8 = 1
        _ = write(fd, &byte, 1)
    }

    /// Empties the wake-up pipe.
    static func drainWakeupPipe() {
        let fd = wakeRead.load(ordering: .acquiring)
        guard fd >= 0 else { return }
        var bytes = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        while withUnsafeMutableBytes(of: &bytes, { read(fd, $0.baseAddress, $0.count) }) > 0 {}
    }

    /// Redirects fd 2 into an anonymous temporary file so messages written to
    /// stderr while curses owns the screen (including the Swift runtime's
    /// "Fatal error" line before a trap) are not lost on the alternate screen;
    /// ``endStderrCapture()`` replays them after the terminal is restored.
    /// Does nothing when stderr is not a terminal.
    static func beginStderrCapture() {
        guard isatty(STDERR_FILENO) == 1, savedStderr.load(ordering: .acquiring) < 0 else { return }
        var template = Array("/tmp/unroll-stderr-XXXXXX".utf8CString)
        let capture = mkstemp(&template)
        guard capture >= 0 else { return }
        unlink(template)
        let real = dup(STDERR_FILENO)
        guard real >= 0, dup2(capture, STDERR_FILENO) >= 0 else {
            close(capture)
            if real >= 0 { close(real) }
            return
        }
        captureFile.store(capture, ordering: .releasing)
        savedStderr.store(real, ordering: .releasing)
    }
}
