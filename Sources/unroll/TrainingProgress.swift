import Foundation
import UnrollLessons
import UnrollTraining

/// Reports training progress on standard error: a bar redrawn in place on a terminal,
/// or a plain line every tenth of the run when piped.
final class TrainingProgress {
    let total: Int
    let task: TrainingTask
    let terminal: Bool
    private var lastDraw = 0.0

    init(total: Int, task: TrainingTask, terminal: Bool) {
        self.total = total
        self.task = task
        self.terminal = terminal
    }

    /// A progress line after iteration `r`: the recent loss and accuracy (``RecentLoss``: the batch losses are
    /// noisy), the gradient norm, the time.
    private func line(_ r: IterationRecord, _ history: [IterationRecord]) -> String {
        let recent = RecentLoss(history) // never nil: the history ends with r
        var s =
            "\(r.iteration)/\(total)  loss \(Self.format(recent?.loss ?? r.loss)) (baseline \(Self.format(task.baselineLoss)))"
        if let acc = recent?.accuracy { s += "  accuracy \(Self.percent(acc))" }
        s += "  |g| \(Self.format(r.gradientNormBefore))"
        if r.gradientNormAfter != r.gradientNormBefore { s += "→\(Self.format(r.gradientNormAfter))" }
        return s + "  \(String(format: "%.1f", r.seconds)) s"
    }

    func update(_ r: IterationRecord, history: [IterationRecord]) {
        if terminal {
            guard r.seconds - lastDraw >= 0.1 || r.iteration == total else { return }
            lastDraw = r.seconds
            let cells = 24, filled = cells * r.iteration / max(1, total)
            let bar = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: cells - filled) + "] "
            // Cut to the terminal's width: a wrapped line would not be redrawn in place.
            var size = winsize()
            let width =
                ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 1 ? Int(size.ws_col) - 1 : 79
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + String((bar + line(r, history)).prefix(width))).utf8))
        } else {
            let every = max(1, total / 10)
            if r.iteration % every == 0 || r.iteration == total || r.iteration == 1 {
                FileHandle.standardError.write(Data((line(r, history) + "\n").utf8))
            }
        }
    }

    /// Ends the bar's line on a terminal.
    func finishLine() {
        if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    /// The closing summary.
    func finish(history: [IterationRecord]) {
        finishLine()
        guard let last = history.last, let recent = RecentLoss(history) else { return }
        var s =
            "unroll: \(last.iteration) iterations in \(String(format: "%.1f", last.seconds)) s; mean loss of the last \(recent.count): "
            + "\(Self.format(recent.loss)) (baseline \(Self.format(task.baselineLoss)): \(task.baselineLabel))"
        if let acc = recent.accuracy, let base = task.baselineAccuracy, let label = task.accuracyLabel {
            s += "; accuracy \(Self.percent(acc)) \(label) (baseline \(Self.percent(base)))"
        }
        if let first = history.firstIndex(where: { $0.loss < task.baselineLoss / 10 }) {
            s += "; first batch below a tenth of the baseline at iteration \(history[first].iteration)"
        }
        FileHandle.standardError.write(Data((s + "\n").utf8))
    }

    static func format(_ v: Double) -> String { String(format: abs(v) >= 0.01 || v == 0 ? "%.4f" : "%.2e", v) }
    static func percent(_ v: Double) -> String { String(format: "%.1f%%", 100 * v) }
}
