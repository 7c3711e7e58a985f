import Foundation
import Testing

/// The terminal comes back whatever happens: crashes, job control, resizes, and every common TERM.
@Suite("Terminal safety, end to end in tmux")
struct TerminalSafetyTests {
    @Test("A runtime trap after the first frame restores the terminal and leaves a short report on stderr")
    func crashRestores() throws {
        let t = try Tmux("UNROLL_DEBUG_CRASH=1 " + wrapped(), width: 200, height: 30)
        let s = try t.wait(for: "EXIT-")
        #expect(s.contains("TERMINAL-RESTORED"))
        #expect(s.contains("Fatal error: UNROLL_DEBUG_CRASH is set: a deliberate runtime trap after the first frame"))
        // A Swift trap is `ud2` (SIGILL) on x86-64 and `brk` (SIGTRAP) on ARM64.
        #if arch(x86_64)
            let (name, number) = ("SIGILL (illegal instruction or Swift runtime trap)", SIGILL)
        #elseif arch(arm64)
            let (name, number) = ("SIGTRAP (Swift runtime trap or breakpoint)", SIGTRAP)
        #endif
        #expect(s.contains("unroll: fatal signal \(name); terminal restored."), "\(s)")
        #expect(s.contains("EXIT-\(128 + number)\n"), "128 + the signal's number:\n\(s)")
        #expect(!s.contains("FORWARD"), "the alternate screen was left")
        #expect(s.split(separator: "\n").count < 10, "the report is short")
    }

    /// Each fatal signal, its name in the report and what it means on this architecture.
    static let fatalSignals: [(name: String, number: Int32, meaning: String)] = {
        #if arch(arm64)
            let (ill, trap) = ("illegal instruction", "Swift runtime trap or breakpoint")
        #else
            let (ill, trap) = ("illegal instruction or Swift runtime trap", "breakpoint")
        #endif
        return [
            ("SIGSEGV", SIGSEGV, "invalid memory access"), ("SIGBUS", SIGBUS, "bus error"), ("SIGILL", SIGILL, ill),
            ("SIGTRAP", SIGTRAP, trap), ("SIGFPE", SIGFPE, "arithmetic error"), ("SIGABRT", SIGABRT, "abort")
        ]
    }()

    @Test(
        "Every fatal signal restores the terminal, is named in the report, and ends the process by it (128 + n)",
        arguments: fatalSignals.map(\.name))
    func fatalSignalNamed(_ name: String) throws {
        let signal = try #require(Self.fatalSignals.first { $0.name == name })
        let t = try Tmux(wrapped(), width: 200, height: 30)
        try t.wait(for: "FORWARD")
        let id = try #require(try t.unrollPID(), "no unroll process in the tmux session")
        #expect(kill(id, signal.number) == 0)
        let s = try t.wait(for: "EXIT-")
        #expect(s.contains("TERMINAL-RESTORED") && !s.contains("FORWARD"), "\(s)")
        #expect(s.contains("unroll: fatal signal \(name) (\(signal.meaning)); terminal restored."), "\(s)")
        #expect(s.contains("EXIT-\(128 + signal.number)\n"), "\(s)")
    }

    @Test("When the terminal goes away (the SSH connection drops, the tmux server dies), it ends at once")
    func terminalVanishes() throws {
        let t = try Tmux(wrapped())
        try t.wait(for: "FORWARD")
        let pid = try #require(try t.unrollPID(), "no unroll process in the tmux session")
        try run(["tmux", "-L", t.socket, "kill-server"])
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline, kill(pid, 0) == 0 { Thread.sleep(forTimeInterval: 0.05) }
        #expect(kill(pid, 0) != 0, "unroll \(pid) is still running after its terminal went away")
    }

    @Test(
        "Ctrl-Z stops it with the terminal restored; fg brings it back, answering keys; also when started with signals blocked",
        arguments: [false, true])
    func suspendAndResume(blocked: Bool) throws {
        // An interactive shell, for job control. unroll is the whole job: in a subshell, the subshell
        // would stop at once and the shell print "Stopped" on the alternate screen unroll is still leaving.
        let t = try Tmux("PS1='$ ' bash --norc --noprofile -i", blockSignals: blocked)
        try t.wait(for: "$")
        try t.send("A=$(stty -g)", "Enter")
        try t.send(unrollBinary, "Enter")
        try t.wait(for: "FORWARD")
        try t.send("l")
        try t.wait(for: "step 2/6")
        try t.send("C-z")
        let stopped = try t.wait(for: "Stopped")
        #expect(!stopped.contains("FORWARD"), "the alternate screen was left")
        let pid = try #require(try t.unrollPID(), "no unroll process in the tmux session")
        let state = try run(["ps", "-o", "stat=", "-p", "\(pid)"]).out
        #expect(state.hasPrefix("T"), "process state \(state)")
        // The shell echoes the command line, so look for the words on lines of their own.
        func printed(_ line: String) -> (String) -> Bool {
            { $0.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces) == line } }
        }
        try t.send("[ \"$A\" = \"$(stty -g)\" ] && echo STOPPED-RESTORED || echo STOPPED-CHANGED", "Enter")
        #expect(
            printed("STOPPED-RESTORED")(
                try t.wait(for: "the stty check") { printed("STOPPED-RESTORED")($0) || printed("STOPPED-CHANGED")($0) })
        )
        try t.send("fg", "Enter")
        try t.wait(for: "step 2/6")
        try t.send("l")
        try t.wait(for: "step 3/6")
        try t.send("q")
        // Type the check only once unroll has gone, so none of it reaches unroll as keys.
        try t.wait(for: "the shell again") { !$0.contains("FORWARD") }
        try t.send("S=$?; [ \"$A\" = \"$(stty -g)\" ] && echo TERMINAL-RESTORED; echo EXIT-$S", "Enter")
        let end = try t.wait(for: "the exit status") { $0.range(of: "EXIT-[0-9]", options: .regularExpression) != nil }
        #expect(printed("TERMINAL-RESTORED")(end) && printed("EXIT-0")(end), "\(end)")
    }

    @Test("Thirty rapid resizes, then a normal size: one whole frame, still answering keys")
    func rapidResizes() throws {
        let t = try Tmux(wrapped())
        try t.wait(for: "FORWARD")
        let sizes = [(80, 24), (150, 50), (60, 20), (120, 40), (81, 25), (200, 60)]
        for i in 0..<30 {
            let (w, h) = sizes[i % sizes.count]
            try t.resize(width: w, height: h)
        }
        try t.resize(width: 100, height: 30)
        try t.send("l")
        let s = try t.wait(for: "step 2/6")
        #expect(s.components(separatedBy: "The memory of an RNN").count == 2, "the header is drawn once:\n\(s)")
        #expect(s.split(separator: "\n", omittingEmptySubsequences: false).allSatisfy { $0.count <= 100 })
        try t.send("q")
        let end = try t.wait(for: "EXIT-")
        #expect(end.contains("TERMINAL-RESTORED") && end.contains("EXIT-0"))
    }

    @Test("Shrunk below 80x24 it asks for more room; enlarged again it carries on where it was")
    func shrinkAndGrow() throws {
        let t = try Tmux(wrapped())
        try t.wait(for: "FORWARD")
        try t.send("l")
        try t.wait(for: "step 2/6")
        try t.resize(width: 79, height: 24)
        try t.wait(for: "please enlarge it")
        try t.resize(width: 80, height: 23)
        try t.wait(for: "please enlarge it")
        try t.resize(width: 80, height: 24)
        try t.wait(for: "step 2/6")
        try t.send("l")
        try t.wait(for: "step 3/6")
    }

    /// TERM values and whether the view runs on them (else: a clear message and exit 2).
    static let terms: [(term: String, works: Bool)] = [
        ("xterm-256color", true), ("xterm", true), ("tmux-256color", true), ("screen", true), ("vt100", true),
        ("dumb", false), ("nosuchterm", false), ("", false)
    ]

    @Test(
        "Each TERM either works and restores the terminal, or fails with a clear message and exit 2",
        arguments: terms)
    func termValues(_ term: String, _ works: Bool) throws {
        let t = try Tmux("TERM=\(term) " + wrapped(), width: 200, height: 30)
        if works {
            try t.wait(for: "FORWARD")
            try t.send("q")
            let s = try t.wait(for: "EXIT-")
            #expect(s.contains("TERMINAL-RESTORED") && s.contains("EXIT-0"))
        } else {
            let s = try t.wait(for: "EXIT-")
            #expect(s.contains("TERMINAL-RESTORED") && s.contains("EXIT-2"))
            let expected =
                term == "dumb"
                ? "unroll: TERM=dumb cannot move the cursor"
                : term.isEmpty
                    ? "unroll: cannot initialise the terminal: TERM is not set"
                    : "unroll: cannot initialise the terminal: TERM=\(term) is not a terminal this system knows"
            #expect(s.contains(expected), "\(s)")
        }
    }
}
