import Foundation
import Testing

/// The training view of the real binary in tmux, and its refusals from a shell.
@Suite("The training view, end to end")
struct TrainingViewTests {
    /// `unroll train --text examples/texts/sonnets.txt` of `hidden` units for `trained` iterations, saved in `dir`
    /// (made here): the weights' path, and the scenario train wrote with `viewed` iterations instead of its 2000.
    static func sonnets(
        in dir: URL, hidden: Int, trained: Int, viewed: Int
    ) throws -> (weights: String, scenario: URL) {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let text = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/texts/sonnets.txt").path
        let weights = dir.appendingPathComponent("w.safetensors").path
        let done = try run([
            unrollBinary, "train", "--text", text, "--hidden", "\(hidden)", "--iterations", "\(trained)",
            "--save", weights
        ])
        try #require(done.status == 0, "\(done.err)")
        let written = try String(contentsOfFile: dir.appendingPathComponent("w.yaml").path, encoding: .utf8)
        try #require(written.contains("iterations: 2000"), "\(written)")
        let scenario = dir.appendingPathComponent("v.yaml")
        try written.replacingOccurrences(of: "iterations: 2000", with: "iterations: \(viewed)")
            .write(to: scenario, atomically: true, encoding: .utf8)
        return (weights, scenario)
    }
    @Test("Two models side by side: one iteration, learning rate and clipping live, train, pause, quit restores")
    func trainSideBySide() throws {
        let t = try Tmux(wrapped("lesson train-adding-lstm --versus train-adding-rnn"), width: 100, height: 30)
        // Wait for the whole frame: a capture can catch the header drawn before the rest (seen on one CPU).
        let first = try t.wait(for: "the first frame, header to status") {
            $0.contains("paused  iteration 0/1500") && $0.contains("Adding problem, T = 50")
                && $0.contains("not started")
        }
        #expect(first.contains("LSTM, H = 32 against RNN, H = 32"))
        #expect(first.contains("Adding problem, T = 50 · Adam lr 0.01 · clip norm ≤ 1"))
        #expect(first.contains("not started"))
        try t.send(".")
        // Wait for the whole frame: a capture can catch the header redrawn before the example below it.
        let one = try t.wait(for: "iteration 1 in the header and the example") {
            $0.contains("iteration 1/1500") && $0.contains("weights of iteration 1")
                && $0.contains("× RNN, H = 32   loss")
        }
        #expect(one.range(of: #"• LSTM, H = 32\s+loss [0-9.e-]+ · accuracy \d+%"#, options: .regularExpression) != nil)
        #expect(one.range(of: #"× RNN, H = 32\s+loss"#, options: .regularExpression) != nil)
        #expect(one.contains("weights of iteration 1"))
        try t.send("]")
        try t.wait(for: "lr 0.02")
        try t.send("x")
        try t.wait(for: "clip norm ≤ 0.1")
        try t.send("Space")
        let running = try t.wait(for: "training past iteration 3", seconds: 60) { s in
            guard s.contains("training  iteration"),
                let r = s.range(of: #"iteration (\d+)/1500"#, options: .regularExpression),
                let n = Int(s[r].dropFirst("iteration ".count).split(separator: "/")[0])
            else { return false }
            return n > 3
        }
        #expect(running.contains("it/s"))
        try t.send("Space")
        try t.wait(for: "paused  iteration")
        try t.send("q")
        let end = try t.wait(for: "EXIT-")
        #expect(end.contains("TERMINAL-RESTORED") && end.contains("EXIT-0"))
    }

    @Test(
        "unroll train --text writes a scenario whose training view shows samples: the same text as unroll sample for the same weights, prime, temperature and seed"
    )
    func samplesOfOwnText() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("unroll-samples-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        // The scenario unroll train wrote, run to the same 20 iterations in the view.
        let (weights, scenario) = try Self.sonnets(in: dir, hidden: 16, trained: 20, viewed: 20)
        let t = try Tmux(wrapped("open \(scenario.path)"), width: 200, height: 60)
        // Paused at the start: a sample of the initial weights (noise) is already there.
        try t.wait(for: "the first frame with a sample of iteration 0") {
            $0.contains("paused  iteration 0/20") && $0.contains("Samples, newest first · temperature 1")
                && $0.contains("\n0  T 1  ")
        }
        try t.send("Space")
        /// The text after `prefix` on the line that starts with it.
        func line(after prefix: String, _ screen: String) -> String? {
            screen.split(separator: "\n").first { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
        }
        let end = try t.wait(for: "finished with a sample of iteration 20", seconds: 120) {
            $0.contains("finished  iteration 20/20") && line(after: "20  T 1  ", $0) != nil
        }
        func sample(_ extra: [String]) throws -> String {
            let r = try run([unrollBinary, "sample", weights, "--length", "160", "--seed", "1"] + extra)
            #expect(r.status == 0, "\(r.err)")
            return r.out.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let shown = try #require(line(after: "20  T 1  ", end))
        #expect(shown.trimmingCharacters(in: .whitespaces) == (try sample([])), "\(end)")
        // A prime typed and the temperature lowered twice (1 → 0.8 → 0.5) write a new sample of the same weights.
        try t.send("i")
        try t.wait(for: "prime: ")
        try t.send("thou")
        try t.send("Enter")
        try t.send("{")
        try t.send("{")
        let primed = try t.wait(for: "a sample from the prime at 0.5") {
            line(after: "20  T 0.5  ", $0) != nil && $0.contains("temperature 0.5 · prime \"thou\"")
        }
        let shownPrimed = try #require(line(after: "20  T 0.5  ", primed))
        #expect(
            shownPrimed.trimmingCharacters(in: .whitespaces)
                == (try sample(["--prime", "thou", "--temperature", "0.5"])), "\(primed)")
        try t.send("q")
        let quit = try t.wait(for: "EXIT-")
        #expect(quit.contains("TERMINAL-RESTORED") && quit.contains("EXIT-0"))
    }

    @Test(
        "o in the training view of a text model steps through the weights of the iteration it paused at on a typed text; q returns, paused or training as it was",
        arguments: [false, true])
    func stepThroughFromTraining(noColor: Bool) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("unroll-open-key-\(getpid())-\(noColor)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (_, scenario) = try Self.sonnets(in: dir, hidden: 8, trained: 2, viewed: 6)
        let t = try Tmux(
            wrapped("open \(scenario.path)"), width: 100, height: 30, environment: noColor ? ["NO_COLOR": "1"] : [:])
        try t.wait(for: "paused  iteration 0/6")
        for _ in 0..<3 { try t.send(".") }
        try t.wait(for: "paused  iteration 3/6")
        try t.send("o")
        try t.wait(for: "step through: ")
        try t.send("thou art")
        try t.send("Enter")
        let screen = try t.wait(for: "the weights of iteration 3 reading your text; q returns to training")
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // The prompt's characters along the x_t row, one a step (the space shown as ␣), and the unit line's text.
        let inputs = try #require(lines.first { $0.hasPrefix("x_t") }, "\(screen)")
        #expect(inputs.split(separator: " ").dropFirst().prefix(7).joined() == "thou␣ar", "\(inputs)")
        #expect(lines.contains { $0.hasPrefix("thou art") }, "\(screen)")
        #expect(screen.contains("step 1/7"), "\(screen)")
        // The top-k readout: three characters and their probabilities.
        let readout = try #require(lines.first { $0.contains("p(y_t): '") }, "\(screen)")
        #expect(readout.components(separatedBy: " · ").count == 3, "\(readout)")
        // The key bar names where q goes; the lesson picker is closed here and says why.
        try t.send("Right")
        let bar = try t.wait(for: "step 2/7")
        #expect(bar.contains("q training") && !bar.contains("q quit") && !bar.contains("o lessons"), "\(bar)")
        try t.send("o")
        try t.wait(for: "the lesson picker is closed here: q returns to training")
        try t.send("q")
        // Back where it was: paused at iteration 3 (nothing trained meanwhile), then space trains on to the end.
        let back = try t.wait(for: "back to training, paused")
        #expect(back.contains("paused  iteration 3/6"), "\(back)")
        try t.send("Space")
        try t.wait(for: "finished  iteration 6/6", seconds: 60)
        try t.send("q")
        let end = try t.wait(for: "EXIT-")
        #expect(end.contains("TERMINAL-RESTORED") && end.contains("EXIT-0"), "\(end)")
    }

    @Test(
        "Without a terminal the training view points to unroll train; --versus needs a training lesson on the same task"
    )
    func refusals() throws {
        let piped = try run([unrollBinary, "lesson", "train-adding-lstm"])
        #expect(piped.status == 2 && piped.err.contains("unroll train train-adding-lstm"))
        let notTraining = try run([unrollBinary, "lesson", "memory", "--versus", "train-adding-rnn"])
        #expect(notTraining.status == 2 && notTraining.err.contains("'memory' is not a training lesson"))
        // The second lesson is held to the memory limit too, before anything is built.
        let big = FileManager.default.temporaryDirectory.appendingPathComponent("unroll-versus-\(getpid()).yaml")
        try "title: big\nmodel:\n  cell: rnn\n  hidden_size: 4000\ntraining:\n  task: adding\n  length: 50\n"
            .write(to: big, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: big) }
        let tooBig = try run([
            unrollBinary, "lesson", "train-adding-lstm", "--versus", big.path, "--memory-limit", "200MiB"
        ])
        #expect(tooBig.status == 2 && tooBig.err.contains("more than the memory limit of 200 MiB"), "\(tooBig.err)")
    }
}
