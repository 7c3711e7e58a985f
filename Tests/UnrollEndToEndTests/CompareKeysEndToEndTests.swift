import Foundation
import Testing

/// The `w` and `i` keys (issue 21) in the real binary, in tmux: the header marks, the dimmed caption, the held-out
/// sentence, and 0 / z undoing them.
@Suite("Keys w and i, end to end in tmux")
struct CompareKeysEndToEndTests {
    @Test("w shows memory's untrained model, marked and dimmed; w brings the trained one back, then w and 0")
    func untrained() throws {
        let t = try Tmux(wrapped("lesson memory"), width: 80, height: 24)
        let trained = try t.wait(for: "FORWARD")
        #expect(!trained.contains("untrained"))
        try t.send("w")
        let untrained = try t.wait(for: "the untrained model") {
            $0.contains("untrained (initial weights) · RNN tanh") && $0.contains("[for the lesson's own model: press 0]")
                && $0.contains("untrained: the weights training started from (seed 1); w: trained again")
        }
        #expect(untrained.contains("step 1/6"))
        try t.send("w")
        try t.wait(for: "the trained model again") {
            $0.contains("the trained weights again") && !$0.contains("untrained (initial weights)")
        }
        try t.send("w")
        try t.wait(for: "untrained (initial weights)")
        try t.send("0")
        try t.wait(for: "0: the lesson's own model") {
            $0.contains("the lesson's own model: RNN, seed 1") && !$0.contains("untrained (initial weights)")
        }
    }

    @Test("i shows teacher's held-out sentence with its own caption; z goes back to the lesson's sentence")
    func heldOut() throws {
        let t = try Tmux(wrapped("lesson teacher"), width: 120, height: 40, environment: ["NO_COLOR": "1"])
        try t.wait(for: "step 1/6")
        try t.send("i")
        let held = try t.wait(for: "the held-out input") {
            $0.contains("held-out input 2/2, never trained on · RNN tanh") && $0.contains("step 1/5")
                && $0.contains("input 2 of 2, never trained on: 'the clouds in the sky'")
        }
        #expect(held.contains("Held-out input 2 of 2: 'the clouds in the sky'"))
        try t.send("n")
        try t.wait(for: "its caption at step 3") {
            $0.contains("step 3/5") && $0.contains("y3 says 'sont', wrong: the target is 'dans'")
        }
        try t.send("z")
        try t.wait(for: "the lesson's sentence again") {
            $0.contains("step 3/6") && !$0.contains("held-out input 2/2") && $0.contains("undone:")
        }
    }
}
