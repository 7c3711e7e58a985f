import UnrollEngine

/// A training lesson's fixed example unrolled with a model's weights at one iteration:
/// what the training view draws as a graph and as per-step gradient norms.
public struct TrainingExample: Sendable {
    /// The lesson being trained (its names, captions and display settings).
    public var lesson: Lesson
    /// The model with the weights of that iteration, the example and its labels.
    public var run: LessonRun<Double>
    /// The forward and backward pass of `run`.
    public var trace: Trace<Double>

    /// An example from a pass already computed.
    public init(lesson: Lesson, run: LessonRun<Double>, trace: Trace<Double>) {
        self.lesson = lesson
        self.run = run
        self.trace = trace
    }
}
