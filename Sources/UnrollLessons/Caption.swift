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

    /// A caption for `step` of `phase`.
    public init(_ phase: Phase, _ step: Int, _ text: String) {
        self.phase = phase
        self.step = step
        self.text = text
    }
}
