import UnrollTraining

/// A training run's loss "now": the mean over its last iterations, because one mini-batch's loss is noisy.
/// The training view's figures and `unroll train`'s progress lines and summary both report it.
public struct RecentLoss: Sendable, Equatable {
    /// The mean loss of the last ``count`` iterations.
    public var loss: Double
    /// The mean accuracy of those of them that have one, or nil when none has (a task without accuracy).
    public var accuracy: Double?
    /// How many iterations were averaged: ``window(_:)`` of the history's length.
    public var count: Int

    /// How many of the last of `iterations` are averaged: a tenth of them plus one, at most 50
    /// (1 of the first 9, 2 of 10 to 19, …, 50 from 490 on), so that early on the mean follows the fall.
    public static func window(_ iterations: Int) -> Int { max(1, min(50, iterations / 10 + 1)) }

    /// The recent loss of a history, oldest first, or nil when it is empty.
    /// - Complexity: O(``window(_:)``) for a random-access history.
    public init?<History: BidirectionalCollection>(
        _ history: History, loss: (History.Element) -> Double,
        accuracy: (History.Element) -> Double?
    ) {
        guard !history.isEmpty else { return nil }
        let recent = history.suffix(Self.window(history.count))
        count = recent.count
        self.loss = recent.map(loss).reduce(0, +) / Double(count)
        let accuracies = recent.compactMap(accuracy)
        self.accuracy = accuracies.isEmpty ? nil : accuracies.reduce(0, +) / Double(accuracies.count)
    }

    /// The recent loss of a training view's history (``TrainingSnapshot/Run/points``), or nil when it is empty.
    public init?(_ points: [TrainingSnapshot.Point]) {
        self.init(points, loss: \.loss, accuracy: \.accuracy)
    }

    /// The recent loss of a trainer's history (`Trainer.history`), or nil when it is empty.
    public init?(_ history: [IterationRecord]) {
        self.init(history, loss: \.loss, accuracy: \.accuracy)
    }
}
