import ArgumentParser
import Foundation
import UnrollEngine
import UnrollLessons
import UnrollTraining
import UnrollUI

/// The front end's benchmark rows: frames, a key to a redrawn frame, start to first frame, and a Trace's memory.
enum FrontEndBench {
    /// The lessons measured: an LSTM recomputed after a key, and a long RNN stepped and weighed.
    struct Sizes: Sendable {
        /// The LSTM's hidden size and steps.
        var lstm: (h: Int, t: Int)
        /// The RNN's hidden size and steps.
        var long: (h: Int, t: Int)
        /// Repetitions of each timing, at least (`--repetitions` may ask for more).
        var repetitions: Int

        /// The measurement docs/performance.md reports.
        static let standard = Sizes(lstm: (256, 200), long: (8, 10_000), repetitions: 20)
        /// Tiny lessons, each timing once (`unroll bench --tiny`): a check that the rows run, not a measurement.
        static let tiny = Sizes(lstm: (8, 10), long: (8, 100), repetitions: 1)
    }

    /// The rows, measured with the process's thread count (`OpenBLAS.chooseThreads`, or `--threads`).
    static func rows(repetitions asked: Int, sizes: Sizes = .standard) throws -> [BenchRow] {
        let repetitions = max(asked, sizes.repetitions)
        var out: [BenchRow] = []
        func row(_ name: String, _ ms: Double) { out.append(BenchRow(kind: "frontend", name: name, ms: ms)) }
        let theme = Theme(colorMode: .color256, glyphs: .unicode)

        let start = ContinuousClock.now
        var session = try Session(lesson: .defaultLesson)
        _ = Screen.render(session, theme: theme, width: 80, height: 24)
        row("start to first frame, default lesson 80x24", Timing.ms(since: start))
        session.handle(.stepForward)
        for (w, h) in [(80, 24), (200, 60)] {
            let s = session
            row(
                "frame \(w)x\(h), default lesson",
                Timing.best(repetitions: repetitions) {
                    _ = Screen.render(s, theme: theme, width: w, height: h)
                })
        }

        let bigLabel = "LSTM H=\(sizes.lstm.h) T=\(sizes.lstm.t)"
        let big = Lesson(
            name: "bench", title: bigLabel, cell: .lstm, hiddenSizes: [sizes.lstm.h],
            tokens: (0..<sizes.lstm.t).map { "w\($0 % 20)" })
        // The interactive view's path: the key hands the lab to the worker (the UI thread's share), the worker
        // computes, the session receives the results and the frame is drawn with the new numbers.
        let worker = LabWorker(wake: {})
        defer { worker.stop() }
        var s = try Session(lesson: big)
        s.handle(.stepForward)
        for (name, action, reps) in [
            ("scale W_hh", Action.scaleUp, repetitions), ("toggle skip", .toggleSkip, max(1, repetitions / 4))
        ] {
            var handOff = Double.infinity, shown = Double.infinity, complete = Double.infinity
            for repetition in 0...reps { // the first is a warm-up
                let start = ContinuousClock.now
                let ui = Timing.ms {
                    for case .compute(let job) in s.handle(.action(action)) {
                        worker.submit(job.lab, previous: job.previous, generation: job.generation)
                    }
                    _ = Screen.render(s, theme: theme, width: 200, height: 60)
                }
                // The first results back (the forward pass, shown while the backward sweeps run), then the whole.
                var first: Double?
                while s.isComputing {
                    guard worker.waitForResult(deadline: .now.advanced(by: .seconds(600))) else {
                        throw ValidationError("the lab worker gave no result for '\(name)' within 10 minutes")
                    }
                    let shownBefore = s.resultsShown
                    if let outcome = worker.take() { _ = s.handle(.labResult(outcome)) }
                    if s.resultsShown != shownBefore {
                        _ = Screen.render(s, theme: theme, width: 200, height: 60)
                        first = first ?? Timing.ms(since: start)
                    }
                }
                let whole = Timing.ms(since: start)
                guard repetition > 0 else { continue }
                handOff = min(handOff, ui)
                shown = min(shown, first ?? whole)
                complete = min(complete, whole)
            }
            row("key to frame with the new numbers, \(name), \(bigLabel)", shown)
            row("key to frame with the gradients too, \(name), \(bigLabel)", complete)
            row("UI thread per key (hand-off and redraw), \(name), \(bigLabel)", handOff)
        }

        let longLabel = "RNN H=\(sizes.long.h) T=\(sizes.long.t)"
        let long = Lesson(
            name: "long", title: longLabel, hiddenSizes: [sizes.long.h],
            tokens: (0..<sizes.long.t).map { "w\($0 % 20)" })
        var l = try Session(lesson: long)
        for _ in 0..<sizes.long.t / 2 { l.handle(.stepForward) }
        row(
            "step key to frame, \(longLabel), 200x60",
            Timing.best(repetitions: repetitions) {
                l.handle(.stepForward)
                _ = Screen.render(l, theme: theme, width: 200, height: 60)
            })
        out += try memoryRows(long, label: longLabel)
        out += try memoryRows(big, label: bigLabel)
        return out
    }

    /// The bytes of numbers a lesson's trace holds, against the bytes malloc holds for it, in total and per step.
    static func memoryRows(_ lesson: Lesson, label: String) throws -> [BenchRow] {
        let before = TraceMemory.allocatedBytes()
        let trace = try lesson.trace(recordJacobians: false).1
        let held = Double(TraceMemory.allocatedBytes() - before)
        let numbers = Double(TraceMemory.numberBytes(trace))
        let steps = Double(max(1, trace.layers.reduce(0) { $0 + $1.steps.count }))
        defer { withExtendedLifetime(trace) {} }
        return [
            ("numbers", numbers), ("allocated", held), ("numbers per step", numbers / steps),
            ("allocated per step", held / steps)
        ].map {
            BenchRow(kind: "memory", name: "trace \(label): \($0.0)", ms: 0, bytes: $0.1)
        } + [BenchRow(kind: "memory", name: "trace \(label): overhead %", ms: 0, bytes: 100 * (held / numbers - 1))]
    }
}
