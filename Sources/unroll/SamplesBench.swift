import UnrollEngine
import UnrollLessons
import UnrollTraining

/// `unroll bench --part samples`: what the training view's samples cost the training thread. The view's own worker
/// trains a characters lesson on the shipped *Alice* (LSTM H=128, sequence 64, batch 32, Adam) at full speed for
/// `iterations`, with samples on and off in turn, `repetitions` times each; a row is the best wall time per iteration.
enum SamplesBench {
    /// The lesson trained: the issue's *Alice* workload.
    static func lesson(iterations: Int) throws -> Lesson {
        try Lesson(
            scenario: """
                name: bench-samples
                title: "Samples against none: a character LSTM on Alice"
                model: {cell: lstm, hidden_size: 128}
                init: {seed: 1, scheme: uniform}
                training: {task: characters, length: 64, optimizer: adam, learning_rate: 0.005, \
                clipping: {norm: 5.0}, batch_size: 32, iterations: \(iterations), seed: 1}
                """, path: "bench-samples.yaml")
    }

    /// Seconds for the worker to train `iterations`, with samples on or off: started paused, as the view starts
    /// (it writes the sample of the initial weights then), timed from the resume to the snapshot of the last
    /// iteration (the sample it writes once finished is not charged).
    static func seconds(_ lesson: Lesson, samples: Bool, iterations: Int) throws -> Double {
        let worker = try Interactive.trainingWorker([lesson], onChange: {})
        var control = worker.control
        control.samples = samples
        worker.apply(control)
        worker.start()
        defer { worker.stop() }
        guard worker.settled(before: .now + .seconds(600)) != nil else {
            throw Refusal("unroll bench: the samples workload did not start within 10 minutes")
        }
        control.paused = false
        let start = ContinuousClock.now
        worker.apply(control)
        guard
            let done = worker.snapshot(
                when: { ($0.runs.first?.points.count ?? 0) >= iterations }, before: start + .seconds(3600))
        else {
            throw Refusal("unroll bench: the samples workload did not finish within an hour")
        }
        let elapsed = (ContinuousClock.now - start) / .seconds(1)
        if samples && done.runs.first?.samples.isEmpty != false {
            throw Refusal("unroll bench: the samples workload wrote no sample")
        }
        return elapsed
    }

    /// The rows: ms per iteration with samples, without, and the slowdown in percent (as `bytes`, a `%` row).
    static func rows(iterations: Int, repetitions: Int) throws -> [BenchRow] {
        let lesson = try lesson(iterations: iterations)
        var best = (with: Double.infinity, without: Double.infinity)
        for _ in 0..<repetitions {
            best.with = min(best.with, try seconds(lesson, samples: true, iterations: iterations))
            best.without = min(best.without, try seconds(lesson, samples: false, iterations: iterations))
        }
        let name = "training view, lstm H=128 T=64 B=32 adam, \(iterations) iterations"
        return [
            BenchRow(kind: "samples", name: name + ", samples", ms: 1000 * best.with / Double(iterations)),
            BenchRow(kind: "samples", name: name + ", no samples", ms: 1000 * best.without / Double(iterations)),
            BenchRow(
                kind: "samples", name: "samples' slowdown %", ms: 0, bytes: 100 * (best.with / best.without - 1))
        ]
    }
}
