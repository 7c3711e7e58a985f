import Foundation
import Testing
import UnrollEngine
import UnrollTraining

@testable import UnrollLessons

@Test("A training scenario reads its task, optimizer, clipping, truncation, batches and seed")
func trainingScenarioReads() throws {
    let yaml = """
        title: Adding
        model: {cell: gru, hidden_size: 8}
        training:
          task: adding
          length: 20
          optimizer: sgd
          momentum: 0.9
          learning_rate: 0.05
          clipping: {value: 0.5}
          truncation: 10
          batch_size: 16
          iterations: 300
          seed: 4
        """
    let lesson = try Lesson(scenario: yaml, path: "a.yaml")
    let plan = try #require(lesson.training)
    #expect(plan.task == TrainingTask(kind: .adding, length: 20))
    #expect(
        plan.settings
            == TrainingSettings(
                optimizer: .sgd(momentum: 0.9), learningRate: 0.05, clipping: .value(0.5),
                truncation: 10, batchSize: 16, iterations: 300))
    #expect(plan.seed == 4)
    #expect(lesson.configuration == .manyToOne && lesson.spec.inputSize == 2 && lesson.spec.outputSize == 1)
    #expect(lesson.options.truncation == 10 && lesson.options.lossSteps == .last)
    let run = lesson.materialize(as: Double.self)
    #expect(run.sample.steps == 20 && run.inputLabels.count == 20 && run.targetLabels.last??.isEmpty == false)
    let trainer: Trainer<Double> = try #require(lesson.trainer())
    #expect(trainer.model == run.model && trainer.example == run.sample)
    #expect(try Lesson(scenario: lesson.scenarioYAML, path: "a.yaml") == lesson)
}

/// Training scenarios with a problem, and the report each gets.
private let badTraining: [(String, String)] = [
    (
        "title: x\ntraining: {task: addition}\n",
        "x.yaml:2:18: training.task must be one of adding, copy-memory, temporal-order, noisy-sine, year-extraction, characters, found addition"
    ),
    (
        "title: x\ntraining: {task: adding, length: 1}\n",
        "x.yaml:2:34: training.length must be an integer from 2 to 10000, found 1"
    ),
    (
        "title: x\ntraining: {task: adding, optimizer: adam, momentum: 0.9}\n",
        "x.yaml:2:43: momentum does not apply to adam; it takes beta1, beta2, epsilon"
    ),
    (
        "title: x\ntraining: {task: adding, learning_rate: 0}\n",
        "x.yaml:2:41: training.learning_rate must be a number greater than 0 and at most 100, found 0"
    ),
    (
        "title: x\ntraining: {task: adding, optimizer: lbfgs}\n",
        "x.yaml:2:37: training.optimizer must be one of sgd, rmsprop, adam, found lbfgs"
    ),
    (
        "title: x\ntraining: {task: adding}\ninput: {tokens: a b}\n",
        "x.yaml:3:1: input is set by the training task; remove it (clipping and truncation go in training)"
    ),
    (
        "title: x\nmodel: {configuration: many-to-many}\ntraining: {task: adding}\n",
        "x.yaml:2:24: configuration is set by the adding task (many-to-one); remove it"
    ),
    (
        "title: x\ntraining: {length: 3}\n",
        "x.yaml:2:11: missing key 'task' in training (one of adding, copy-memory, temporal-order, noisy-sine, year-extraction, characters)"
    ),
    (
        "title: x\ntraining: {task: adding, batch_size: 0}\n",
        "x.yaml:2:38: training.batch_size must be an integer from 1 to 4096, found 0"
    ),
    (
        "title: x\ntraining: {task: adding}\nweights: nowhere.safetensors\n",
        "x.yaml:3:10: weights: no such file nowhere.safetensors (a path relative to the scenario's folder)"
    )
]

@Test("A bad training section gets an exact file:line:column report", arguments: badTraining)
func badTrainingScenario(_ yaml: String, _ report: String) {
    #expect(throws: ScenarioError.self) { try Lesson(scenario: yaml, path: "x.yaml") }
    do { _ = try Lesson(scenario: yaml, path: "x.yaml") } catch { #expect("\(error)" == report) }
}

@Test("Weights named by a scenario are loaded relative to it, and must fit the model")
func scenarioWeights() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("unroll-weights-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let task = TrainingTask(kind: .adding, length: 10)
    var model = Model<Double>(spec: task.spec(cell: .lstm, hiddenSize: 3), seed: 42)
    model.values[0].storage[0] = 0.123
    try Data(model.weights().encoded(dtype: "F64")).write(to: folder.appendingPathComponent("w.safetensors"))
    let scenario = folder.appendingPathComponent("s.yaml")
    try "title: x\nmodel: {cell: lstm, hidden_size: 3}\ntraining: {task: adding, length: 10}\nweights: w.safetensors\n"
        .write(to: scenario, atomically: true, encoding: .utf8)
    let lesson = try Lesson.load(contentsOf: scenario.path)
    #expect(lesson.materialize(as: Double.self).model == model)
    #expect(lesson.trainer(as: Double.self)?.model == model)
    try "title: x\nmodel: {cell: gru, hidden_size: 3}\ntraining: {task: adding, length: 10}\nweights: w.safetensors\n"
        .write(to: scenario, atomically: true, encoding: .utf8)
    do {
        _ = try Lesson.load(contentsOf: scenario.path)
        Issue.record("a GRU loaded LSTM weights")
    } catch {
        #expect(
            "\(error)".contains("s.yaml:4:10: the weights do not fit the model: missing tensor")
                || "\(error)".contains("has shape"), "\(error)")
    }
}

@Test(
    "Every built-in training lesson runs one iteration and its example", arguments: Lesson.trainingLessons.map(\.name))
func builtinTrainingLesson(_ name: String) throws {
    let lesson = try #require(Lesson.builtin(named: name))
    #expect(lesson.problems.isEmpty)
    var trainer = try #require(lesson.trainer(as: Double.self))
    let r = try trainer.step()
    #expect(r.loss.isFinite && r.loss > 0)
    let (_, trace) = try lesson.trace()
    #expect(trace.columns == lesson.training?.task.steps)
}
