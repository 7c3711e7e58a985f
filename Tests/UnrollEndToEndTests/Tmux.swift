import Foundation
import Testing

/// The `unroll` binary built beside the test bundle.
let unrollBinary: String = {
    let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    return runner.deletingLastPathComponent().appendingPathComponent("unroll").path
}()

/// Serialises spawning, so no child inherits another spawn's pipes before they are closed here.
let spawnLock = NSLock()

/// Runs a program to completion and returns its exit status, standard output and standard error.
///
/// It uses posix_spawn and waitpid with close-on-exec pipes rather than Foundation's `Process`,
/// whose pipes a tmux server started by a parallel test inherits and holds open for ever.
/// With `capture` false, output goes to /dev/null and only the status is returned.
@discardableResult
func run(
    _ args: [String], environment: [String: String] = [:], capture: Bool = true,
    blockSignals: Bool = false
) throws -> (status: Int32, out: String, err: String) {
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    let argv = (["/usr/bin/env"] + args).map { strdup($0) } + [nil]
    let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
        argv.forEach { free($0) }
        envp.forEach { free($0) }
    }
    var out: [Int32] = [-1, -1], err: [Int32] = [-1, -1]
    // One spawn at a time, from making the pipes to closing their write ends in this process.
    spawnLock.lock()
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    if capture {
        // Close-on-exec, so a program spawned meanwhile by a parallel test (a tmux server above all,
        // which lives on) does not inherit these pipes and keep them from reaching end of file.
        guard pipe(&out) == 0, pipe(&err) == 0 else {
            spawnLock.unlock()
            throw POSIXError(.EMFILE)
        }
        for fd in out + err { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        posix_spawn_file_actions_adddup2(&actions, out[1], 1)
        posix_spawn_file_actions_adddup2(&actions, err[1], 2)
    } else {
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    }
    // The child starts as from a shell: default dispositions and no blocked signals (a test runs on a
    // worker thread that blocks most), or, with `blockSignals`, every signal blocked.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var mask = sigset_t(), defaults = sigset_t()
    if blockSignals { sigfillset(&mask) } else { sigemptyset(&mask) }
    sigemptyset(&defaults)
    for s in [SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGTERM, SIGHUP, SIGWINCH, SIGPIPE] {
        sigaddset(&defaults, s)
    }
    posix_spawnattr_setsigmask(&attributes, &mask)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, "/usr/bin/env", &actions, &attributes, argv, envp)
    if capture {
        close(out[1])
        close(err[1])
    }
    spawnLock.unlock()
    guard spawned == 0 else {
        if capture {
            close(out[0])
            close(err[0])
        }
        throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .ENOENT)
    }
    // Read both pipes as data arrives (poll), so a child filling one pipe never waits on the other.
    var o = [UInt8](), e = [UInt8]()
    if capture {
        var fds = [
            pollfd(fd: out[0], events: Int16(POLLIN), revents: 0), pollfd(fd: err[0], events: Int16(POLLIN), revents: 0)
        ]
        var buffer = [UInt8](repeating: 0, count: 65536)
        var open = 2
        while open > 0 {
            if poll(&fds, 2, -1) < 0 { if errno == EINTR { continue } else { break } }
            for i in 0..<2 where fds[i].fd >= 0 && fds[i].revents != 0 {
                let n = read(fds[i].fd, &buffer, buffer.count)
                if n > 0 {
                    if i == 0 { o.append(contentsOf: buffer[0..<n]) } else { e.append(contentsOf: buffer[0..<n]) }
                } else if n == 0 || errno != EINTR {
                    close(fds[i].fd)
                    fds[i].fd = -1
                    open -= 1
                }
            }
        }
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return (code, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

/// tmux could not start its server: its exit status and what it said.
struct TmuxFailed: Error, CustomStringConvertible {
    let status: Int32
    let message: String
    var description: String { "tmux new-session exited \(status): \(message)" }
}

/// A private tmux server running one command in a window of a given size.
final class Tmux {
    let socket: String
    let environment: [String: String]
    let blockSignals: Bool

    /// Starts `command` (a shell command line) in a detached window of `width × height`.
    /// With `blockSignals`, the server (and so `command`) starts with every signal blocked.
    init(
        _ command: String, width: Int = 100, height: Int = 30, environment: [String: String] = [:],
        blockSignals: Bool = false
    ) throws {
        // make test-portable sets this, with its reason, when the user it runs the suite as cannot start tmux on
        // this machine (no pseudo-terminal for that user); these tests ran as the caller in make test.
        if let reason = ProcessInfo.processInfo.environment["UNROLL_TEST_SKIP_TMUX"] {
            try Test.cancel("tmux cannot run here: \(reason)")
        }
        socket = "unroll-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        // tmux runs `command` with `$SHELL -c`, and without SHELL with the user's login shell, which for a system
        // user such as nobody is /usr/sbin/nologin: every pane would end at once. /bin/sh, whoever runs the suite.
        var env = ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "xterm-256color", "SHELL": "/bin/sh"]
        env.merge(environment) { $1 }
        self.environment = env
        self.blockSignals = blockSignals
        let started = try run(
            [
                "tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-x", "\(width)", "-y", "\(height)",
                "-s", "main", command
            ], environment: env, blockSignals: blockSignals)
        guard started.status == 0 else { throw TmuxFailed(status: started.status, message: started.err) }
    }

    deinit {
        // A server started with every signal blocked never hears that its panes ended, so kill-server
        // leaves it (and the pane's shell) running: end those two by their ids.
        let leftovers = blockSignals ? [try? serverPID(), try? panePID()].compactMap { $0 } : []
        _ = try? run(["tmux", "-L", socket, "kill-server"])
        for pid in leftovers where pid > 0 { kill(pid, SIGKILL) }
    }

    /// The tmux server's process id.
    func serverPID() throws -> Int32 {
        Int32(
            try run(["tmux", "-L", socket, "display", "-p", "#{pid}"]).out.trimmingCharacters(
                in: .whitespacesAndNewlines)) ?? 0
    }

    /// Sends keys as tmux names them (`l`, `Enter`, `C-c`, `End`, `Tab`).
    func send(_ keys: String...) throws {
        try run(["tmux", "-L", socket, "send-keys", "-t", "main"] + keys, environment: environment)
    }

    /// The visible screen, as text (with escape sequences for colours and attributes when `escapes`).
    func screen(escapes: Bool = false) throws -> String {
        let captured = try run(
            ["tmux", "-L", socket, "capture-pane", "-p", "-t", "main"] + (escapes ? ["-e"] : []),
            environment: environment)
        captureError = captured.status == 0 ? "" : captured.err
        return captured.out
    }

    /// What tmux said when the last capture failed (the server gone because the pane's command ended), or "".
    private(set) var captureError = ""

    /// Waits until the screen satisfies `condition` and has settled (a whole frame), for at most `seconds`; returns
    /// the last screen.
    @discardableResult
    func wait(for what: String, seconds: Double = 15, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if condition(last) {
                // A capture can fall while curses is still drawing a frame (the top new, the bottom old): return the
                // screen once two captures 30 ms apart agree, or, on a screen that keeps changing (training), the
                // last of a few that still holds.
                var settled = last
                for _ in 0..<5 {
                    Thread.sleep(forTimeInterval: 0.03)
                    let again = try screen()
                    if again == settled { return settled }
                    settled = again
                }
                if condition(settled) { return settled }
                last = settled
                continue
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let said = captureError.trimmingCharacters(in: .whitespacesAndNewlines)
        let why = said.isEmpty ? "" : " (tmux capture-pane: \(said))"
        Issue.record("timed out waiting for \(what)\(why); the screen was:\n\(last)")
        return last
    }

    /// Waits until the screen contains `text`.
    @discardableResult
    func wait(for text: String, seconds: Double = 15) throws -> String {
        try wait(for: "'\(text)'", seconds: seconds) { $0.contains(text) }
    }

    /// Resizes the window.
    func resize(width: Int, height: Int) throws {
        try run(
            ["tmux", "-L", socket, "resize-window", "-t", "main", "-x", "\(width)", "-y", "\(height)"],
            environment: environment)
    }

    /// The session id (process group of the pane's shell), for finding processes started in it.
    func sessionID() throws -> String {
        try run(["ps", "-o", "sid=", "-p", "\(try panePID())"]).out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The process id of the newest `unroll` in the pane's session, however many shells wrap it (tmux runs a pane's
    /// command with `$SHELL -c`: bash execs a lone command, dash forks it), or nil when none runs.
    func unrollPID() throws -> pid_t? {
        pid_t(
            try run(["pgrep", "-x", "-n", "-s", try sessionID(), "unroll"]).out.trimmingCharacters(
                in: .whitespacesAndNewlines))
    }

    /// The process id of the program running in the pane (the shell's child when wrapped in `sh -c`).
    func panePID() throws -> Int32 {
        Int32(
            try run(["tmux", "-L", socket, "display", "-p", "-t", "main", "#{pane_pid}"]).out
                .trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }
}

/// A shell line that runs unroll with `arguments`, then reports whether the terminal modes came back
/// unchanged and the exit status, and stays open so the screen can be read. Like an interactive
/// shell, the wrapper itself ignores Ctrl-C, which goes to the program.
func wrapped(_ arguments: String = "") -> String {
    "sh -c 'trap \"\" INT; A=$(stty -g); \(unrollBinary) \(arguments); S=$?; B=$(stty -g); "
        + "[ \"$A\" = \"$B\" ] && echo TERMINAL-RESTORED; echo EXIT-$S; sleep 30'"
}
