import ArgumentParser

/// An option's value from a fixed set of choices. `--help` and the completion scripts list `Value`'s choices,
/// as for an option of type `Value`; but an argument that names none is kept, not refused by the parser, so
/// that the command's `validate()` refuses it in the project's words (exit 2, like every bad input).
struct Choice<Value: ExpressibleByArgument & CaseIterable & Sendable>: ExpressibleByArgument, Sendable {
    /// The chosen value; for a `rejected` argument, a placeholder that `validate()` never lets `run()` see.
    let value: Value
    /// The argument when it names no choice.
    let rejected: String?

    /// A valid choice, as a default.
    init(_ value: Value) {
        self.value = value
        rejected = nil
    }

    init?(argument: String) {
        let parsed = Value(argument: argument)
        guard let value = parsed ?? Value.allCases.first else { return nil }
        self.value = value
        rejected = parsed == nil ? argument : nil
    }

    var defaultValueDescription: String { value.defaultValueDescription }
    static var allValueStrings: [String] { Value.allValueStrings }
    static var allValueDescriptions: [String: String] { Value.allValueDescriptions }
    static var defaultCompletionKind: CompletionKind { Value.defaultCompletionKind }

    /// The choices for a message: "json or csv", "rnn, lstm or gru".
    static var list: String {
        let all = Value.allValueStrings
        guard let last = all.last, all.count > 1 else { return all.joined() }
        return all.dropLast().joined(separator: ", ") + " or " + last
    }
}
