/// The generated training tasks, by the name used in scenarios and on the command line.
public enum TaskKind: String, CaseIterable, Codable, Sendable {
    /// The adding problem (Hochreiter & Schmidhuber 1997): sum the two marked values of a sequence.
    case adding
    /// The copy-memory task (Arjovsky, Shah & Bengio 2016): repeat 10 symbols after T blanks.
    case copyMemory = "copy-memory"
    /// The temporal-order task (Hochreiter & Schmidhuber 1997): the order of two widely separated symbols.
    case temporalOrder = "temporal-order"
    /// Next-value prediction of a sine wave with noise.
    case noisySine = "noisy-sine"
    /// Reading the year's digits out of a sentence ("I went to Nepal in 1999").
    case yearExtraction = "year-extraction"
    /// Character-level language modelling on a shipped public-domain text.
    case characters

    /// The sequence length used when a scenario gives none.
    public var defaultLength: Int {
        switch self {
        case .adding: return 50
        case .copyMemory: return 20
        case .temporalOrder: return 100
        case .noisySine: return 50
        case .yearExtraction: return 36
        case .characters: return 50
        }
    }

    /// The shortest length the task can be generated at.
    public var minimumLength: Int {
        switch self {
        case .adding: return 2
        case .copyMemory: return 1
        case .temporalOrder: return 10
        case .noisySine: return 1
        case .yearExtraction: return YearSentences.longest + YearSentences.digits
        case .characters: return 1
        }
    }

    /// The longest length the task is generated at.
    public var maximumLength: Int {
        switch self {
        case .characters: return min(10_000, CharacterCorpus.shared.classes.count - 1)
        default: return 10_000
        }
    }
}
