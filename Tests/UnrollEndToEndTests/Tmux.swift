import Foundation
import Testing

/// The `unroll` binary built beside the test bundle.
let unrollBinary: String = {
    let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    return runner.deletingLastPathComponent().appendingPathComponent("unroll").path
}()

/// Runs a program to completion and returns its status, standard output and standard error.
@discardableResult
func run(_ args: [String], environment: [String: String] = [:], capture: Bool = true) throws -> (status: Int32, out: String, err: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = args
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    p.environment = env
    p.standardInput = FileHandle.nullDevice
    guard capture else { return (spawnAndWait(args, environment: env), "", "") }
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

/// Runs a program with posix_spawn and waits for it. Foundation's `Process` cannot be used for a
/// program that leaves a daemon behind (tmux's server): the daemon inherits the descriptor through
/// which `Process` learns of the exit, and `waitUntilExit` never returns.
func spawnAndWait(_ args: [String], environment: [String: String]) -> Int32 {
    var pid: pid_t = 0
    let argv = (["/usr/bin/env"] + args).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for fd in [Int32(0), 1, 2] { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
    guard posix_spawn(&pid, "/usr/bin/env", &actions, nil, argv, envp) == 0 else { return -1 }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    return status
}

/// A private tmux server running one command in a window of a given size.
final class Tmux {
    let socket: String
    let environment: [String: String]

    /// Starts `command` (a shell command line) in a detached window of `width × height`.
    init(_ command: String, width: Int = 100, height: Int = 30, environment: [String: String] = [:]) throws {
        socket = "unroll-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        var env = ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "xterm-256color"]
        env.merge(environment) { $1 }
        self.environment = env
        try run(["tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-x", "\(width)", "-y", "\(height)",
                 "-s", "main", command], environment: env, capture: false)
    }

    deinit { _ = try? run(["tmux", "-L", socket, "kill-server"]) }

    /// Sends keys as tmux names them (`l`, `Enter`, `C-c`, `End`, `Tab`).
    func send(_ keys: String...) throws {
        try run(["tmux", "-L", socket, "send-keys", "-t", "main"] + keys, environment: environment)
    }

    /// The visible screen, as text (with escape sequences for colours and attributes when `escapes`).
    func screen(escapes: Bool = false) throws -> String {
        try run(["tmux", "-L", socket, "capture-pane", "-p", "-t", "main"] + (escapes ? ["-e"] : []), environment: environment).out
    }

    /// Waits until the screen satisfies `condition`, for at most `seconds`; returns the last screen.
    @discardableResult
    func wait(for what: String, seconds: Double = 15, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if condition(last) { return last }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("timed out waiting for \(what); the screen was:\n\(last)")
        return last
    }

    /// Waits until the screen contains `text`.
    @discardableResult
    func wait(for text: String, seconds: Double = 15) throws -> String {
        try wait(for: "'\(text)'", seconds: seconds) { $0.contains(text) }
    }

    /// Resizes the window.
    func resize(width: Int, height: Int) throws {
        try run(["tmux", "-L", socket, "resize-window", "-t", "main", "-x", "\(width)", "-y", "\(height)"], environment: environment)
    }

    /// The process id of the program running in the pane (the shell's child when wrapped in `sh -c`).
    func panePID() throws -> Int32 {
        Int32(try run(["tmux", "-L", socket, "display", "-p", "-t", "main", "#{pane_pid}"]).out
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
