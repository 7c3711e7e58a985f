import ArgumentParser
import UnrollUI

/// `--theme standard|projector|light`: the case names, listed with what they are for by `--help`, the man page and
/// the completion scripts.
extension Theme.Contrast: ExpressibleByArgument {
    public init?(argument: String) {
        guard let match = Self.allCases.first(where: { "\($0)" == argument }) else { return nil }
        self = match
    }

    public static var allValueDescriptions: [String: String] {
        [
            "standard": "For a laptop or lab screen.",
            "projector": "For projectors: bolder text, no dim text, saturated heatmap ends.",
            "light": "For bright rooms and print: dark text on white, painted on every cell."
        ]
    }
}
