import ArgumentParser
import UnrollLessons

/// `--format json|csv`: the raw values, listed with what they are by `--help`, the man page and the completion
/// scripts.
extension TraceExport.Format: ExpressibleByArgument {
    public static var allValueDescriptions: [String: String] {
        [Self.json.rawValue: "One nested JSON document.", Self.csv.rawValue: "One tidy long CSV table."]
    }
}
