import ArgumentParser
import UnrollUI

/// `--theme standard|projector`: the case names, listed by `--help` and the completion scripts.
extension Theme.Contrast: ExpressibleByArgument {
    public init?(argument: String) {
        guard let match = Self.allCases.first(where: { "\($0)" == argument }) else { return nil }
        self = match
    }
}
