import Foundation
import Testing

@testable import UnrollUI

/// Compares `lines` with the committed snapshot `__Snapshots__/NAME.txt`.
///
/// A missing snapshot, or `UNROLL_RECORD_SNAPSHOTS=1` in the environment, writes the file and
/// records a failure, so a snapshot is never accepted without a person reading it.
func expectSnapshot(
    _ lines: [String], named name: String, filePath: String = #filePath,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let url = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        .appendingPathComponent("__Snapshots__").appendingPathComponent(name + ".txt")
    let text =
        lines.map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
        .joined(separator: "\n") + "\n"
    let record = ProcessInfo.processInfo.environment["UNROLL_RECORD_SNAPSHOTS"] == "1"
    guard !record, let stored = try? String(contentsOf: url, encoding: .utf8) else {
        try? text.write(to: url, atomically: true, encoding: .utf8)
        Issue.record("recorded snapshot \(name); read it, then run the tests again", sourceLocation: sourceLocation)
        return
    }
    if stored != text {
        let a = stored.split(separator: "\n", omittingEmptySubsequences: false)
        let b = text.split(separator: "\n", omittingEmptySubsequences: false)
        let firstDiff = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
        Issue.record(
            """
            snapshot \(name) differs at line \(firstDiff + 1):
            expected: \(firstDiff < a.count ? String(a[firstDiff]) : "<end>")
            actual:   \(firstDiff < b.count ? String(b[firstDiff]) : "<end>")
            """, sourceLocation: sourceLocation)
    }
}
