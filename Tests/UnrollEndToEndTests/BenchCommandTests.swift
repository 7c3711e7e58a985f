import Foundation
import Testing

/// `unroll bench --part frontend` and `--part training` run once, on the smallest sizes, through the binary:
/// every row is there under its name, with a time that is a positive, finite number. Times are never compared
/// with a goal here (docs/performance.md measures them on a release build).
@Suite("unroll bench, once on tiny sizes")
struct BenchCommandTests {
    /// The rows of a `bench --json` report, and its header.
    static func report(_ arguments: [String]) throws -> (core: String, rows: [[String: Any]]) {
        let r = try run([unrollBinary, "bench"] + arguments + ["--repetitions", "1", "--json"])
        try #require(r.status == 0, "\(r.err)")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any], "\(r.out)")
        let rows = try #require(object["rows"] as? [[String: Any]], "\(r.out)")
        return (try #require(object["core"] as? String), rows)
    }

    /// The value of `key` in `row` as a number, required to be finite.
    static func number(_ row: [String: Any], _ key: String) throws -> Double {
        let value = try #require(row[key] as? Double, "\(key) missing in \(row)")
        try #require(value.isFinite, "\(key) is \(value) in \(row)")
        return value
    }

    @Test("--part frontend --tiny: each front-end row on an LSTM H=8 T=10 and an RNN H=8 T=100, and the trace's memory")
    func frontend() throws {
        let (core, rows) = try Self.report(["--part", "frontend", "--tiny"])
        #expect(core.hasPrefix("OpenBLAS core "))
        let timed = rows.filter { $0["kind"] as? String == "frontend" }
        let memory = rows.filter { $0["kind"] as? String == "memory" }
        #expect(timed.count + memory.count == rows.count, "only front-end and memory rows: \(rows)")
        #expect(
            timed.compactMap { $0["name"] as? String } == [
                "start to first frame, default lesson 80x24",
                "frame 80x24, default lesson", "frame 200x60, default lesson",
                "key to frame with the new numbers, scale W_hh, LSTM H=8 T=10",
                "key to frame with the gradients too, scale W_hh, LSTM H=8 T=10",
                "UI thread per key (hand-off and redraw), scale W_hh, LSTM H=8 T=10",
                "key to frame with the new numbers, toggle skip, LSTM H=8 T=10",
                "key to frame with the gradients too, toggle skip, LSTM H=8 T=10",
                "UI thread per key (hand-off and redraw), toggle skip, LSTM H=8 T=10",
                "step key to frame, RNN H=8 T=100, 200x60"
            ])
        for row in try #require(timed.isEmpty ? nil : timed) {
            #expect(try Self.number(row, "ms") > 0, "\(row)")
        }
        let names = memory.compactMap { $0["name"] as? String }
        #expect(
            names
                == ["RNN H=8 T=100", "LSTM H=8 T=10"].flatMap { label in
                    ["numbers", "allocated", "numbers per step", "allocated per step", "overhead %"].map {
                        "trace \(label): \($0)"
                    }
                })
        // The numbers the trace holds are a positive count of bytes; what malloc grew by is only finite: at these
        // sizes it can be below the numbers (memory freed during the pass is reused).
        for row in try #require(memory.isEmpty ? nil : memory) {
            let bytes = try Self.number(row, "bytes")
            let name = try #require(row["name"] as? String)
            if name.hasSuffix(": numbers") || name.hasSuffix(": numbers per step") { #expect(bytes > 0, "\(row)") }
        }
        // The numbers of a trace are whole 8-byte Doubles, so per step is the total over the steps: T for the RNN
        // (one layer), T for the LSTM; checked here to tie the rows to the sizes in their names.
        for (label, steps) in [("RNN H=8 T=100", 100.0), ("LSTM H=8 T=10", 10.0)] {
            let total = try Self.number(
                try #require(memory.first { $0["name"] as? String == "trace \(label): numbers" }), "bytes")
            let perStep = try Self.number(
                try #require(memory.first { $0["name"] as? String == "trace \(label): numbers per step" }), "bytes")
            #expect(abs(total / steps - perStep) < 1e-9 * total, "\(label): \(total) / \(steps) != \(perStep)")
        }
    }

    @Test(
        "--part training: one iteration of each row asked for, named by its cell, shape and precision, with its rates")
    func training() throws {
        let (_, rows) = try Self.report(["--part", "training", "--iterations", "1", "--cell", "rnn", "gru"])
        #expect(
            rows.compactMap { $0["name"] as? String } == [
                "train adding rnn H=32 T=50 B=32 float32 1 it", "train adding rnn H=32 T=50 B=32 float64 1 it",
                "train adding gru H=32 T=50 B=32 float32 1 it", "train adding gru H=32 T=50 B=32 float64 1 it"
            ])
        for row in try #require(rows.isEmpty ? nil : rows) {
            #expect(row["kind"] as? String == "training" && row["mode"] as? String == "adam", "\(row)")
            #expect(row["hidden"] as? Int == 32 && row["steps"] as? Int == 50 && row["batch"] as? Int == 32, "\(row)")
            for key in ["ms", "gflops", "gemmGflops"] { #expect(try Self.number(row, key) > 0, "\(key): \(row)") }
        }
    }
}
