import Foundation
import UnrollEngine

/// The output readout: the most probable words at a step and their probabilities, as the trace records them
/// (`Trace.probabilities`, the engine's softmax), so a caption's "y3 says 'happy' (0.994)" can be checked on screen.
/// The inspector draws it under its figures; nothing where the step writes no output, the loss gives no
/// probabilities (MSE), has no target (the graph draws no output node there), or the output is not revealed yet
/// (``RevealedTrace/isOutputRevealed(column:)``).
enum OutputReadout {
    /// How many words at most.
    static let k = 3

    /// The `k` most probable classes at `column`, best first (the lower class first among equals), with their
    /// words; nil when there is nothing to show.
    static func top(_ s: RevealedTrace, column c: Int) -> [(word: String, p: Double)]? {
        // As the graph draws an output node: only where the step has a target (a many-to-one's last step, say).
        guard c >= 0, c < s.trace.probabilities.count, c < s.targetLabels.count, s.targetLabels[c] != nil,
            let p = s.trace.probabilities[c], p.rows > 0, s.isOutputRevealed(column: c)
        else { return nil }
        let row = p.row(0)
        let order = row.indices.sorted { row[$0] > row[$1] || (row[$0] == row[$1] && $0 < $1) }
        return order.prefix(k).map { i in (i < s.outputWords.count ? "'\(s.outputWords[i])'" : "class \(i)", row[i]) }
    }

    /// A probability in five characters or fewer: `0.994`, `0.003`, `<.001`, `NaN`.
    static func probability(_ p: Double) -> String {
        if p.isNaN { return "NaN" }
        return p >= 0.0005 ? String(format: "%.3f", p) : "<.001"
    }

    /// The readout in `width` columns: `p(y_t): 'happy' 0.994 · 'sad' 0.003`, whole words only (as many as fit,
    /// `…` when some are left out); nil when there is nothing to show or not even the first fits.
    static func line(_ s: RevealedTrace, column: Int, width: Int) -> String? {
        guard let top = top(s, column: column), !top.isEmpty else { return nil }
        let head = "p(y_t): "
        let items = top.map { "\($0.word) \(probability($0.p))" }
        for n in stride(from: items.count, through: 1, by: -1) {
            let text = head + items.prefix(n).joined(separator: " · ") + (n < items.count ? " …" : "")
            if text.count <= width { return text }
        }
        return nil
    }
}
