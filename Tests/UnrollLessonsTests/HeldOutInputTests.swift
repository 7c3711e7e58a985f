import Foundation
import Testing
import UnrollEngine

@testable import UnrollLessons

// The `w` and `i` keys' lab (issue 21): the untrained model is the one training started from, and a held-out input
// is the lesson run on a sentence its recipe never trained on, over the lesson's own vocabulary.

/// The held-out sentences of the lessons that caption one, written out here (tokens, targets; nil: the next word).
/// The caption lessons' held-out input is their own sentence for another image (v/2, checked below).
private let expectedHeldOut: [String: [(tokens: String, targets: [String]?)]] = [
    "caption": [("<start>", ["the", "clouds", "are", "in", "the", "sky"])],
    "caption-h0": [("<start>", ["the", "clouds", "are", "in", "the", "sky"])],
    "caption-both": [("<start>", ["the", "clouds", "are", "in", "the", "sky"])],
    "memory": [("the fish are in the sea", nil)],
    "clouds": [("the fish swim in the", ["sea"])],
    "skip": [("we grew up in Spain and I now speak fluent", ["Spanish"])],
    "shortcut": [("we grew up in Spain and I now speak fluent", ["Spanish"])],
    "seq2seq": [("I speak fluent English", ["je", "parle", "couramment", "l'", "anglais"])],
    "seq2seq-h0": [("I speak fluent English", ["je", "parle", "couramment", "l'", "anglais"])],
    "seq2seq-both": [("I speak fluent English", ["je", "parle", "couramment", "l'", "anglais"])],
    "deep": [("we grew up in Spain and I now speak fluent", ["Spanish"])],
    "many2many": [("feeling over the weather", nil)],
    "teacher": [("the clouds in the sky", ["les", "nuages", "dans", "le", "ciel"])],
    "feedback": [("the clouds in the sky", ["les", "nuages", "dans", "le", "ciel"])],
    "one2one": [("the", nil)],
    "one2many": [("ill", ["under", "the", "weather", "<eos>"])],
    "many2one": [("under the weather", ["ill"])],
    "bidir": [("___ ___ the weather", ["feeling", "under", "the", "weather"])],
    "sharing": [
        ("I went to Nepal . I went to Nepal . I went to Nepal in 1999", Array(repeating: "-", count: 15) + ["YEAR"])
    ],
    "lstm": [("is allergic to nuts she can't eat peanut butter", nil)],
    "gru": [("went to Nepal in 1999", nil)],
    "stacked": [("grew up in France", nil)]
]

private func words(_ s: String) -> [String] { s.split(separator: " ").map(String.init) }

@Test("The lessons that caption a held-out sentence declare it, and their recipes never train on it")
func heldOutSentencesAreDeclaredAndUntrained() throws {
    for (name, expected) in expectedHeldOut.sorted(by: { $0.key < $1.key }) {
        let lesson = try #require(Lesson.builtin(named: name))
        #expect(lesson.heldOut.map(\.tokens) == expected.map { words($0.tokens) }, "\(name)")
        #expect(lesson.heldOut.map(\.targets) == expected.map(\.targets), "\(name)")
        let recipe = try #require(LessonRecipe.named(name))
        try #require(!recipe.examples.isEmpty && !lesson.heldOut.isEmpty)
        // A vector-to-sequence lesson's own v (nil for the others), which an example or entry without one reads.
        let ownImage = lesson.materialize(as: Double.self).sample.conditioning?.storage
        for h in lesson.heldOut {
            let targets = h.targets ?? Array(h.tokens.dropFirst()) + [Lesson.endOfSequence]
            for ex in recipe.examples {
                let exTargets = ex.targets ?? Array(ex.tokens.dropFirst()) + [Lesson.endOfSequence]
                let sameImage = (ex.conditioning ?? ownImage) == (h.conditioning ?? ownImage)
                #expect(!(ex.tokens == h.tokens && exTargets == targets && sameImage), "\(name) trains on \(h.tokens)")
            }
        }
        // Every caption of input 2 is within that input's steps: one per word read, and with encoder–decoder one
        // per word written; one per target word for one-to-many.
        let first = expected[0], read = words(first.tokens).count, written = first.targets?.count ?? 0
        let steps: Int
        switch lesson.configuration {
        case .encoderDecoder: steps = read + written
        case .oneToMany: steps = written
        default: steps = read
        }
        let captions = lesson.captions.filter { $0.inputIndex == 1 }
        try #require(!captions.isEmpty, "\(name) has no caption for its held-out input")
        for c in captions { #expect(c.step < steps, "\(name)") }
    }
}

@Test("Input 2 of the lab is the lesson run on its held-out sentence: the same numbers as replacing the tokens")
func labInputIsTheHeldOutRun() throws {
    for (name, expected) in expectedHeldOut.sorted(by: { $0.key < $1.key }) {
        let lesson = try #require(Lesson.builtin(named: name))
        var lab = Lab(lesson: lesson)
        lab.nextInput()
        #expect(lab.settings.input == 1)
        #expect(lab.hasLessonsOwnModel, "another input keeps the lesson's model")
        #expect(!lab.isLessonsOwn, "0 brings back the lesson's own sentence")
        let shown = try lab.compute().trace
        // Independently: the lesson with its sentence replaced, as a user would edit the YAML.
        var edited = lesson
        edited.words = Array(lesson.vocabulary.dropLast()) // input.vocabulary, which a lesson without one then needs
        edited.tokens = words(expected[0].tokens)
        edited.targets = expected[0].targets
        var direct = try edited.trace().1
        if let v = lesson.heldOut.first?.conditioning {
            // Another image: the lesson's sample with v replaced, run on the lesson's model.
            var run = edited.materialize(as: Double.self)
            try #require(run.sample.conditioning?.cols == v.count)
            run.sample.conditioning = Matrix(rows: 1, cols: v.count, storage: v)
            direct = try Engine.run(model: run.model, sample: run.sample, options: run.options)
            #expect(shown.conditioning?.storage == v, "\(name): input 2 reads its own v")
        }
        // One column per word read (per word written for one-to-many), and with encoder–decoder one per word written.
        let written = edited.configuration == .encoderDecoder ? edited.targets?.count ?? 0 : 0
        let read = edited.configuration == .oneToMany ? edited.targets?.count ?? 0 : edited.tokens.count
        try #require(shown.columns == read + written && direct.columns == shown.columns)
        let outputs = (0..<shown.columns).filter { shown.outputs[$0] != nil }
        #expect(outputs == (0..<direct.columns).filter { direct.outputs[$0] != nil }, "\(name)")
        try #require(!outputs.isEmpty)
        for c in outputs {
            let a = try #require(shown.outputs[c]).storage, b = try #require(direct.outputs[c]).storage
            try #require(a.count == b.count && !a.isEmpty)
            #expect(zip(a, b).allSatisfy { abs($0 - $1) <= 1e-12 }, "\(name) step \(c + 1)")
        }
        #expect(abs(shown.loss - direct.loss) <= 1e-12 * max(1, abs(direct.loss)))
        lab.nextInput()
        #expect(lab.settings.input == 0, "i wraps round to the lesson's own sentence")
    }
}

@Test("w: the untrained model is the one training started from, the same weights the recipe's first step reads")
func untrainedIsTrainingsStart() throws {
    for name in ["memory", "teacher", "feedback", "many2one", "sharing"] {
        let lesson = try #require(Lesson.builtin(named: name))
        let recipe = try #require(LessonRecipe.named(name))
        let start = try recipe.train(lesson, iterations: 0).values
        var lab = Lab(lesson: lesson)
        lab.toggleTrained()
        #expect(lab.showsUntrained && !lab.hasLessonsOwnModel && !lab.keepsLessonWeights)
        let untrained = try lab.compute().run.model.values
        let trained = try Lab(lesson: lesson).compute().run.model.values
        try #require(!start.isEmpty && start.count == untrained.count)
        #expect(start == untrained, "\(name): w shows the weights training started from")
        #expect(trained != untrained, "\(name): the trained weights differ from the initial ones")
        lab.toggleTrained()
        #expect(lab.isLessonsOwn)
    }
    // A lesson without trained weights: w changes nothing.
    let drawn = try #require(Lesson.builtin.first { $0.weights == nil && $0.training == nil })
    var lab = Lab(lesson: drawn)
    lab.toggleTrained()
    #expect(lab.isLessonsOwn && !lab.showsUntrained)
}

@Test("input.held_out and narration input: read, written back, and refused with file:line:column when wrong")
func heldOutScenarioKey() throws {
    let base = """
        title: t
        input:
          tokens: "a b c"
          held_out:
            - {tokens: "c b a"}
            - {tokens: [b, a], targets: null}
        narration:
          - {phase: forward, step: 1, text: "own"}
          - {input: 3, phase: forward, step: 2, text: "held out"}
        """
    let lesson = try Lesson(scenario: base, path: "t.yaml")
    #expect(lesson.heldOut == [HeldOutInput(tokens: ["c", "b", "a"]), HeldOutInput(tokens: ["b", "a"])])
    #expect(lesson.captions.map(\.inputIndex) == [0, 2])
    #expect(try Lesson(scenario: lesson.scenarioYAML, path: "t.yaml") == lesson)
    let cases: [(String, String)] = [
        (base.replacingOccurrences(of: "\"c b a\"", with: "\"c d a\""),
            "t.yaml:5:16: held_out 1: 'd' is not in the lesson's vocabulary, which its weights are trained on; add it to input.vocabulary"),
        (base.replacingOccurrences(of: "input: 3,", with: "input: 4,"),
            "t.yaml:9:13: narration input must be from 1 to 3 (1: the lesson's sentence, then each held_out entry), found 4"),
        (base.replacingOccurrences(of: "input: 3, phase: forward, step: 2", with: "input: 3, phase: forward, step: 3"),
            "t.yaml:9:38: narration step must be from 1 to 2, the steps of its input 3, found 3"),
        (base.replacingOccurrences(of: "{tokens: \"c b a\"}", with: "{tokens: \"c b a\", words: x}"),
            "t.yaml:5:25: unknown key 'words' in input.held_out; allowed: tokens, targets, conditioning"),
        (base.replacingOccurrences(of: "    - {tokens: \"c b a\"}\n", with: String(repeating: "    - {tokens: a}\n", count: 8)),
            "t.yaml:5:5: held_out must have at most 8 entries, found 9"),
        (base.replacingOccurrences(of: "    - {tokens: \"c b a\"}\n    - {tokens: [b, a], targets: null}", with: "    three"),
            "t.yaml:5:5: held_out must be a list of {tokens, targets} entries, found three")
    ]
    for (text, message) in cases {
        #expect(throws: (any Error).self) { try Lesson(scenario: text, path: "t.yaml") }
        do {
            _ = try Lesson(scenario: text, path: "t.yaml")
        } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
    }
}

@Test("input.held_out conditioning: another v for a vector-to-sequence lesson, read, written back, run; refused elsewhere")
func heldOutConditioning() throws {
    let base = """
        title: t
        model: {configuration: one-to-many, conditioning: {size: 3, mode: input}}
        input:
          tokens: "a"
          targets: [b, c]
          held_out:
            - {tokens: a, targets: [c, b], conditioning: [0.5, -0.25, 1]}
        """
    let lesson = try Lesson(scenario: base, path: "t.yaml")
    #expect(lesson.heldOut == [HeldOutInput(tokens: ["a"], targets: ["c", "b"], conditioning: [0.5, -0.25, 1])])
    #expect(try Lesson(scenario: lesson.scenarioYAML, path: "t.yaml") == lesson)
    // Input 2 reads the given v; the lesson's own is drawn from its seed.
    let own = try #require(lesson.materialize(as: Double.self).sample.conditioning)
    let other = try #require(lesson.input(1).materialize(as: Double.self).sample.conditioning)
    #expect(other.storage == [0.5, -0.25, 1] && own.storage != other.storage && own.cols == 3)
    let cases: [(String, String)] = [
        (base.replacingOccurrences(of: "[0.5, -0.25, 1]", with: "[0.5, 1]"),
            "t.yaml:7:50: held_out 1: conditioning must have conditioning.size = 3 numbers, found 2"),
        (base.replacingOccurrences(of: "[0.5, -0.25, 1]", with: "[0.5, x, 1]"),
            "t.yaml:7:56: each number of held_out conditioning must be a finite number, found x"),
        (base.replacingOccurrences(of: ", conditioning: {size: 3, mode: input}", with: ""),
            "t.yaml:7:50: held_out 1: conditioning is a vector v for a lesson with conditioning.size; this one has none")
    ]
    for (text, message) in cases {
        do {
            _ = try Lesson(scenario: text, path: "t.yaml")
            Issue.record("accepted: \(message)")
        } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
    }
}
