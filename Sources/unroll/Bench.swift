import ArgumentParser
import Foundation
import UnrollEngine
import UnrollLessons
import UnrollUI

/// `unroll bench`: the front end's timings (a benchmark, not a test; see docs/performance.md).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time building a frame and answering a key, headless.",
        discussion: "Frames at 80x24 and 200x60; a step on a T=10000 sequence; a key (scale W_hh) to a redrawn frame for an LSTM with H=256, T=200.")

    @Option(help: "Repetitions of each measurement (the median is reported).")
    var repetitions: Int = 20

    func run() throws {
        func median(_ body: () throws -> Void) rethrows -> Double {
            var times: [Double] = []
            for _ in 0..<max(1, repetitions) {
                let start = ContinuousClock.now
                try body()
                let d = ContinuousClock.now - start
                times.append(Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) * 1e-15)
            }
            return times.sorted()[times.count / 2]
        }
        let theme = Theme(colorMode: .color256, glyphs: .unicode)
        var session = try Session(lesson: .defaultLesson)
        session.handle(.stepForward)
        for (w, h) in [(80, 24), (200, 60)] {
            let s = session
            let ms = median { _ = Screen.render(s, theme: theme, width: w, height: h) }
            print("frame \(w)x\(h), default lesson: \(String(format: "%.3f", ms)) ms")
        }
        let long = Lesson(name: "long", title: "RNN H=8 T=10000", hiddenSizes: [8], tokens: (0..<10_000).map { "w\($0 % 20)" })
        let longStart = ContinuousClock.now
        var l = try Session(lesson: long)
        print("session start, RNN H=8 T=10000: \(ContinuousClock.now - longStart)")
        for _ in 0..<5000 { l.handle(.stepForward) }
        let step = median {
            l.handle(.stepForward)
            _ = Screen.render(l, theme: theme, width: 200, height: 60)
        }
        print("step key to frame, RNN H=8 T=10000 at step 5000, 200x60: \(String(format: "%.3f", step)) ms")
        let big = Lesson(name: "bench", title: "LSTM H=256 T=200", cell: .lstm, hiddenSizes: [256],
                         tokens: (0..<200).map { "w\($0 % 20)" })
        let start = ContinuousClock.now
        var s = try Session(lesson: big)
        let first = ContinuousClock.now - start
        print("session start, LSTM H=256 T=200: \(first)")
        let ms = median {
            s.handle(.scaleUp)
            _ = Screen.render(s, theme: theme, width: 200, height: 60)
        }
        print("key to frame (scale W_hh), LSTM H=256 T=200, 200x60: \(String(format: "%.1f", ms)) ms")
    }
}
