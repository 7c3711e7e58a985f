import Foundation
import Testing
import UnrollEngine

@testable import UnrollLessons

// The claims rows of the held-out inputs of one2one, one2many, many2one, bidir, sharing, lstm, gru and stacked
// (issue 21: `input.held_out`, shown by `i`). Each row runs the lesson's model on the sentence written out here,
// not on the lesson's `held_out` entry (HeldOutInputTests checks that `i` shows the same run), and reads each loss
// step independently of the engine's labels: the chosen word and its probability by a softmax of the step's logits,
// and whether it is the target by comparing that probability with e^−L_t, the target's probability by the loss.

private let fwd = Phase.forward
private func held(_ s: Int) -> ClaimPlace { .inputCaption(2, fwd, s) }
private func ans(_ n: Int) -> ClaimPlace { .answer(n) }

/// One loss step of a held-out run: its 0-based column, the most probable word, its probability, and whether
/// it is the target.
struct HeldOutStep: Sendable {
    var column: Int
    var word: String
    var p: Double
    var right: Bool
}

/// The lesson's model run on `tokens` with `targets` (nil: the next word), every loss step read from the trace.
func heldOutSteps(_ f: ClaimFacts, _ tokens: String, _ targets: [String]? = nil) throws -> [HeldOutStep] {
    var l = f.lesson
    l.words = Array(l.vocabulary.dropLast()) // the lesson's vocabulary, as its trained weights read it
    l.tokens = tokens.split(separator: " ").map(String.init)
    l.targets = targets
    let t = try ClaimFacts(l).trace
    try #require(!t.lossColumns.isEmpty)
    return try t.lossColumns.map { c in
        let y = try #require(t.outputs[c]).storage, loss = try #require(t.losses[c])
        let m = try #require(y.max()), k = try #require(y.firstIndex(of: m))
        let e = y.map { Foundation.exp($0 - m) }, p = e[k] / e.reduce(0, +)
        return HeldOutStep(column: c, word: l.vocabulary[k], p: p, right: abs(Foundation.exp(-loss) - p) <= 1e-12)
    }
}

/// The probability of `word` at 0-based `column` of the lesson run on `tokens` (targets nil), by a softmax.
private func probabilityOf(_ f: ClaimFacts, _ tokens: String, _ column: Int, _ word: String) throws -> Double {
    var l = f.lesson
    l.words = Array(l.vocabulary.dropLast())
    l.tokens = tokens.split(separator: " ").map(String.init)
    l.targets = nil
    let t = try ClaimFacts(l).trace
    let y = try #require(t.outputs[column]).storage, k = try #require(l.vocabulary.firstIndex(of: word))
    let m = try #require(y.max()), e = y.map { Foundation.exp($0 - m) }
    return e[k] / e.reduce(0, +)
}

/// Whether the trained W_ih's column of `word` is the drawn one: training never read `word`.
private func neverRead(_ f: ClaimFacts, _ word: String) throws -> Bool {
    var drawn = f.lesson
    drawn.weights = nil
    let k = try #require(f.lesson.vocabulary.firstIndex(of: word))
    let a = try #require(f.lesson.model(as: Double.self)["weight_ih_l0"])
    let b = try #require(drawn.model(as: Double.self)["weight_ih_l0"])
    try #require(a.rows == b.rows && a.rows > 0)
    return (0..<a.rows).allSatisfy { a[$0, k] == b[$0, k] } && a != b
}

/// The recipe's training sentences of the lesson.
private func trained(_ name: String) throws -> [[String]] {
    let recipe = try #require(LessonRecipe.named(name))
    try #require(!recipe.examples.isEmpty)
    return recipe.examples.map(\.tokens)
}

/// The probability of each loss step's word when the words are `expected` and `right` says which are targets;
/// NaN when the run differs.
private func when(_ steps: [HeldOutStep], words expected: [String], right: [Bool]) -> [Double] {
    steps.map(\.word) == expected && steps.map(\.right) == right ? steps.map(\.p) : steps.map { _ in .nan }
}

private let oneToManyIll = ["under", "the", "weather", "<eos>"]
private let bidirBlank = "___ ___ the weather", bidirTargets = ["feeling", "under", "the", "weather"]
private let sharingLong = "I went to Nepal . I went to Nepal . I went to Nepal in 1999"
private let sharingTags = Array(repeating: "-", count: 15) + ["YEAR"]
private let lstmNoAlice = "is allergic to nuts she can't eat peanut butter"

let heldOutClaims: [String: [Claim]] = [
    "one2one": [
        // "y1 says 'sea', 0.600" on 'the', whose W_ih column training never read.
        claim(held(1), "0.600") { f in
            let s = try heldOutSteps(f, "the")
            return try neverRead(f, "the") && s.map(\.word) == ["sea"] ? s[0].p : .nan
        }
    ],
    "one2many": [
        // "It writes 'over' 0.910, 'moon' 0.921" (between them 'the', then <eos>: right; 'over' and 'moon' are not).
        claim(held(4), "0.910") { f in
            let s = try heldOutSteps(f, "ill", oneToManyIll)
            let p = when(s, words: ["over", "the", "moon", "<eos>"], right: [false, true, false, true])
            return try neverRead(f, "ill") ? p[0] : .nan
        },
        claim(held(4), "0.921") { f in
            when(try heldOutSteps(f, "ill", oneToManyIll), words: ["over", "the", "moon", "<eos>"],
                right: [false, true, false, true])[2]
        },
        claim(ans(8), "0.910") { f in
            when(try heldOutSteps(f, "ill", oneToManyIll), words: ["over", "the", "moon", "<eos>"],
                right: [false, true, false, true])[0]
        },
        claim(ans(8), "0.921") { f in
            when(try heldOutSteps(f, "ill", oneToManyIll), words: ["over", "the", "moon", "<eos>"],
                right: [false, true, false, true])[2]
        }
    ],
    "many2one": [
        holds(held(3), "4") { _ in
            try trained("many2one").allSatisfy { $0.count == 4 && $0.first == "feeling" }
        },
        claim(held(3), "0.963") { f in
            when(try heldOutSteps(f, "under the weather", ["ill"]), words: ["ill"], right: [true])[0]
        },
        claim(ans(8), "0.963") { f in
            when(try heldOutSteps(f, "under the weather", ["ill"]), words: ["ill"], right: [true])[0]
        }
    ],
    "bidir": [
        claim(held(4), "0.996") { f in
            let s = try heldOutSteps(f, bidirBlank, bidirTargets)
            return try trained("bidir").allSatisfy { $0.first == "feeling" } && s.map(\.column) == [1]
                ? when(s, words: ["under"], right: [true])[0] : .nan
        },
        // "h2 changed (it has read '___ ___'), g2 did not": the two directions' states at step 2, against the own run.
        claim(ans(8), "0.996") { f in
            var l = f.lesson
            l.tokens = bidirBlank.split(separator: " ").map(String.init)
            l.targets = bidirTargets
            let own = f.trace, other = try ClaimFacts(l).trace
            func state(_ t: Trace<Double>, reverse: Bool) throws -> [Double] {
                try #require(t.layers.first { $0.reverse == reverse }).steps[1].hidden.storage
            }
            let h = try zip(state(own, reverse: false), state(other, reverse: false)).map { abs($0 - $1) }.max() ?? 0
            let g = try zip(state(own, reverse: true), state(other, reverse: true)).map { abs($0 - $1) }.max() ?? 1
            guard h > 1e-3, g <= 1e-12 else { return .nan }
            return when(try heldOutSteps(f, bidirBlank, bidirTargets), words: ["under"], right: [true])[0]
        }
    ],
    "sharing": [
        holds(held(16), "16") { f in
            let s = try heldOutSteps(f, sharingLong, sharingTags)
            return s.count == 16 && s.allSatisfy(\.right)
        },
        holds(held(16), "13") { _ in try trained("sharing").map(\.count).max() == 13 },
        claim(held(16), "0.998") { f in
            let s = try heldOutSteps(f, sharingLong, sharingTags)
            return s.count == 16 && s.allSatisfy(\.right) && s[15].word == "YEAR" ? s[15].p : .nan
        },
        holds(ans(8), "16") { f in try heldOutSteps(f, sharingLong, sharingTags).allSatisfy(\.right) },
        holds(ans(8), "13") { _ in try trained("sharing").map(\.count).max() == 13 },
        claim(ans(8), "0.998") { f in
            let s = try heldOutSteps(f, sharingLong, sharingTags)
            return s.count == 16 && s.allSatisfy(\.right) ? s[15].p : .nan
        }
    ],
    "lstm": [
        // "y5 still says 'can't' (0.748), but y4 says 'eat' (0.984): 'nuts' was never at step 4": the other seven are right.
        claim(held(5), "0.748") { f in
            let s = try heldOutSteps(f, lstmNoAlice)
            return s.count == 9 && s[4].word == "can't" && s[4].right ? s[4].p : .nan
        },
        claim(held(5), "0.984") { f in
            let s = try heldOutSteps(f, lstmNoAlice)
            // 'nuts' stood at step 5 (index 4) of every training sentence, never at step 4.
            let nutsAt = try trained("lstm").map { $0.firstIndex(of: "nuts") }
            return nutsAt.allSatisfy { $0 == 4 } && s.count == 9 && s[3].word == "eat" && !s[3].right
                && s.enumerated().allSatisfy { $0.offset == 3 || $0.element.right } ? s[3].p : .nan
        },
        claim(ans(10), "0.748") { f in
            let s = try heldOutSteps(f, lstmNoAlice)
            return s.count == 9 && s[4].word == "can't" && s[4].right ? s[4].p : .nan
        },
        claim(ans(10), "0.984") { f in
            let s = try heldOutSteps(f, lstmNoAlice)
            return s.count == 9 && s[3].word == "eat" && !s[3].right ? s[3].p : .nan
        },
        holds(ans(10), "8") { f in try heldOutSteps(f, lstmNoAlice).filter(\.right).count == 8 },
        holds(ans(10), "9") { f in try heldOutSteps(f, lstmNoAlice).count == 9 }
    ],
    "gru": [
        // "Never trained on 'went to Nepal in 1999', every word a step early" (the training sentence less its 'I').
        holds(held(5), "1999") { f in
            let words = ["went", "to", "Nepal", "in", "1999"]
            return try f.lesson.heldOut.first?.tokens == words && trained("gru") == [["I"] + words]
        },
        // "Each next word is still right, P ≥ 0.955": the least of the five is 0.955.
        claim(held(5), "0.955") { f in
            let s = try heldOutSteps(f, "went to Nepal in 1999")
            return s.count == 5 && s.allSatisfy(\.right) ? s.map(\.p).min() ?? .nan : .nan
        },
        claim(ans(7), "0.955") { f in
            let s = try heldOutSteps(f, "went to Nepal in 1999")
            return s.count == 5 && s.allSatisfy(\.right) ? s.map(\.p).min() ?? .nan : .nan
        },
        holds(ans(7), "5") { f in try heldOutSteps(f, "went to Nepal in 1999").filter(\.right).count == 5 }
    ],
    "stacked": [
        // "y1 says 'grew', 0.489 ('up' 0.435), as step 1 was trained to; steps 2-4 are right".
        claim(held(4), "0.489") { f in
            let s = try heldOutSteps(f, "grew up in France")
            return f.lesson.targetTokens.first == "grew"
                ? when(s, words: ["grew", "in", "France", "<eos>"], right: [false, true, true, true])[0] : .nan
        },
        claim(held(4), "0.435") { try probabilityOf($0, "grew up in France", 0, "up") },
        claim(ans(7), "0.489") { f in
            when(try heldOutSteps(f, "grew up in France"), words: ["grew", "in", "France", "<eos>"],
                right: [false, true, true, true])[0]
        },
        claim(ans(7), "0.435") { try probabilityOf($0, "grew up in France", 0, "up") },
        holds(ans(7), "3") { f in try heldOutSteps(f, "grew up in France").filter(\.right).count == 3 },
        holds(ans(7), "4") { f in try heldOutSteps(f, "grew up in France").count == 4 }
    ]
]
