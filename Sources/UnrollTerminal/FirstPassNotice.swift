import UnrollLessons
import UnrollUI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What the terminal shows while a lesson's first results are computed, before the interactive view opens: one line
/// on standard error naming the stage running (the forward pass, then the backward pass with the forward pass's time),
/// erased before the view opens. A large lesson (an LSTM of H = 256 over 200 steps) takes seconds there, which were a
/// blank wait. Nothing is written unless standard error is a terminal.
final class FirstPassNotice {
    private let name: String
    private let steps: Int
    private let terminal: Bool
    private var started = ContinuousClock.now
    private var wrote = false

    /// A notice for `lesson`, written only when `terminal` (standard error is a terminal).
    init(_ lesson: Lesson, terminal: Bool = isatty(STDERR_FILENO) == 1) {
        // One line, so that a carriage return and erase-to-end take it back: the title cleaned and cut short.
        let title = ScenarioText.clean(lesson.title)
        name = title.count > 40 ? String(title.prefix(39)) + "…" : title
        steps = lesson.tokens.count
        self.terminal = terminal
    }

    /// The line for `stage` (without the erase in front), as written.
    func line(_ stage: Session.FirstPassStage, forwardSeconds: Double? = nil) -> String {
        switch stage {
        case .forward: return "unroll: '\(name)', \(steps) steps: the forward pass…"
        case .backward:
            let took = forwardSeconds.map { ", forward pass \(Format.number($0, digits: 2)) s" } ?? ""
            return "unroll: '\(name)'\(took): the backward pass…"
        }
    }

    /// Says that `stage` has started.
    func stage(_ stage: Session.FirstPassStage) {
        guard terminal else { return }
        let text: String
        switch stage {
        case .forward:
            started = .now
            text = line(.forward)
        case .backward:
            text = line(.backward, forwardSeconds: (ContinuousClock.now - started) / .seconds(1))
        }
        put("\r\u{1B}[K" + text)
        wrote = true
    }

    /// Takes the line back, before the view opens (or on an error, which is then printed on a clean line).
    func erase() {
        guard terminal, wrote else { return }
        put("\r\u{1B}[K")
        wrote = false
    }

    private func put(_ text: String) {
        var text = text
        text.withUTF8 { TerminalSignals.writeAll(STDERR_FILENO, UnsafeRawBufferPointer($0)) }
    }
}
