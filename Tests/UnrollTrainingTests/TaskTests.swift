import Foundation
import Testing
import UnrollEngine

@testable import UnrollTraining

@Test(
    "Every task generates batches the engine accepts, of the right shapes, the same for the same seed",
    arguments: TaskKind.allCases)
func taskBatches(_ kind: TaskKind) throws {
    let task = TrainingTask(kind: kind, length: max(kind.minimumLength, 12))
    #expect(task.problems.isEmpty)
    var a = SeededGenerator(seed: 3), b = SeededGenerator(seed: 3), c = SeededGenerator(seed: 4)
    let s1: Sample<Double> = task.batch(size: 5, generator: &a)
    let s2: Sample<Double> = task.batch(size: 5, generator: &b)
    let s3: Sample<Double> = task.batch(size: 5, generator: &c)
    #expect(s1 == s2)
    #expect(s1 != s3)
    #expect(s1.steps == task.steps && s1.batchSize == 5 && s1.inputs.count == task.steps)
    let model = Model<Double>(spec: task.spec(cell: .lstm, hiddenSize: 4), seed: 1)
    #expect(Engine.problems(model: model, sample: s1, options: task.runOptions()).isEmpty)
    let r = try Engine.gradients(model: model, sample: s1, options: task.runOptions())
    let acc = task.accuracy(outputs: r.outputs, sample: s1)
    #expect((acc == nil) == (task.accuracyLabel == nil))
    if let acc { #expect(acc >= 0 && acc <= 1) }
}

@Test("The adding problem: two markers, one in each half, and the target is the sum of their values")
func addingProblem() {
    let task = TrainingTask(kind: .adding, length: 20)
    var g = SeededGenerator(seed: 1)
    let s: Sample<Double> = task.batch(size: 50, generator: &g)
    guard case .values(let targets) = s.targets else {
        Issue.record("adding has value targets")
        return
    }
    for b in 0..<50 {
        let marked = (0..<20).filter { s.inputs[$0][b, 1] == 1 }
        #expect(marked.count == 2 && marked[0] < 10 && marked[1] >= 10)
        #expect(abs(targets[19][b, 0] - marked.map { s.inputs[$0][b, 0] }.reduce(0, +)) < 1e-15)
    }
    #expect(abs(task.baselineLoss - 1.0 / 6) < 1e-15)
    #expect(abs((task.baselineAccuracy ?? 0) - 0.0784) < 1e-12)
}

@Test("Always predicting 1 on the adding problem scores about the baseline MSE 1/6")
func addingBaselineIsMeasured() {
    let task = TrainingTask(kind: .adding, length: 10)
    var g = SeededGenerator(seed: 8)
    let s: Sample<Double> = task.batch(size: 20_000, generator: &g)
    guard case .values(let v) = s.targets else {
        Issue.record("the adding problem has values as targets")
        return
    }
    let mse = (0..<20_000).map { b in (v[9][b, 0] - 1) * (v[9][b, 0] - 1) }.reduce(0, +) / 20_000
    #expect(abs(mse - 1.0 / 6) < 0.005)
}

@Test(
    "Copy memory: 10 symbols, T blanks (the last the delimiter), then the symbols again as targets; baseline 10 ln 8/(T+20)"
)
func copyMemory() {
    let task = TrainingTask(kind: .copyMemory, length: 7)
    var g = SeededGenerator(seed: 2)
    let s: Sample<Double> = task.batch(size: 3, generator: &g)
    #expect(s.steps == 27)
    guard case .classes(let c) = s.targets else {
        Issue.record("copy memory has classes")
        return
    }
    for b in 0..<3 {
        let read = s.inputs.map { m in (0..<10).first { m[b, $0] == 1 } ?? -1 }
        #expect(read[0..<10].allSatisfy { (1...8).contains($0) })
        #expect(read[10..<16].allSatisfy { $0 == 0 } && read[16] == 9 && read[17...].allSatisfy { $0 == 0 })
        #expect(Array(c[17..<27].map { $0[b] }) == Array(read[0..<10]))
        #expect(c[0..<17].allSatisfy { $0[b] == 0 })
    }
    #expect(abs(task.baselineLoss - 10 * log(8.0) / 27) < 1e-15)
}

@Test("Temporal order: B first, E last, X or Y at two places, the class their order")
func temporalOrder() {
    let task = TrainingTask(kind: .temporalOrder, length: 30)
    var g = SeededGenerator(seed: 5)
    let s: Sample<Double> = task.batch(size: 20, generator: &g)
    guard case .classes(let c) = s.targets else {
        Issue.record("temporal order has classes as targets")
        return
    }
    for b in 0..<20 {
        let read = s.inputs.map { m in (0..<8).first { m[b, $0] == 1 } ?? -1 }
        #expect(read.first == 6 && read.last == 7)
        let marks = read.enumerated().filter { $0.element == 4 || $0.element == 5 }
        #expect(marks.count == 2)
        #expect(c[29][b] == 2 * (marks[0].element - 4) + (marks[1].element - 4))
    }
}

@Test("Year extraction reads a sentence and answers its year's digits at the four ? steps")
func yearExtraction() {
    let task = TrainingTask(kind: .yearExtraction)
    var g = SeededGenerator(seed: 5)
    let s: Sample<Double> = task.batch(size: 4, generator: &g)
    guard case .classes(let c) = s.targets else {
        Issue.record("year extraction has classes as targets")
        return
    }
    for b in 0..<4 {
        let text = String(s.inputs.map { m in YearSentences.alphabet[(0..<m.cols).first { m[b, $0] == 1 } ?? 0] })
        #expect(text.hasSuffix("????"))
        let digits = (32..<36).map { String(c[$0][b]) }.joined()
        #expect(text.contains(digits) && (1900...2029).contains(Int(digits) ?? 0), "\(text) → \(digits)")
    }
    #expect(task.lossSteps == .only([32, 33, 34, 35]))
    // Digits 1 and 2 have 2 values (100:30), digit 3 has 13 values, digit 4 is uniform over 10.
    let h12 = -(100.0 / 130 * log(100.0 / 130) + 30.0 / 130 * log(30.0 / 130))
    let h3 = -(3 * 20.0 / 130 * log(20.0 / 130) + 7 * 10.0 / 130 * log(10.0 / 130))
    #expect(abs(task.baselineLoss - (2 * h12 + h3 + log(10.0)) / 4) < 1e-12)
}

@Test("The character task reads the text and predicts the next character")
func characters() {
    let corpus = CharacterCorpus.shared
    #expect(corpus.text.count > 4000 && corpus.alphabet.count < 50 && corpus.alphabet.first == " ")
    let task = TrainingTask(kind: .characters, length: 20)
    var g = SeededGenerator(seed: 1)
    let s: Sample<Double> = task.batch(size: 2, generator: &g)
    guard case .classes(let c) = s.targets else {
        Issue.record("the character task has classes as targets")
        return
    }
    for b in 0..<2 {
        let read = s.inputs.map { m in (0..<m.cols).first { m[b, $0] == 1 } ?? -1 }
        #expect(Array(read.dropFirst()) == c.dropLast().map { $0[b] })
    }
    #expect(task.baselineLoss > 2.5 && task.baselineLoss < 3.2)
    #expect(abs((task.baselineAccuracy ?? 0) - (corpus.frequencies.max() ?? 0)) < 1e-15)
}

@Test("Task lengths outside the range are problems, not traps")
func taskLengthProblems() {
    #expect(TrainingTask(kind: .adding, length: 1).problems.count == 1)
    #expect(TrainingTask(kind: .yearExtraction, length: 10).problems.first?.contains("from 32") == true)
    #expect(TrainingTask(kind: .characters, length: 1_000_000).problems.count == 1)
}

@Test("Settings made invalid between iterations are an error from step, not a trap")
func invalidSettingsThrow() throws {
    let task = TrainingTask(kind: .adding, length: 5)
    var trainer = Trainer(
        model: Model<Double>(spec: task.spec(cell: .rnn, hiddenSize: 2), seed: 1), task: task,
        settings: TrainingSettings(), seed: 1)
    trainer.settings.batchSize = 0
    trainer.settings.learningRate = -1
    #expect(
        throws: TrainingError(problems: [
            "the learning rate must be greater than 0 and at most 100, found -1.0",
            "the batch size must be from 1 to 4096, found 0"
        ])
    ) { try trainer.step() }
    #expect(trainer.history.isEmpty)
}
