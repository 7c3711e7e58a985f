import ArgumentParser
import Foundation
import UnrollEngine
import UnrollTraining

/// `unroll bench`: the engine's and the front end's timings and the Trace's memory (a benchmark, not a test;
/// see docs/performance.md). Every report starts with the OpenBLAS core and thread count.
struct BenchCommand: ParsableCommand {
    /// What `--part` measures.
    enum Part: String, CaseIterable, Sendable, ExpressibleByArgument {
        /// The engine's rows (`EngineBenchmark`).
        case engine
        /// The front end's rows (`FrontEndBench`).
        case frontend
        /// The lab's training workload (`TrainingBenchmark`).
        case training
        /// The training view's samples against none (`SamplesBench`); not part of `all`.
        case samples
        /// All three.
        case all

        static var allValueDescriptions: [String: String] {
            [
                Part.engine.rawValue: "The engine's forward and BPTT rows.",
                Part.training.rawValue:
                    "The adding problem (H=32, T=50, B=32, Adam, clipping 1) trained for --iterations.",
                Part.frontend.rawValue: "The front end's rows and the trace's memory.",
                Part.all.rawValue: "Engine, training and front end (not samples).",
                Part.samples.rawValue:
                    "The training view's worker on Alice (LSTM H=128, T=64, B=32, Adam) with samples and without, "
                    + "alternating, for --iterations (at least 500 to span several samples)."
            ]
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time the engine, the lab's training workload and the front end, headless.",
        discussion: """
            Engine: forward and full BPTT for RNN, LSTM and GRU at (H, T, B) = (32, 50, 1), (128, 100, 1), \
            (128, 100, 32), (512, 100, 32), Float and Double, with the Trace recorded and without. \
            Training: the adding problem (T=50) with H=32, batches of 32, Adam at 0.01 and clipping 1, for LSTM, \
            GRU and RNN, Float and Double, --iterations whole training steps per timed run. \
            Front end: frames at 80x24 and 200x60, a key (scale W_hh) to a redrawn frame for an LSTM with \
            H=256, T=200, start to first frame, and a Trace's memory at T=10000, with the interactive thread \
            count unroll chooses for every command (1 unless OPENBLAS_NUM_THREADS or --threads is set; see \
            unroll --version). Times are the best of the repetitions.
            """)

    @Option(help: "Which part to measure.")
    var part = Choice(Part.all)

    @Option(help: "Repetitions of each measurement (the minimum is reported).")
    var repetitions: Int = 5

    @Option(help: "Training iterations per timed run of the training rows.")
    var iterations: Int = 100

    @Option(help: "OpenBLAS threads (default: OPENBLAS_NUM_THREADS, else 1, as every command; see unroll --version).")
    var threads: Int?

    @Option(parsing: .upToNextOption, help: "Engine rows only for these hidden sizes (e.g. --hidden 32 128).")
    var hidden: [Int] = []

    @Option(parsing: .upToNextOption, help: "Engine rows only for these batch sizes (e.g. --batch 1).")
    var batch: [Int] = []

    @Option(parsing: .upToNextOption, help: "Engine and training rows only for these cells.")
    var cell: [Choice<CellKind>] = []

    @Flag(help: "Write one JSON object (core, threads, rows) instead of text.")
    var json = false

    @Flag(
        help:
            "Front-end rows on tiny lessons (LSTM H=8 T=10, RNN H=8 T=100), --repetitions times: a quick check that they run, not a measurement."
    )
    var tiny = false

    func validate() throws {
        if let bad = part.rejected { throw ValidationError("--part: '\(bad)' is not a part; use \(Choice<Part>.list)") }
        if repetitions < 1 { throw ValidationError("--repetitions must be at least 1, found \(repetitions)") }
        if let bad = cell.lazy.compactMap(\.rejected).first {
            throw ValidationError("--cell: '\(bad)' is not a cell; use \(Choice<CellKind>.list)")
        }
        if iterations < 1 { throw ValidationError("--iterations must be at least 1, found \(iterations)") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, found \(threads)") }
    }

    func run() throws {
        if let threads { OpenBLAS.setThreads(threads, reason: "--threads \(threads)") }
        let env = ProcessInfo.processInfo.environment
        let header = OpenBLAS.summary(environment: env)
        if !json {
            print(header)
            print(GateKernels.summary)
            print("CPU features: \(CPUFeatures.current.names)")
        }
        var rows: [BenchRow] = []
        func emit(_ r: BenchRow) {
            rows.append(r)
            guard !json else { return }
            var line = r.name.padding(toLength: 72, withPad: " ", startingAt: 0)
            if let b = r.bytes {
                line += r.name.hasSuffix("%") ? String(format: "%12.1f %%", b) : String(format: "%12.0f bytes", b)
            } else {
                line += String(format: "%10.3f ms", r.ms)
            }
            if let g = r.gflops, let ref = r.gemmGflops {
                line += String(format: "  %6.1f GFLOP/s  (gemm %6.1f, %3.0f%%)", g, ref, 100 * g / ref)
            }
            print(line)
        }
        if part.value == .engine || part.value == .all {
            EngineBenchmark.run(
                hidden: hidden, batch: batch, cells: cell.map(\.value), repetitions: repetitions, report: emit)
        }
        if part.value == .training || part.value == .all {
            TrainingBenchmark.run(
                cells: cell.map(\.value), iterations: iterations, repetitions: repetitions, report: emit)
        }
        if part.value == .frontend || part.value == .all {
            try FrontEndBench.rows(repetitions: repetitions, sizes: tiny ? .tiny : .standard).forEach(emit)
        }
        if part.value == .samples {
            try SamplesBench.rows(iterations: iterations, repetitions: repetitions).forEach(emit)
        }
        if json {
            struct Report: Encodable {
                var core: String
                var coreName: String
                var threads: Int
                var gateKernels: String
                var rows: [BenchRow]
            }
            let enc = JSONEncoder()
            enc.outputFormatting = [.sortedKeys]
            let data = try enc.encode(
                Report(
                    core: header, coreName: OpenBLAS.coreName, threads: OpenBLAS.threads,
                    gateKernels: GateKernels.summary, rows: rows))
            print(String(decoding: data, as: UTF8.self))
        }
    }
}
