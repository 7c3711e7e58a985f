/// The two phases of a lesson's step-through.
public enum Phase: String, Codable, CaseIterable, Sendable {
    /// Forward: each step reveals the next column.
    case forward
    /// Backward through time: gradients flow from the last step to the first.
    case backward
}

/// A short narration tied to one step of one phase.
public struct Caption: Codable, Sendable, Equatable {
    /// The phase it belongs to.
    public var phase: Phase
    /// The column (0-based time step) it belongs to.
    public var step: Int
    /// What the teacher would say at this step.
    public var text: String
    /// A question the class answers before the timeline goes on (predict-then-reveal), or nil.
    public var question: Question?
    /// The input it belongs to (``Lesson/input(_:)``): nil or 0, the lesson's own sentence; k, its held-out input k
    /// (a scenario's `input: k + 1`). It is shown only while that input is (the `i` key).
    public var input: Int?

    /// A caption for `step` of `phase`, with an optional question, for input `input` (nil: the lesson's sentence).
    public init(_ phase: Phase, _ step: Int, _ text: String, question: Question? = nil, input: Int? = nil) {
        self.phase = phase
        self.step = step
        self.text = text
        self.question = question
        self.input = input
    }

    /// The input it belongs to: 0 for the lesson's own sentence, k for held-out input k.
    public var inputIndex: Int { input ?? 0 }
}

/// A predict-then-reveal question: the class commits to one of 2–4 choices before the screen shows the answer.
public struct Question: Codable, Sendable, Equatable {
    /// The question.
    public var text: String
    /// The choices, 2 to 4, answered with the keys 1–4.
    public var choices: [String]
    /// The right choice, 0-based (written 1-based in a scenario).
    public var answer: Int
    /// Why the right choice is right, shown once the question is answered.
    public var why: String
    /// What on screen would give the answer away: the panels mask it until the question is answered or revealed.
    public var reveals: QuestionReveal

    /// The fewest and most choices a question may have.
    public static let choiceRange = 2...4

    /// A question; `answer` is 0-based.
    public init(_ text: String, choices: [String], answer: Int, why: String, reveals: QuestionReveal) {
        self.text = text
        self.choices = choices
        self.answer = answer
        self.why = why
        self.reveals = reveals
    }
}

/// What a question asks about, so that the screen keeps it hidden until the question is answered or revealed
/// (a scenario's `reveals:`).
public enum QuestionReveal: String, Codable, CaseIterable, Sendable {
    /// The gradients: every ∂L/∂h and ∂L/∂c and their norms (the gradient panel's bars, bound, bottom line and
    /// axis ends; the inspector's gradient columns; the equations' backward numbers; the presenter's digits;
    /// the graph's gradient colours).
    case gradient
    /// The forward values of a later column, which the timeline shows only once it reaches that column.
    case forward
    /// The parameter count (the header's).
    case parameters
}
