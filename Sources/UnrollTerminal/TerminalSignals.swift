import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Process-wide state shared between the terminal session and its signal
/// handlers, and the handlers themselves.
///
/// Signal handlers are C-convention closures without captures, so everything
/// they touch is static. Flags are `Atomic`. The saved terminal modes and the
/// pre-allocated buffers are `nonisolated(unsafe)`: they are written only on
/// the main thread while no handler is installed (``install()`` runs first,
/// handlers go live last) and only read afterwards, which is the usual
/// contract for signal-handler state in C.
///
/// Everything a handler calls is async-signal-safe: `write`, `read`, `lseek`,
/// `dup2`, `tcsetattr`, `tcgetpgrp`, `getpgrp`, `sigaction`, `raise` and
/// atomic loads/stores. No allocation, no locks, no ncurses.
enum TerminalSignals {
    // MARK: Flags read by the session's input loop

    /// A session currently owns the terminal.
    static let active = Atomic<Bool>(false)
    /// SIGWINCH arrived; the loop must query the size and repaint.
    static let resizePending = Atomic<Bool>(false)
    /// Set by another thread (``TerminalSession/requestRedraw()``): `readKey` returns as on a timeout.
    static let redrawPending = Atomic<Bool>(false)
    /// SIGCONT arrived (after a stop); the loop must re-enter curses mode and repaint.
    static let resumePending = Atomic<Bool>(false)
    /// The SIGTSTP handler reset the terminal before stopping; on resume the
    /// loop must re-enter curses mode, not just repaint.
    static let suspendedByHandler = Atomic<Bool>(false)
    /// Whether a crash is passed on to the previous handler (the Swift runtime's backtracer):
    /// only when `SWIFT_BACKTRACE` is set. By default the backtracer, on a terminal, prints
    /// pages of frames and then waits 30 seconds for a key, which is not what a student should
    /// meet after a crash; the short report is enough, and `SWIFT_BACKTRACE=enable=yes` gives the rest.
    static let chainCrashes = Atomic<Bool>(false)
    /// Set while a class's presenter runs: the first SIGTERM or SIGHUP only asks the loop to end (``terminationRequested``),
    /// so the room says goodbye and is removed before the process dies by the signal (a second one kills at once).
    static let defersTermination = Atomic<Bool>(false)
    /// The SIGTERM or SIGHUP deferred while ``defersTermination`` was set; 0: none.
    static let terminationRequested = Atomic<Int32>(0)
    /// Number of SIGINTs not yet reported as `Key.interrupt`.
    static let interruptCount = Atomic<Int>(0)
    /// File descriptor of the real stderr while stderr is captured, else -1.
    static let savedStderr = Atomic<Int32>(-1)
    /// File descriptor of the stderr capture file, else -1.
    static let captureFile = Atomic<Int32>(-1)

    // MARK: State written before handlers are installed

    /// The terminal modes before the session started (the shell's modes).
    nonisolated(unsafe) static var shellModes = termios()
    /// True once `shellModes` holds a valid value.
    static let haveShellModes = Atomic<Bool>(false)
    /// Previous dispositions, indexed by signal number, restored by ``uninstall()``
    /// and chained to on fatal signals (e.g. the Swift runtime backtracer).
    nonisolated(unsafe) static var previousActions = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
    /// Scratch buffer for copying the stderr capture inside a handler.
    nonisolated(unsafe) static var copyBuffer = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 16)
    /// Alternate stack so a stack overflow can still be reported.
    nonisolated(unsafe) static var alternateStack = UnsafeMutableRawPointer.allocate(byteCount: 1 << 16, alignment: 16)

    /// Signals after which the process cannot continue: restore, report, re-raise.
    static let fatalSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP]
    /// Requests to terminate: restore, then re-raise with the default action.
    static let terminationSignals: [Int32] = [SIGTERM, SIGHUP, SIGQUIT]
    /// Signals turned into flags or job control.
    static let controlSignals: [Int32] = [SIGINT, SIGWINCH, SIGTSTP, SIGCONT]

    // MARK: Installing

    /// Installs the handlers for every signal above, remembering the previous
    /// dispositions. Must run on the main thread before curses starts, so
    /// ncurses does not install its own handlers.
    static func install() {
        // Touch every lazily initialised static now: their one-time
        // initialisation is not async-signal-safe.
        _ = active.load(ordering: .relaxed)
        _ = resizePending.load(ordering: .relaxed)
        _ = resumePending.load(ordering: .relaxed)
        _ = interruptCount.load(ordering: .relaxed)
        _ = defersTermination.load(ordering: .relaxed)
        _ = terminationRequested.load(ordering: .relaxed)
        _ = suspendedByHandler.load(ordering: .relaxed)
        _ = savedStderr.load(ordering: .relaxed)
        _ = captureFile.load(ordering: .relaxed)
        _ = haveShellModes.load(ordering: .relaxed)
        chainCrashes.store(getenv("SWIFT_BACKTRACE") != nil, ordering: .releasing)
        _ = wakeRead.load(ordering: .relaxed)
        _ = wakeWrite.load(ordering: .relaxed)
        _ = (previousActions, copyBuffer, shellModes)

        var stack = stack_t()
        stack.ss_sp = alternateStack
        stack.ss_size = 1 << 16
        stack.ss_flags = 0
        sigaltstack(&stack, nil)

        // A launcher (a service manager, a thread pool's worker) may have left signals blocked,
        // and children inherit the mask: unblock ours, or Ctrl-Z, resizes and SIGTERM would wait for ever.
        var ours = sigset_t()
        sigemptyset(&ours)
        for signal in fatalSignals + terminationSignals + controlSignals { sigaddset(&ours, signal) }
        pthread_sigmask(SIG_UNBLOCK, &ours, nil)

        for signal in fatalSignals + terminationSignals + controlSignals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { TerminalSignals.handle($0) }
            sigemptyset(&action.sa_mask)
            // No SA_RESTART: poll() must return EINTR so the loop sees flags at once.
            action.sa_flags = SA_ONSTACK
            sigaction(signal, &action, previousActions + Int(signal))
        }
    }

    /// Puts back the dispositions saved by ``install()``.
    static func uninstall() {
        for signal in fatalSignals + terminationSignals + controlSignals {
            sigaction(signal, previousActions + Int(signal), nil)
        }
    }

    // MARK: The handler

    /// The one handler for every installed signal.
    static func handle(_ signal: Int32) {
        let saved = errno
        defer { errno = saved }
        switch signal {
        case SIGWINCH:
            resizePending.store(true, ordering: .releasing)
            wake()
        case SIGCONT:
            resumePending.store(true, ordering: .releasing)
            wake()
        case SIGINT:
            // The first Ctrl-C is a key the UI handles; a second one before
            // the UI reads the first means the UI is stuck: leave now.
            if interruptCount.add(1, ordering: .acquiringAndReleasing).newValue >= 2 {
                restoreTerminal()
                reraise(signal, chain: false)
            }
            wake()
        case SIGTSTP:
            if active.load(ordering: .acquiring) { suspendedByHandler.store(true, ordering: .releasing) }
            restoreTerminal()
            raise(SIGSTOP)
            // Execution continues here after SIGCONT; the loop re-enters curses mode.
            resumePending.store(true, ordering: .releasing)
            wake()
        case SIGTERM, SIGHUP, SIGQUIT:
            if signal != SIGQUIT, defersTermination.load(ordering: .acquiring),
                terminationRequested.compareExchange(expected: 0, desired: signal, ordering: .acquiringAndReleasing)
                    .exchanged
            {
                // readKey returns as on a redraw; the loop then sees the request and ends.
                redrawPending.store(true, ordering: .releasing)
                wake()
                return
            }
            restoreTerminal()
            reraise(signal, chain: false)
        default:
            restoreTerminal()
            writeCrashReport(signal)
            reraise(signal, chain: chainCrashes.load(ordering: .acquiring))
        }
    }

    /// Resets the terminal to the shell's state using only async-signal-safe
    /// calls: xterm-compatible escape sequences written to stdout, then the
    /// saved termios. Also ends stderr capture, copying what was captured to
    /// the real stderr. Does nothing when no session is active.
    static func restoreTerminal() {
        guard active.exchange(false, ordering: .acquiringAndReleasing) else { return }
        // Attributes off, mouse reporting off, keypad in normal mode, cursor
        // visible, leave the alternate screen.
        writeAll(
            STDOUT_FILENO,
            "\u{1B}[0m\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1003l\u{1B}[?1006l\u{1B}[?1l\u{1B}>\u{1B}[?25h\u{1B}[?1049l")
        if haveShellModes.load(ordering: .acquiring) {
            tcsetattr(STDIN_FILENO, TCSADRAIN, &shellModes)
        }
        endStderrCapture()
    }

    /// Copies the stderr capture to the real stderr and points fd 2 back at it.
    static func endStderrCapture() {
        let real = savedStderr.exchange(-1, ordering: .acquiringAndReleasing)
        let capture = captureFile.exchange(-1, ordering: .acquiringAndReleasing)
        guard real >= 0 else { return }
        dup2(real, STDERR_FILENO)
        close(real)
        guard capture >= 0 else { return }
        lseek(capture, 0, SEEK_SET)
        while true {
            let count = read(capture, copyBuffer, 4096)
            if count <= 0 { break }
            _ = write(STDERR_FILENO, copyBuffer, count)
        }
        close(capture)
    }

    /// Writes "unroll: fatal signal NAME; terminal restored." to stderr.
    static func writeCrashReport(_ signal: Int32) {
        writeAll(STDERR_FILENO, "\nunroll: fatal signal ")
        switch signal {
        case SIGSEGV: writeAll(STDERR_FILENO, "SIGSEGV (invalid memory access)")
        case SIGBUS: writeAll(STDERR_FILENO, "SIGBUS (bus error)")
        // A Swift runtime trap (a failed precondition, an overflow, fatalError) is `ud2` on x86-64, which raises
        // SIGILL, and `brk` on ARM64, which raises SIGTRAP; elsewhere SIGTRAP is a breakpoint.
        #if arch(arm64)
            case SIGILL: writeAll(STDERR_FILENO, "SIGILL (illegal instruction)")
            case SIGTRAP: writeAll(STDERR_FILENO, "SIGTRAP (Swift runtime trap or breakpoint)")
        #else
            case SIGILL: writeAll(STDERR_FILENO, "SIGILL (illegal instruction or Swift runtime trap)")
            case SIGTRAP: writeAll(STDERR_FILENO, "SIGTRAP (breakpoint)")
        #endif
        case SIGFPE: writeAll(STDERR_FILENO, "SIGFPE (arithmetic error)")
        case SIGABRT: writeAll(STDERR_FILENO, "SIGABRT (abort)")
        default: writeAll(STDERR_FILENO, "(unknown)")
        }
        writeAll(STDERR_FILENO, "; terminal restored. This is a bug in unroll; please report it with the lines above")
        if chainCrashes.load(ordering: .acquiring) {
            writeAll(STDERR_FILENO, ".\n")
        } else {
            writeAll(STDERR_FILENO, " (run with SWIFT_BACKTRACE=enable=yes for a backtrace).\n")
        }
    }

    /// Re-delivers `signal` so the process ends the way it would have without
    /// us (exit status, core dump). With `chain`, a previous handler (such as
    /// the Swift runtime backtracer) gets the signal first; whether or not it
    /// returns, the default action follows. Never returns.
    static func reraise(_ signal: Int32, chain: Bool) -> Never {
        var previous = previousActions[Int(signal)]
        let previousHandler = unsafeBitCast(previous.__sigaction_handler.sa_handler, to: Int.self)
        let isIgnoreOrDefault = previousHandler == 0 || previousHandler == 1 // SIG_DFL, SIG_IGN
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, signal)
        if chain && !isIgnoreOrDefault {
            sigaction(signal, &previous, nil)
            raise(signal) // pending while blocked in this handler…
            pthread_sigmask(SIG_UNBLOCK, &unblock, nil) // …delivered here; may return.
        }
        var action = sigaction()
        action.__sigaction_handler.sa_handler = nil // SIG_DFL
        sigemptyset(&action.sa_mask)
        sigaction(signal, &action, nil)
        raise(signal)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        _exit(128 + signal) // Only if the default action did not end the process.
    }

    /// Writes a static string without allocating.
    static func writeAll(_ fd: Int32, _ text: StaticString) {
        text.withUTF8Buffer { writeAll(fd, UnsafeRawBufferPointer($0)) }
    }

    /// Writes `bytes` whole: a short write goes on from where it stopped; an error ends it. Allocates nothing.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < bytes.count {
            let written = write(fd, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
            if written <= 0 { break }
            offset += written
        }
    }
}
