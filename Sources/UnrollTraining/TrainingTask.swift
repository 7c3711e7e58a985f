import Foundation
import UnrollEngine

/// A generated training task with its settings: what the model reads, what it must answer,
/// how the answer is scored, and what a model without memory would score.
public struct TrainingTask: Sendable, Equatable {
    /// Which task.
    public var kind: TaskKind
    /// T: for copy memory the number of blanks between the symbols and the delimiter
    /// (sequences are T + 20 steps); for the others the number of steps.
    public var length: Int
    /// The standard deviation of the noise of the noisy sine.
    public var noise: Double = 0.1
    /// The text of the characters task when it is not the shipped *Alice* (a text of one's own).
    public var text: CharacterCorpus? = nil

    /// The text the characters task reads: `text`, else the shipped *Alice*.
    public var corpus: CharacterCorpus { text ?? .shared }
    /// A text of one's own that the step-through reads with trained weights (`unroll open … --text`), as classes of
    /// `corpus`'s alphabet, in place of the example drawn from the seed: step t reads character t and predicts
    /// character t + 1, so n characters unroll to n − 1 steps (`reading(_:)` sets `length`). nil: the drawn example.
    public var prompt: [UInt8]? = nil

    /// The most characters a step-through text (`prompt`) may have: 200, so 199 steps.
    public static let promptLimit = 200

    /// The task stepping through `classes` (``prompt``), `length` set to its steps.
    public func reading(_ classes: [UInt8]) -> TrainingTask {
        var t = self
        t.prompt = classes
        t.length = max(1, classes.count - 1)
        return t
    }

    /// A task; `length` nil takes the kind's default.
    public init(kind: TaskKind, length: Int? = nil) {
        self.kind = kind
        self.length = length ?? kind.defaultLength
    }

    /// Every reason the task cannot be generated; empty when it can.
    public var problems: [String] {
        if let prompt {
            if kind != .characters { return ["a text to step through goes with the characters task only"] }
            if !(2...Self.promptLimit).contains(prompt.count) {
                return ["a text to step through has from 2 to \(Self.promptLimit) characters, found \(prompt.count)"]
            }
            if prompt.contains(where: { Int($0) >= corpus.alphabet.count }) || length != prompt.count - 1 {
                return ["the text to step through does not fit the vocabulary of \(corpus.alphabet.count) characters"]
            }
            return []
        }
        let range = lengthRange
        return range.contains(length)
            ? []
            : [
                "the \(kind.rawValue) task's length must be from \(range.lowerBound) to \(range.upperBound), found \(length)"
            ]
    }

    /// The lengths the task can be generated at: for a text of one's own, windows must fit in the
    /// held-out tenth too.
    public var lengthRange: ClosedRange<Int> {
        guard kind == .characters, let text else { return kind.minimumLength...kind.maximumLength }
        return 1...max(1, min(10_000, text.heldOutCount - 1))
    }

    /// Steps of one sequence.
    public var steps: Int { kind == .copyMemory ? length + 20 : length }

    /// A title for headers, e.g. "Adding problem, T = 50".
    public var title: String {
        switch kind {
        case .adding: return "Adding problem, T = \(length)"
        case .copyMemory: return "Copy memory, T = \(length)"
        case .temporalOrder: return "Temporal order, T = \(length)"
        case .noisySine: return "Noisy sine, T = \(length)"
        case .yearExtraction: return "Year extraction, T = \(length)"
        case .characters:
            let name = text?.source.map { $0.split(separator: "/").last.map(String.init) ?? $0 } ?? "Alice"
            return "Characters (\(name)), T = \(length)"
        }
    }

    /// The loss of the best predictor without memory, in the units `Trainer` reports
    /// (the loss averaged over the loss steps and the batch).
    public var baselineLoss: Double {
        switch kind {
        case .adding: return 1.0 / 6
        case .copyMemory: return 10 * Foundation.log(8.0) / Double(length + 20)
        case .temporalOrder: return Foundation.log(4.0)
        case .noisySine: return 0.5 + noise * noise
        case .yearExtraction:
            let h = YearSentences.digitFrequencies.map { row in
                row.reduce(0) { $1 > 0 ? $0 - $1 * Foundation.log($1) : $0 }
            }
            return h.reduce(0, +) / Double(h.count)
        case .characters:
            return corpus.unigramEntropy
        }
    }

    /// One line saying what the baseline is.
    public var baselineLabel: String {
        switch kind {
        case .adding: return "always predict 1 (the mean sum): MSE 1/6"
        case .copyMemory: return "blanks, then a uniform guess among the 8 symbols: 10·ln 8/(T+20)"
        case .temporalOrder: return "a uniform guess among the 4 orders: ln 4"
        case .noisySine: return "always predict 0 (the mean): MSE 1/2 + σ²"
        case .yearExtraction: return "each digit guessed from its frequency among the years 1900–2029"
        case .characters: return "each character guessed from its frequency in the text (unigram)"
        }
    }

    /// The accuracy of the baseline predictor; nil where accuracy has no meaning.
    public var baselineAccuracy: Double? {
        switch kind {
        case .adding: return 2 * Self.addingTolerance - Self.addingTolerance * Self.addingTolerance
        case .copyMemory: return 1.0 / 8
        case .temporalOrder: return 0.25
        case .noisySine: return nil
        case .yearExtraction:
            let best = YearSentences.digitFrequencies.map { $0.max() ?? 0 }
            return best.reduce(0, +) / Double(best.count)
        case .characters: return corpus.frequencies.max()
        }
    }

    /// What accuracy means for this task; nil where it has none.
    public var accuracyLabel: String? {
        switch kind {
        case .adding: return "|ŷ−y| < 0.04"
        case .copyMemory: return "copied symbols right"
        case .temporalOrder: return "orders right"
        case .noisySine: return nil
        case .yearExtraction: return "year digits right"
        case .characters: return "next characters right"
        }
    }

    /// An answer of the adding problem counts as right within this distance (Hochreiter & Schmidhuber).
    static let addingTolerance = 0.04

    /// Features of the input at each step.
    public var inputSize: Int {
        switch kind {
        case .adding: return 2
        case .copyMemory: return 10
        case .temporalOrder: return 8
        case .noisySine: return 1
        case .yearExtraction: return YearSentences.alphabet.count
        case .characters: return corpus.alphabet.count
        }
    }

    /// Features of the output: 1 for regression, else the number of classes.
    public var outputSize: Int {
        switch kind {
        case .adding, .noisySine: return 1
        case .copyMemory, .yearExtraction: return 10
        case .temporalOrder: return 4
        case .characters: return corpus.alphabet.count
        }
    }

    /// The input/output configuration.
    public var configuration: Configuration {
        kind == .adding || kind == .temporalOrder ? .manyToOne : .manyToMany
    }

    /// The loss function.
    public var loss: LossKind { kind == .adding || kind == .noisySine ? .mse : .crossEntropy }

    /// Where the loss is taken: the last step (adding, temporal order), the four digit steps
    /// (year extraction), else every step (copy memory's baseline counts all T + 20 steps).
    public var lossSteps: LossSteps {
        switch kind {
        case .adding, .temporalOrder: return .last
        case .yearExtraction: return .only(Array((length - YearSentences.digits)..<length))
        default: return .all
        }
    }

    /// A model of `cell` with one layer per entry of `hiddenSizes`, its input and output sizes,
    /// configuration and loss fit to the task.
    public func spec(cell: CellKind, hiddenSizes: [Int], activation: Activation = .tanh, skip: Int? = nil) -> ModelSpec
    {
        fit(Architecture(cell: cell, activation: activation, hiddenSizes: hiddenSizes, skip: skip))
    }

    /// A one-layer model of `cell` with `hiddenSize` units fit to the task.
    public func spec(
        cell: CellKind, hiddenSize: Int, layers: Int = 1, activation: Activation = .tanh, skip: Int? = nil
    ) -> ModelSpec {
        spec(cell: cell, hiddenSizes: Array(repeating: hiddenSize, count: layers), activation: activation, skip: skip)
    }

    /// A model of `architecture` with the task's input and output sizes and configuration; no
    /// feedback or conditioning vector (the task supplies neither). Cell, sizes, depth and skips are kept.
    public func fit(_ architecture: Architecture) -> ModelSpec {
        var a = architecture
        a.configuration = configuration
        a.feedback = .none
        a.conditioningSize = nil
        return ModelSpec(architecture: a, inputSize: inputSize, outputSize: outputSize)
    }

    /// The options of a pass on the task: its loss and loss steps, with `truncation` and `clipping`.
    public func runOptions(truncation: Int? = nil, clipping: Clipping = .none) -> RunOptions {
        RunOptions(loss: loss, lossSteps: lossSteps, truncation: truncation, clipping: clipping)
    }
}
