import ArgumentParser
import UnrollEngine

/// `--cell rnn|lstm|gru`: the raw values, listed by `--help` and the completion scripts.
extension CellKind: ExpressibleByArgument {}
