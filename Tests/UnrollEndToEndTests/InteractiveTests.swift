import Foundation
import Testing

/// The real binary in tmux: keys in, screens out.
@Suite("The interactive view, end to end in tmux")
struct InteractiveTests {
    @Test("It opens on the default lesson and the step counter advances")
    func stepsForward() throws {
        let t = try Tmux(wrapped())
        let first = try t.wait(for: "FORWARD")
        #expect(first.contains("The memory of an RNN"))
        #expect(first.contains("step 1/6"))
        try t.send("l")
        try t.wait(for: "step 2/6")
        try t.send("Right", "Right")
        try t.wait(for: "step 4/6")
        try t.send("Left")
        try t.wait(for: "step 3/6")
    }

    @Test("lesson vanishing --presenter shows the big figures; P leaves presenter mode")
    func presenter() throws {
        let t = try Tmux(wrapped("lesson vanishing --presenter"), width: 120, height: 40)
        // The whole frame (the header and the figures below it), not a capture taken while curses draws.
        let first = try t.wait(for: "the presenter's figures") {
            $0.contains("FORWARD") && $0.contains("loss at step 1") && $0.contains("σmax W_hh (h l0)")
        }
        #expect(first.contains("loss at step 1") && first.contains("σmax W_hh (h l0)"))
        // σmax of the vanishing lesson's W_hh is 0.6 (its header says ρ=0.6 σmax=0.6): the block-digit "0" over 5 rows.
        #expect(first.contains("███   ███") && !first.contains("Equations"))
        try t.send("End", "Tab")
        let backward = try t.wait(for: "‖∂L/∂h_12‖ (h l0)")
        #expect(backward.contains("BACKWARD"))
        try t.send("I")
        try t.wait(for: "inspector shown")
        try t.send("P")
        let normal = try t.wait(for: "presenter mode off")
        #expect(!normal.contains("‖∂L/∂h_12‖ (h l0)") && normal.contains("Equations"))
    }

    @Test(
        "vanishing asks its question at backward step 12: → is held, a wrong answer is marked, the right one shown, → goes on"
    )
    func predictThenReveal() throws {
        let t = try Tmux(wrapped("lesson vanishing"), width: 120, height: 40)
        try t.wait(for: "FORWARD")
        try t.send("End", "Right")
        // The whole frame: the question near the top and the status line at the bottom (a capture may fall between
        // the two while curses draws, on one CPU).
        let asked = try t.wait(for: "the question") {
            $0.contains("where will ‖∂L/∂h‖ be smallest?") && $0.contains("4) the same at every step")
                && $0.contains("keys 1–4")
        }
        #expect(asked.contains("step 12/12") && asked.contains("keys 1–4"))
        try t.send("Right")
        let held = try t.wait(for: "the hold") {
            $0.contains("answer with 1–4 (or press space/→ again to reveal without answering)")
        }
        #expect(held.contains("step 12/12"))
        try t.send("3")
        let answered = try t.wait(for: "the reveal") { $0.contains("not quite: the answer is 1) step 1") }
        #expect(
            answered.contains("1) step 1 [right]") && answered.contains("3) step 11 [your answer]")
                && answered.contains("Why:"))
        try t.send("Right")
        try t.wait(for: "step 11/12")
    }

    @Test("o opens the lesson picker; Enter opens the chosen lesson in the same terminal and recording; q restores")
    func lessonPicker() throws {
        let cast = FileManager.default.temporaryDirectory.appendingPathComponent("unroll-picker-\(getpid()).cast").path
        defer { try? FileManager.default.removeItem(atPath: cast) }
        let t = try Tmux(wrapped("lesson memory --record \(cast)"), width: 100, height: 30)
        try t.wait(for: "The memory of an RNN")
        try t.send("o")
        let picker = try t.wait(for: "the picker") { $0.contains("Lessons") && $0.contains("Enter open") }
        #expect(picker.contains("Memory and shared weights") && picker.contains("handcalc"))
        try t.send("j", "Enter")
        let opened = try t.wait(for: "handcalc's header, the picker closed") {
            $0.contains("By hand") && !$0.contains("Enter open")
        }
        #expect(opened.contains("step 1/") && !opened.contains("The memory of an RNN"))
        try t.send("l")
        try t.wait(for: "step 2/")
        try t.send("q")
        let end = try t.wait(for: "EXIT-")
        #expect(end.contains("TERMINAL-RESTORED") && end.contains("EXIT-0"), "\(end)")
        // One recording, one header, both lessons in it.
        let text = try String(contentsOfFile: cast, encoding: .utf8)
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("{") }.count == 1)
        #expect(text.contains("The memory of an RNN") && text.contains("By hand"))
    }

    @Test("The picker opens a training lesson in the training view of the same terminal; q there quits unroll")
    func lessonPickerTraining() throws {
        let t = try Tmux(wrapped("lesson memory"), width: 100, height: 30)
        try t.wait(for: "The memory of an RNN")
        try t.send("o", "End", "Enter")
        let training = try t.wait(for: "the training view") { $0.contains("Training") && $0.contains("space train") }
        #expect(!training.contains("Enter open"))
        try t.send("q")
        let end = try t.wait(for: "EXIT-")
        #expect(end.contains("TERMINAL-RESTORED") && end.contains("EXIT-0"), "\(end)")
    }

    @Test("c switches to an LSTM and the inspector shows its gates")
    func lstmGates() throws {
        let t = try Tmux(wrapped())
        try t.wait(for: "FORWARD")
        try t.send("c")
        // Waits for the whole frame: a capture may catch the terminal between the header and the inspector.
        let gates = #"u\s+i\s+f\s+g\s+o\s+c_t\s+h_t"#
        let s = try t.wait(for: "LSTM · and its gates") {
            $0.contains("LSTM ·") && $0.range(of: gates, options: .regularExpression) != nil
        }
        #expect(s.range(of: gates, options: .regularExpression) != nil)
    }

    @Test("In the backward phase the gradient panel shows the norm falling towards the first step")
    func gradientsFall() throws {
        let t = try Tmux(wrapped("--lesson vanishing"), width: 120, height: 40)
        try t.wait(for: "FORWARD")
        try t.send("End", "Tab")
        // Backward step 12 asks its question: the gradients are masked until it is answered.
        _ = try t.wait(for: "the question, masked") { $0.contains("BACKWARD") && $0.contains("Gradients hidden") }
        try t.send("1")
        // Wait for the gradient panel's own line, named by its loss: a capture can catch a frame half drawn.
        let atEnd = try t.wait(for: "BACKWARD and ‖∂L_12/∂h_12‖") {
            $0.contains("BACKWARD") && $0.contains("‖∂L_12/∂h_12‖ ")
        }
        try t.send("End")
        let atStart = try t.wait(for: "step 1/12 and ‖∂L_12/∂h_1‖") {
            $0.contains("step 1/12") && $0.contains("‖∂L_12/∂h_1‖ ")
        }
        func norm(_ screen: String, step: Int) -> Double? {
            let pattern = "‖∂L_12/∂h_\(step)‖ ([0-9.e+-]+)"
            guard let r = screen.range(of: pattern, options: .regularExpression) else { return nil }
            return Double(screen[r].split(separator: " ")[1])
        }
        let last = try #require(norm(atEnd, step: 12))
        let first = try #require(norm(atStart, step: 1))
        #expect(first < last / 100, "‖∂L_T/∂h_1‖ = \(first) should be far below ‖∂L_T/∂h_12‖ = \(last)")
    }

    @Test("q, Ctrl-C, SIGTERM and SIGHUP each restore the terminal", arguments: ["q", "C-c", "TERM", "HUP"])
    func exitsRestore(_ how: String) throws {
        let t = try Tmux(wrapped())
        try t.wait(for: "FORWARD")
        if how == "TERM" || how == "HUP" {
            let child = try #require(try t.unrollPID(), "no unroll process in the tmux session")
            try run(["kill", "-\(how)", "\(child)"])
        } else {
            try t.send(how)
        }
        let s = try t.wait(for: "EXIT-")
        #expect(s.contains("TERMINAL-RESTORED"))
        #expect(!s.contains("FORWARD"))
        let expected = ["q": "EXIT-0", "C-c": "EXIT-0", "TERM": "EXIT-143", "HUP": "EXIT-129"][how] ?? ""
        #expect(s.contains(expected), "expected \(expected)")
    }

    @Test("Below 80x24 it asks for a larger terminal, and recovers when enlarged")
    func tooSmall() throws {
        let t = try Tmux(wrapped(), width: 60, height: 20)
        try t.wait(for: "please enlarge it")
        try t.resize(width: 100, height: 30)
        try t.wait(for: "FORWARD")
    }

    @Test("NO_COLOR draws without colour; a C locale draws ASCII only")
    func noColorAndASCII() throws {
        let t = try Tmux("NO_COLOR=1 LANG=C LC_ALL=C " + wrapped())
        try t.wait(for: "FORWARD")
        try t.send("End", "Tab")
        try t.wait(for: "BACKWARD")
        let screen = try t.screen(escapes: true)
        #expect(!screen.contains("38;5;") && !screen.contains("48;5;"))
        #expect(screen.range(of: "\u{1B}\\[[0-9;]*(3[0-7]|4[0-7])m", options: .regularExpression) == nil)
        #expect(try t.screen().allSatisfy { $0.isASCII })
    }

    @Test("With stdout not a terminal it exits 2 and points to the headless commands")
    func notATerminal() throws {
        let r = try run([unrollBinary])
        #expect(r.status == 2)
        #expect(r.err.contains("needs a terminal"))
    }
}

/// The UI thread never runs the engine: a model key hands the work to the lab worker, and the screen answers
/// while the worker has not finished (held there by the hidden hook `UNROLL_DEBUG_HOLD_LAB`).
@Suite("A model recomputes off the UI thread")
struct ResponsiveTests {
    /// The vanishing lesson in tmux at 100x30, its first frame drawn, with `UNROLL_DEBUG_HOLD_LAB` naming a file
    /// not yet made (the caller creates it to hold the worker and removes it at the end).
    static func heldVanishing() throws -> (Tmux, URL) {
        let hold = FileManager.default.temporaryDirectory.appendingPathComponent(
            "unroll-hold-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let t = try Tmux(
            wrapped("--lesson vanishing"), width: 100, height: 30, environment: ["UNROLL_DEBUG_HOLD_LAB": hold.path])
        try t.wait(for: "FORWARD")
        return (t, hold)
    }

    @Test(
        "] while the worker is held (UNROLL_DEBUG_HOLD_LAB): the screen says it is computing, stepping and quitting still work"
    )
    func stepsAndQuitsWhileComputing() throws {
        // The hook, not a model large enough to be slow: whether the results are back after two keys would
        // depend on the CPU and the build. While the file exists the worker starts nothing, on any machine.
        let (t, hold) = try Self.heldVanishing()
        defer { try? FileManager.default.removeItem(at: hold) }
        // The first results come before the terminal opens, not from the worker: hold it only now.
        #expect(FileManager.default.createFile(atPath: hold.path, contents: Data()))
        try t.send("]")
        // After 50 ms without results the status line says so.
        let computing = try t.wait(for: "the computing notice") { $0.contains("computing W_hh × 1.1") }
        #expect(computing.contains("step 1/12"))
        try t.send("l", "l")
        let stepped = try t.wait(for: "step 3/12 while computing") {
            $0.contains("step 3/12") && $0.contains("computing W_hh × 1.1")
        }
        #expect(stepped.contains("computing W_hh × 1.1"), "the step was shown before the new trace arrived")
        try t.send("q")
        let end = try t.wait(for: "EXIT-", seconds: 30)
        #expect(end.contains("TERMINAL-RESTORED") && end.contains("EXIT-0\n"), "quitting ends the held worker:\n\(end)")
    }

    @Test("Before the view opens, a line says which pass of the first results is running; it is gone once the view opens")
    func firstPassSaysSo() throws {
        // Held from the start, the first pass stops before its backward stage (on any machine, however fast).
        let hold = FileManager.default.temporaryDirectory.appendingPathComponent(
            "unroll-hold-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        #expect(FileManager.default.createFile(atPath: hold.path, contents: Data()))
        defer { try? FileManager.default.removeItem(at: hold) }
        let t = try Tmux(
            wrapped("--lesson vanishing"), width: 100, height: 30, environment: ["UNROLL_DEBUG_HOLD_LAB": hold.path])
        let waiting = try t.wait(for: "the first pass's line") { $0.contains("the backward pass…") }
        // The title (46 characters) cut to 40 with an ellipsis, so that the line stays one line.
        #expect(waiting.contains("unroll: 'Vanishing: I grew up in France … fluent…', forward pass "), "\(waiting)")
        #expect(!waiting.contains("FORWARD →"), "the view opened before the first results")
        try FileManager.default.removeItem(at: hold)
        let opened = try t.wait(for: "the view") { $0.contains("FORWARD") }
        #expect(!opened.contains("backward pass…"), "the line stayed under the view:\n\(opened)")
        try t.send("q")
        let end = try t.wait(for: "EXIT-", seconds: 30)
        #expect(end.contains("EXIT-0\n") && !end.contains("backward pass…"), "\(end)")
    }

    @Test("Released (UNROLL_DEBUG_HOLD_LAB removed), the held results arrive: the new spectral radius, the step kept")
    func heldResultsArrive() throws {
        let (t, hold) = try Self.heldVanishing()
        defer { try? FileManager.default.removeItem(at: hold) }
        #expect(FileManager.default.createFile(atPath: hold.path, contents: Data()))
        try t.send("l", "l", "]")
        let held = try t.wait(for: "the computing notice") { $0.contains("computing W_hh × 1.1") }
        #expect(held.contains("step 3/12") && !held.contains("spectral radius"), "\(held)")
        try FileManager.default.removeItem(at: hold)
        let after = try t.wait(for: "the notice of the new scale") { $0.contains("W_hh × 1.1: spectral radius") }
        #expect(after.contains("step 3/12") && !after.contains("computing"), "\(after)")
        try t.send("q")
        let end = try t.wait(for: "EXIT-", seconds: 30)
        #expect(end.contains("TERMINAL-RESTORED") && end.contains("EXIT-0\n"), "\(end)")
    }

    @Test("Once the worker is done, the notice gives the new spectral radius and the step is kept")
    func resultsArrive() throws {
        let t = try Tmux(wrapped("--lesson vanishing"), width: 100, height: 30)
        try t.wait(for: "FORWARD")
        try t.send("l", "l", "]")
        let after = try t.wait(for: "the notice of the new scale") { $0.contains("W_hh × 1.1: spectral radius") }
        #expect(after.contains("step 3/12") && !after.contains("computing"))
    }
}

/// The hidden latency hook `scripts/key_latency.sh` reads.
@Suite("UNROLL_LATENCY_LOG")
struct LatencyLogTests {
    @Test(
        "Each model key logs the frame with its numbers, forward first when that came apart, and the complete one last")
    func logsKeyToFrame() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("unroll-latency-\(getpid()).log")
        try? FileManager.default.removeItem(at: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let t = try Tmux(
            wrapped("--lesson vanishing"), width: 100, height: 30, environment: ["UNROLL_LATENCY_LOG": path.path])
        try t.wait(for: "FORWARD")
        try t.send("l", "l")
        _ = try t.wait(for: "step 3/12") { $0.contains("step 3/12") }
        let afterSteps = (try? String(contentsOf: path, encoding: .utf8)) ?? ""
        #expect(afterSteps.isEmpty, "stepping changes no model and logs nothing")
        try t.send("]")
        _ = try t.wait(for: "the notice of the new scale") { $0.contains("W_hh × 1.1: spectral radius") }
        try t.send("[")
        _ = try t.wait(for: "the notice of the old scale") {
            $0.contains(": spectral radius") && !$0.contains("W_hh × 1.1:")
        }
        try t.send("q")
        _ = try t.wait(for: "EXIT-", seconds: 30)
        let lines = try String(contentsOf: path, encoding: .utf8).split(separator: "\n").map {
            $0.split(separator: " ")
        }
        let complete = lines.filter { $0.first == "complete" }
        #expect(complete.count == 2, "\(lines)")
        #expect(lines.last?.first == "complete")
        for l in lines {
            #expect(l.count == 4 && ["forward", "complete"].contains(l[0]) && l[2] == "draw", "\(l)")
            let ms = Double(l.count > 1 ? l[1] : "") ?? -1, draw = Double(l.count > 3 ? l[3] : "") ?? -1
            #expect(ms > 0 && ms < 10_000 && draw >= 0 && draw <= ms, "\(l)")
        }
    }
}
