import UnrollEngine
import UnrollTraining

extension Lesson {
    /// This character model (training: {task: characters}, with its weights) stepping through `text`: what
    /// `unroll open … --text` and the training view's `o` open. Step t reads character t and predicts t + 1; the
    /// captions are dropped (they speak of the lesson's own example).
    /// - Parameter name: what gave the text, leading a refusal (`--text`, `o`).
    /// - Returns: the lesson, and how many characters outside the vocabulary were read as its unknown symbol.
    /// - Throws: ``PromptError`` when the lesson is no character model or the text is refused (see
    ///   ``CharacterText/prompt(_:alphabet:name:)``).
    public func reading(_ text: String, name: String) throws(PromptError) -> (lesson: Lesson, unknown: Int) {
        guard var plan = training, plan.task.kind == .characters else {
            throw PromptError(message: "\(name): '\(ScenarioText.clean(self.name))' is not a character model")
        }
        let read = try CharacterText.prompt(text, alphabet: plan.task.corpus.alphabet, name: name)
        var lesson = self
        plan.task = plan.task.reading(read.classes)
        lesson.training = plan
        lesson.captions = []
        lesson.summary =
            "your text, \(read.classes.count) characters: each step reads one and predicts the next"
            + Self.unknownNote(read.unknown) + "; . and , choose the unit the line under the text shows"
        return (lesson, read.unknown)
    }

    /// "; 2 characters outside the vocabulary read as �", or "" when there are none.
    public static func unknownNote(_ unknown: Int) -> String {
        unknown == 0
            ? ""
            : "; \(unknown) character\(unknown == 1 ? "" : "s") outside the vocabulary read as \(CharacterCorpus.unknown)"
    }
}

extension TrainingExample {
    /// The step-through of this example's weights reading `text` (the training view's `o`): the trained lesson with
    /// the weights of iteration `iteration` as its `weights:` (a copy, taken when the example was computed, between
    /// two iterations), as `unroll open W.safetensors --text` would show them saved at that iteration.
    /// - Throws: ``PromptError`` when the text is refused.
    public func stepThrough(reading text: String, iteration: Int) throws(PromptError) -> Lesson {
        var trained = lesson
        trained.weights = LessonWeights(path: "iteration \(iteration)", file: run.model.weights())
        var read = try trained.reading(text, name: "o").lesson
        read.title = "\(lesson.title), iteration \(iteration), reading your text"
        return read
    }
}
