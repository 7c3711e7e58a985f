import Testing
import UnrollEngine

@testable import UnrollLessons

// Predict-then-reveal: every question's key (the right choice) is derived here from the trace it asks about,
// so a question can never mark a wrong choice right. The numbers its "why" states are rows of the claims table.

/// Index of the smallest (or largest) of `values`.
private func argmin(_ values: [Double]) -> Int? { values.indices.min { values[$0] < values[$1] } }
private func argmax(_ values: [Double]) -> Int? { values.indices.max { values[$0] < values[$1] } }

/// A question's key: its right choice (0-based) from the trace, nil when none of the choices is right.
private typealias QuestionKey = @Sendable (ClaimFacts, Question) throws -> Int?

/// The right choice of each lesson's questions, in the order they are asked, from the trace. A key whose choice
/// list changes must be updated with it: the key reads the choice it expects by its words and checks the list.
private let questionKeys: [String: [QuestionKey]] = [
    // "where will ‖∂L/∂h‖ be smallest?" [step 1, step 5, step 11, the same at every step]: the argmin of the last loss's gradient.
    "vanishing": [
        { f, q in
            let norms = (1...f.trace.columns).map { lastNorm(f.trace, $0) }
            guard let s = argmin(norms) else { return nil }
            return q.choices.firstIndex(of: "step \(s + 1)")
        },
        // "How does ‖∂L/∂h‖ at step 5 compare with its value at step 12?" [about as large, about half,
        // about 50 times smaller, exactly zero]: the ratio of the last loss's gradient norms, within 10 %.
        { f, q in
            let n5 = lastNorm(f.trace, 5), n12 = lastNorm(f.trace, 12)
            if n5 == 0 { return q.choices.firstIndex(of: "exactly zero") }
            let ratio = n12 / n5
            let word =
                abs(ratio - 1) <= 0.1
                ? "about as large"
                : abs(ratio - 2) <= 0.2
                    ? "about half"
                    : abs(ratio - 50) <= 5 ? "about 50 times smaller" : "other"
            return q.choices.firstIndex(of: word)
        }
    ],
    // "which step's gradient will be the largest?" [step 1, step 4, step 8]
    "exploding": [
        { f, q in
            let norms = (1...f.trace.columns).map { lastNorm(f.trace, $0) }
            guard let s = argmax(norms) else { return nil }
            return q.choices.firstIndex(of: "step \(s + 1)")
        }
    ],
    // "from step 6 to step 1, what happens to ‖∂L6/∂h‖?" [grows, shrinks, about the same (within 10%)]
    "sigmoid": [
        { f, q in
            let ratio = lastNorm(f.trace, 1) / lastNorm(f.trace, 6)
            let word = ratio > 1.1 ? "it grows" : ratio < 0.9 ? "it shrinks" : "it stays about the same"
            return q.choices.firstIndex(of: word)
        }
    ],
    // "At step 2, how many of the six units will be off?" [none of them, about half, all but one]
    "relu": [
        { f, q in
            let off = f.trace.layers[0].steps[1].hidden.storage.filter { $0 == 0 }.count
            let units = f.trace.layers[0].hiddenSize
            let word =
                off == 0
                ? "none of them" : off == units - 1 ? "all but one" : abs(2 * off - units) <= 1 ? "about half" : "other"
            return q.choices.firstIndex(of: word)
        }
    ],
    // "From step 5 to step 4, unit 1's ∂L/∂c will ..." [almost vanish, stay almost whole, grow many times]
    "lstm": [
        { f, q in
            let ratio = cellGradient(f.trace, step: 4, unit: 0) / cellGradient(f.trace, step: 5, unit: 0)
            let word =
                ratio < 0.1
                ? "almost vanish"
                : ratio > 3 ? "grow many times" : ratio > 0.9 && ratio < 1.1 ? "stay almost whole" : "other"
            return q.choices.firstIndex(of: word)
        }
    ],
    // "which has more parameters: this GRU or an LSTM?" [the GRU, the LSTM, they have the same]: press c twice.
    "gru": [
        { f, q in
            let gru = try ClaimFacts.results(f).parameterCount
            var lab = Lab(lesson: f.lesson)
            lab.cycleCell()
            lab.cycleCell()
            guard lab.settings.cell == .lstm else { return nil }
            let lstm = try lab.compute().parameterCount
            return q.choices.firstIndex(of: gru > lstm ? "the GRU" : lstm > gru ? "the LSTM" : "they have the same")
        }
    ],
    // "will step 1's gradient be larger or smaller than without skips?" [larger with skips, smaller with skips, the same]
    "skip": [
        { f, q in
            let without = try f.after { $0.toggleSkip() }
            guard f.trace.spec.skip != nil, without.spec.skip == nil else { return nil }
            let ratio = lastNorm(f.trace, 1) / lastNorm(without, 1)
            return q.choices.firstIndex(
                of: ratio > 1.1 ? "larger with skips" : ratio < 0.9 ? "smaller with skips" : "the same")
        }
    ],
    // "what will y2 say for 'not bad'?" [good, bad]: the most probable word at the last step, by its logits.
    "deep-io": [
        { f, q in
            let y = try #require(f.trace.outputs[f.trace.columns - 1]).storage
            guard let k = argmax(y) else { return nil }
            return q.choices.firstIndex(of: f.lesson.vocabulary[k])
        }
    ],
    // "Going back from the loss at step 12, what will ‖∂L/∂h_t‖ do?" [shrink at every step, grow for two steps then
    // shrink, grow at every step, stay the same (within 10 %)]: the last loss's gradient norms from step 12 back.
    "eigen": [
        { f, q in
            let b = (1...f.trace.columns).reversed().map { lastNorm(f.trace, $0) }
            let up = (0..<(b.count - 1)).map { b[$0 + 1] > b[$0] }
            let word =
                b.allSatisfy({ abs($0 / b[0] - 1) <= 0.1 })
                ? "stay the same"
                : up.allSatisfy { !$0 }
                    ? "shrink at every step" : up.allSatisfy { $0 } ? "grow at every step"
                    : up == [true, true] + Array(repeating: false, count: up.count - 2)
                        ? "grow for two steps, then shrink" : "other"
            return q.choices.firstIndex { $0.hasPrefix(word) }
        }
    ],
    // "Will the loss at step 9 send any gradient back to h5?" [a small one, exactly none, a large one]: its own
    // gradient, alone, with the lesson's truncation, compared with the loss's gradient at its own step.
    "truncated": [
        { f, q in
            let g = try oneLoss(f, loss: 9)
            let word = g[4] == 0 ? "no, exactly none" : g[4] < 0.1 * g[8] ? "yes, a small one" : "yes, a large one"
            return q.choices.firstIndex(of: word)
        }
    ]
]

@Test("At least the eight lessons of the issue ask a question, and every lesson with one has a key here")
func lessonsAskQuestions() {
    let asking = Set(Lesson.builtin.filter { $0.captions.contains { $0.question != nil } }.map(\.name))
    #expect(asking.isSuperset(of: ["vanishing", "exploding", "sigmoid", "relu", "lstm", "gru", "skip", "truncated"]))
    #expect(asking == Set(questionKeys.keys))
    // A class runs a whole lesson with two questions (issue 15): vanishing asks one going back and one at 'France'.
    #expect(Lesson.builtin(named: "vanishing")?.captions.compactMap(\.question).count == 2)
}

@Test("Every question's right choice is the one the trace gives", arguments: questionKeys.keys.sorted())
func questionKeyHolds(_ name: String) throws {
    let lesson = try #require(Lesson.builtin(named: name))
    let questions = lesson.captions.compactMap(\.question)
    let keys = try #require(questionKeys[name])
    try #require(questions.count == keys.count, "\(name): \(keys.count) questions expected, found \(questions.count)")
    let facts = try ClaimFacts(lesson)
    for (n, (q, key)) in zip(questions, keys).enumerated() {
        #expect((2...4).contains(q.choices.count))
        let right = try key(facts, q)
        #expect(
            right == q.answer,
            "\(name) question \(n + 1): the trace gives choice \(right.map { "\($0 + 1)" } ?? "none"), the lesson says \(q.answer + 1)"
        )
    }
}
