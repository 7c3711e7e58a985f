/// What one training iteration measured, on the mini-batch of whole sequences it trained on
/// (before its update; with truncated BPTT, each chunk before its own update).
public struct IterationRecord: Sendable, Equatable {
    /// 1 for the first iteration.
    public var iteration: Int
    /// The loss, averaged over the loss steps and the batch (the units of `TrainingTask.baselineLoss`).
    public var loss: Double
    /// The task's accuracy on the batch; nil where it has no meaning.
    public var accuracy: Double?
    /// Global norm of the parameter gradients before clipping (with truncation, the largest over the chunks' updates).
    public var gradientNormBefore: Double
    /// Global norm after clipping, the one the update used (with truncation, the largest over the chunks' updates).
    public var gradientNormAfter: Double
    /// The learning rate of the update.
    public var learningRate: Double
    /// Seconds spent in iterations so far, this one included (time paused between iterations does not count).
    public var seconds: Double
    /// Parameter updates the iteration made: 1 with full BPTT; with truncated BPTT one per chunk
    /// that takes a loss (a sequence of T steps in chunks of k: ⌈T/k⌉ for a loss at every step).
    public var updates: Int

    /// A record.
    public init(
        iteration: Int, loss: Double, accuracy: Double?, gradientNormBefore: Double, gradientNormAfter: Double,
        learningRate: Double, seconds: Double, updates: Int = 1
    ) {
        self.iteration = iteration
        self.loss = loss
        self.accuracy = accuracy
        self.gradientNormBefore = gradientNormBefore
        self.gradientNormAfter = gradientNormAfter
        self.learningRate = learningRate
        self.seconds = seconds
        self.updates = updates
    }

    /// The CSV header of `csvRow`.
    public static let csvHeader =
        "iteration,loss,accuracy,gradient_norm_before,gradient_norm_after,learning_rate,seconds,updates"

    /// One CSV row: numbers with full precision, an empty field for no accuracy.
    public var csvRow: String {
        [
            String(iteration), "\(loss)", accuracy.map { "\($0)" } ?? "", "\(gradientNormBefore)",
            "\(gradientNormAfter)",
            "\(learningRate)", "\(seconds)", String(updates)
        ].joined(separator: ",")
    }
}
