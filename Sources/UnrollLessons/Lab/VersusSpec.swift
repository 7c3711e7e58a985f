import UnrollEngine

/// What `unroll lesson NAME --versus SPEC` puts beside the lesson: a change of its model, or another lesson.
///
/// A cell (`rnn`, `lstm`, `gru`), an Elman activation (`tanh`, `sigmoid`, `relu`, `identity`), `skip=K` or
/// `noskip` changes the lesson's own model, on the same tokens and seed; any other text names a built-in
/// lesson or a scenario file, which the command resolves.
public enum VersusSpec: Sendable, Equatable {
    /// The lesson with this cell.
    case cell(CellKind)
    /// The lesson with this Elman activation.
    case activation(Activation)
    /// The lesson with skip connections of this length (K ≥ 2), or none (nil).
    case skip(Int?)
    /// Another lesson: a built-in name or a scenario file.
    case lesson(String)

    /// Parses a spec; `skip=` with anything but a whole number from 2 up is refused.
    /// - Throws: ``VersusSpecError`` with a sentence naming what is accepted.
    public init(parsing text: String) throws {
        let t = text.lowercased()
        if let c = CellKind(rawValue: t) {
            self = .cell(c)
        } else if let a = Activation(rawValue: t) {
            self = .activation(a)
        } else if t == "noskip" {
            self = .skip(nil)
        } else if t.hasPrefix("skip=") {
            guard let k = Int(t.dropFirst(5)), k >= 2 else {
                throw VersusSpecError(message: "'\(text)': skip=K needs a whole number K of at least 2, e.g. skip=3")
            }
            self = .skip(k)
        } else if text.isEmpty || t == "skip" {
            throw VersusSpecError(message: "'\(text)' is not a spec; use \(Self.forms)")
        } else {
            self = .lesson(text)
        }
    }

    /// The accepted forms, for messages and help.
    public static let forms = "rnn|lstm|gru, tanh|sigmoid|relu|identity, skip=K, noskip, or a lesson or scenario file"

    /// The lesson changed by this spec, as a key would change it (``Lab/current``: an LSTM gets forget-gate
    /// bias 1, trained weights are dropped once the model changes); nil for `.lesson`, which the caller resolves.
    public func applied(to lesson: Lesson) -> Lesson? {
        var lab = Lab(lesson: lesson)
        switch self {
        case .cell(let c): lab.settings.cell = c
        case .skip(let k): lab.settings.skip = k
        case .activation(let a):
            var l = lesson
            l.architecture.activation = a
            if a != lesson.architecture.activation { l.weights = nil }
            return l
        case .lesson: return nil
        }
        return lab.current
    }
}

/// A `--versus` spec that cannot be read.
public struct VersusSpecError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The sentence to print.
    public var message: String
    /// An error saying `message`.
    public init(message: String) { self.message = message }
    /// The sentence.
    public var description: String { message }
}
