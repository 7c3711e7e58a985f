/// What one training iteration measured, on the mini-batch it trained on (before its update).
public struct IterationRecord: Sendable, Equatable {
    /// 1 for the first iteration.
    public var iteration: Int
    /// The loss, averaged over the loss steps and the batch (the units of `TrainingTask.baselineLoss`).
    public var loss: Double
    /// The task's accuracy on the batch; nil where it has no meaning.
    public var accuracy: Double?
    /// Global norm of the parameter gradients before clipping.
    public var gradientNormBefore: Double
    /// Global norm after clipping (the one the update used).
    public var gradientNormAfter: Double
    /// The learning rate of the update.
    public var learningRate: Double
    /// Seconds spent in iterations so far, this one included (time paused between iterations does not count).
    public var seconds: Double

    /// A record.
    public init(iteration: Int, loss: Double, accuracy: Double?, gradientNormBefore: Double, gradientNormAfter: Double,
                learningRate: Double, seconds: Double) {
        self.iteration = iteration
        self.loss = loss
        self.accuracy = accuracy
        self.gradientNormBefore = gradientNormBefore
        self.gradientNormAfter = gradientNormAfter
        self.learningRate = learningRate
        self.seconds = seconds
    }

    /// The CSV header of `csvRow`.
    public static let csvHeader = "iteration,loss,accuracy,gradient_norm_before,gradient_norm_after,learning_rate,seconds"

    /// One CSV row: numbers with full precision, an empty field for no accuracy.
    public var csvRow: String {
        [String(iteration), "\(loss)", accuracy.map { "\($0)" } ?? "", "\(gradientNormBefore)", "\(gradientNormAfter)",
         "\(learningRate)", "\(seconds)"].joined(separator: ",")
    }
}
