import ArgumentParser
import UnrollEngine

/// `--cell rnn|lstm|gru`: the raw values, listed with what they are by `--help`, the man page and the
/// completion scripts.
extension CellKind: ExpressibleByArgument {
    public static var allValueDescriptions: [String: String] {
        [
            CellKind.rnn.rawValue: "Elman RNN.", CellKind.lstm.rawValue: "Long short-term memory.",
            CellKind.gru.rawValue: "Gated recurrent unit."
        ]
    }
}
