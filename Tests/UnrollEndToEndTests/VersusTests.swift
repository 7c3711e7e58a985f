import Foundation
import Testing

/// `unroll lesson NAME --versus SPEC` in the step-through: two models in lockstep, and its refusals.
@Suite("Two models side by side, end to end")
struct VersusTests {
    @Test("lesson vanishing --versus lstm: both labels, both series in the gradient panel, c acts on both, q restores")
    func vanishingVersusLSTM() throws {
        let t = try Tmux(wrapped("lesson vanishing --versus lstm"), width: 120, height: 40)
        let first = try t.wait(for: "both model labels") { $0.contains("▲ RNN tanh") && $0.contains("▼ LSTM") }
        #expect(first.contains("FORWARD") && first.contains("step 1/12"))
        try t.send("End", "Tab")
        // Backward step 12 asks its question (the gradients masked until then): answered, both series show.
        _ = try t.wait(for: "the question") { $0.contains("BACKWARD") && $0.contains("keys 1–4") }
        try t.send("1")
        let backward = try t.wait(for: "both series named") {
            $0.contains("BACKWARD") && $0.contains("█ RNN tanh  ▒ LSTM")
        }
        #expect(backward.range(of: #"t=12\s+█ [0-9.e+-]+\s+▒ [0-9.e+-]+"#, options: .regularExpression) != nil)
        try t.send("c")
        try t.wait(for: "both cells changed") { $0.contains("▲ LSTM") && $0.contains("▼ GRU") }
        try t.send("q")
        let end = try t.wait(for: "EXIT-")
        #expect(end.contains("TERMINAL-RESTORED") && end.contains("EXIT-0"))
    }

    @Test("Lessons with different numbers of steps are refused with both counts, exit 2")
    func differentSteps() throws {
        let t = try Tmux(wrapped("lesson vanishing --versus memory"), width: 120, height: 40)
        let end = try t.wait(for: "EXIT-")
        #expect(end.contains("--versus: 'vanishing' has 12 steps and 'memory' 6") && end.contains("EXIT-2"))
    }

    @Test("A bad spec exits 2 with the accepted forms, before any terminal is needed")
    func badSpec() throws {
        let skip = try run([unrollBinary, "lesson", "vanishing", "--versus", "skip=1"])
        #expect(skip.status == 2 && skip.err.contains("--versus 'skip=1': skip=K needs a whole number K of at least 2"))
        let unknown = try run([unrollBinary, "lesson", "vanishing", "--versus", "nosuchlesson"])
        #expect(unknown.status == 2 && unknown.err.contains("'nosuchlesson' is neither a lesson"))
    }

    @Test("--versus that leaves the model as it is (lstm on an LSTM training lesson) is refused, not shown twice")
    func sameModel() throws {
        let same = try run([unrollBinary, "lesson", "train-adding-lstm", "--versus", "lstm"])
        #expect(same.status == 2 && same.err.contains("--versus lstm: 'train-adding-lstm' already has that model"))
        #expect(!same.err.contains("against"))
        let lesson = try run([unrollBinary, "lesson", "lstm", "--versus", "lstm"])
        #expect(lesson.status == 2 && lesson.err.contains("already has that model"))
    }
}
