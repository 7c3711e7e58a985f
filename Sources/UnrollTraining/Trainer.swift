import Foundation
import UnrollEngine

/// Trains a model on a task, one mini-batch per iteration, keeping the history.
///
/// The loss it minimises and reports is the engine's loss divided by the number of loss steps:
/// the mean over steps and batch, as PyTorch's loss on the flattened sequence, so it compares
/// with `TrainingTask.baselineLoss` and a learning rate means what it means in PyTorch.
public struct Trainer<T: EngineScalar>: Sendable {
    /// The model being trained.
    public var model: Model<T>
    /// The task.
    public let task: TrainingTask
    /// The settings; learning rate and clipping may change between iterations.
    public var settings: TrainingSettings
    /// One record per iteration taken.
    public private(set) var history: [IterationRecord] = []
    /// One fixed example (batch of 1) to show unrolled; drawn once from the seed.
    public let example: Sample<T>
    /// The optimizer's buffers.
    public private(set) var state = OptimizerState<T>()
    /// Draws the mini-batches.
    private var generator: SeededGenerator
    /// Seconds spent in `step` so far.
    private var elapsed: Double = 0

    /// A trainer of `model` on `task`; `seed` fixes the example and the stream of mini-batches.
    /// - Precondition: `task.problems` is empty.
    public init(model: Model<T>, task: TrainingTask, settings: TrainingSettings, seed: UInt64) {
        self.model = model
        self.task = task
        self.settings = settings
        var exampleGenerator = SeededGenerator(seed: seed ^ 0xE8A3_F1C5_0D2B_7A69)
        self.example = task.example(generator: &exampleGenerator)
        self.generator = SeededGenerator(seed: seed)
    }

    /// The options of a full `Engine.run` on the example: the task's loss and loss steps,
    /// the settings' truncation and clipping. (`Engine.run` reports the loss summed over the loss steps.)
    public var runOptions: RunOptions {
        task.runOptions(truncation: settings.truncation, clipping: settings.clipping)
    }

    /// Every reason training cannot start; empty when it can.
    public var problems: [String] {
        task.problems + settings.problems
            + (model.spec.inputSize == task.inputSize && model.spec.outputSize == task.outputSize
                && model.spec.configuration == task.configuration
                ? []
                : [
                    "the model does not fit the \(task.kind.rawValue) task: it needs "
                        + "input size \(task.inputSize), output size \(task.outputSize) and \(task.configuration.rawValue)"
                ])
    }

    /// One iteration: a fresh mini-batch of whole sequences, forward and backward, clipping, and
    /// one update; with `settings.truncation` k, truncated BPTT as practised: one update per chunk.
    ///
    /// Truncated, the sequences are cut into chunks of k steps. Each chunk runs forward from the
    /// state the previous chunk ended with (a value: no gradient reaches back through it), with the
    /// weights as updated by the previous chunk; its gradient is that of its own mean loss (over
    /// its loss steps and the batch), clipped, and makes one update. A chunk with no loss step
    /// (many-to-one) only carries the state on. The record's loss is the mean over every loss step
    /// of the sequences, each measured by its chunk before that chunk's update; its gradient norms
    /// are the largest over the updates; `updates` counts them.
    /// - Throws: `TrainingError` when `problems` finds any (settings changed to something
    ///   invalid, say); `EngineError` when the engine refuses the model, batch or options.
    /// - Complexity: one forward and backward pass over the batch, and O(parameters) per update.
    @discardableResult
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public mutating func step() throws -> IterationRecord {
        let problems = problems
        guard problems.isEmpty else { throw TrainingError(problems: problems) }
        let start = ContinuousClock.now
        let batch: Sample<T> = task.batch(size: settings.batchSize, generator: &generator)
        var options = runOptions
        options.clipping = .none
        let lossSteps = (options.lossSteps ?? (model.spec.configuration == .manyToOne ? .last : .all)).resolve(
            steps: batch.steps)
        let k = settings.truncation ?? batch.steps
        let learningRate = settings.learningRate
        var lossSum = 0.0, before = 0.0, after = 0.0, updates = 0
        var outputs: [Matrix<T>?] = []
        var carried: [String: CarriedState<T>] = [:]
        for lower in stride(from: 0, to: batch.steps, by: max(1, k)) {
            let range = lower..<min(batch.steps, lower + max(1, k))
            let chunk = settings.truncation == nil ? batch : batch.chunk(range, carrying: carried)
            let local = lossSteps.filter(range.contains).map { $0 - lower }
            guard !local.isEmpty || settings.truncation == nil else {
                carried = try Engine.carry(model: model, sample: chunk, options: options)
                outputs += Array(repeating: nil, count: range.count)
                continue
            }
            var chunkOptions = options
            if settings.truncation != nil { chunkOptions.lossSteps = .only(local) }
            let result = try Engine.gradients(model: model, sample: chunk, options: chunkOptions)
            let report = state.apply(
                summed: result.gradients, scale: T(1) / T(local.count), to: &model.values,
                settings: settings, learningRate: learningRate)
            lossSum += Double(result.loss)
            before = max(before, report.normBefore)
            after = max(after, report.normAfter)
            updates += 1
            outputs += result.outputs
            carried = result.carried
        }
        elapsed += (ContinuousClock.now - start) / .seconds(1)
        let record = IterationRecord(
            iteration: history.count + 1, loss: lossSum / Double(max(1, lossSteps.count)),
            accuracy: task.accuracy(outputs: outputs, sample: batch),
            gradientNormBefore: before, gradientNormAfter: after,
            learningRate: learningRate, seconds: elapsed, updates: updates)
        history.append(record)
        return record
    }

    /// The mean loss and accuracy over `batches` fresh batches of the settings' size, drawn from
    /// `seed` (not the training stream), without training; for a text of one's own, from its
    /// held-out last tenth (the held-out loss).
    public func evaluate(batches: Int = 4, seed: UInt64 = 0xEFA1) throws -> (loss: Double, accuracy: Double?) {
        guard problems.isEmpty else { throw TrainingError(problems: problems) }
        var g = SeededGenerator(seed: seed)
        var loss = 0.0, acc = 0.0, hasAccuracy = true
        var options = runOptions
        options.clipping = .none
        let n = Double(max(1, options.lossSteps?.resolve(steps: task.steps).count ?? 1))
        for _ in 0..<max(1, batches) {
            let batch: Sample<T> = task.batch(size: settings.batchSize, generator: &g, heldOut: true)
            let r = try Engine.gradients(model: model, sample: batch, options: options)
            loss += Double(r.loss) / n
            if let a = task.accuracy(outputs: r.outputs, sample: batch) { acc += a } else { hasAccuracy = false }
        }
        let k = Double(max(1, batches))
        return (loss / k, hasAccuracy ? acc / k : nil)
    }
}
