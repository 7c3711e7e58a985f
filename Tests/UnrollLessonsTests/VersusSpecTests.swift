import Testing
import UnrollEngine

@testable import UnrollLessons

@Suite("--versus specs")
struct VersusSpecTests {
    @Test("Cells, activations, skip=K and noskip change the model; anything else names a lesson")
    func parsing() throws {
        #expect(try VersusSpec(parsing: "lstm") == .cell(.lstm))
        #expect(try VersusSpec(parsing: "GRU") == .cell(.gru))
        #expect(try VersusSpec(parsing: "rnn") == .cell(.rnn))
        #expect(try VersusSpec(parsing: "sigmoid") == .activation(.sigmoid))
        #expect(try VersusSpec(parsing: "relu") == .activation(.relu))
        #expect(try VersusSpec(parsing: "identity") == .activation(.identity))
        #expect(try VersusSpec(parsing: "skip=3") == .skip(3))
        #expect(try VersusSpec(parsing: "noskip") == .skip(nil))
        #expect(try VersusSpec(parsing: "exploding") == .lesson("exploding"))
        #expect(try VersusSpec(parsing: "my/lesson.yaml") == .lesson("my/lesson.yaml"))
    }

    @Test(
        "skip= without a whole number from 2, a bare skip, or nothing at all is refused with the accepted forms",
        arguments: ["skip=1", "skip=0", "skip=x", "skip=", "skip=-3", "skip", ""])
    func refusals(_ text: String) {
        let error = #expect(throws: VersusSpecError.self) { try VersusSpec(parsing: text) }
        let message = error?.message ?? ""
        #expect(message.contains("skip=") && message.contains("'\(text)'"))
    }

    @Test("Applied to vanishing: the same tokens and seed, only the named part of the model changed")
    func applied() throws {
        let v = try #require(Lesson.builtin(named: "vanishing"))
        #expect(v.cell == .rnn && v.skip == nil && v.architecture.activation == .tanh)
        let lstm = try #require(VersusSpec.cell(.lstm).applied(to: v))
        #expect(lstm.cell == .lstm && lstm.tokens == v.tokens && lstm.seed == v.seed)
        #expect(lstm.initialization.forgetBias == 1)
        let sigmoid = try #require(VersusSpec.activation(.sigmoid).applied(to: v))
        #expect(sigmoid.architecture.activation == .sigmoid && sigmoid.cell == .rnn && sigmoid.tokens == v.tokens)
        let skip = try #require(VersusSpec.skip(3).applied(to: v))
        #expect(skip.skip == 3 && skip.architecture.activation == .tanh)
        #expect(VersusSpec.skip(nil).applied(to: skip)?.skip == nil)
        #expect(VersusSpec.lesson("exploding").applied(to: v) == nil)
    }
}
