import ArgumentParser
import UnrollLessons

/// `--phase forward|backward`.
extension Phase: ExpressibleByArgument {
    public static var allValueDescriptions: [String: String] {
        ["forward": "the forward pass, step by step", "backward": "backpropagation through time, last step first"]
    }
}
