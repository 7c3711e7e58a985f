import Foundation
import Testing

/// The training view of the real binary in tmux, and its refusals from a shell.
@Suite("The training view, end to end")
struct TrainingViewTests {
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
