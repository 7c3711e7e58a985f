import Foundation
import Testing

/// The headless commands, run as a student would from a shell.
@Suite("The command line")
struct CommandLineTests {
    let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples")

    @Test("unroll lessons lists every lesson, one per line, the default first, under the topics of docs/teaching.md")
    func lessons() throws {
        let r = try run([unrollBinary, "lessons"])
        #expect(r.status == 0)
        let lines = r.out.split(separator: "\n").map(String.init)
        let lessonLines = lines.filter { $0.hasPrefix("   ") }.map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lessonLines.count >= 25)
        #expect(lines.first == "1. Memory and shared weights")
        #expect(lessonLines.first?.hasPrefix("memory ") == true)
        #expect(lessonLines.contains { $0.hasPrefix("vanishing ") } && lessonLines.contains { $0.hasPrefix("seq2seq ") })
        // Every heading is a topic of the lesson plan in docs/teaching.md ("N. Title: …" or "N. Title (…"), in its order.
        let plan = try String(
            contentsOf: examples.deletingLastPathComponent().appendingPathComponent("docs/teaching.md"), encoding: .utf8)
        let headings = lines.filter { !$0.hasPrefix(" ") }
        #expect(headings.count == 12)
        for heading in headings { #expect(plan.contains(heading), "docs/teaching.md has no topic '\(heading)'") }
        // Each name once, and each lesson under the topic whose line in the plan names it in backquotes.
        let names = lessonLines.map { String($0.prefix { $0 != " " }) }
        #expect(Set(names).count == names.count)
        var topic = ""
        for line in lines {
            if !line.hasPrefix(" ") {
                topic = line
                continue
            }
            let name = line.trimmingCharacters(in: .whitespaces).prefix { $0 != " " }
            let number = topic.prefix { $0 != "." }
            let next = "\n\((Int(number) ?? 0) + 1). "
            let section = plan.components(separatedBy: "\n" + topic).dropFirst().first?.components(separatedBy: next).first
            #expect(section?.contains("`\(name)`") == true, "\(name) is not under '\(topic)' in docs/teaching.md")
        }
    }

    @Test("unroll check accepts every example and explains a broken file with file:line:column, exit 2")
    func check() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: examples.path).filter { $0.hasSuffix(".yaml") }
            .sorted()
        #expect(files.count >= 25)
        let ok = try run([unrollBinary, "check"] + files.map { examples.appendingPathComponent($0).path })
        #expect(ok.status == 0, "\(ok.err)")
        #expect(ok.out.split(separator: "\n").count == files.count)
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("unroll-bad-\(getpid()).yaml")
        try "title: x\nmodel:\n  hidden_size: -3\ninput:\n  tokens: a b\n".write(
            to: bad, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: bad) }
        let r = try run([unrollBinary, "check", bad.path])
        #expect(r.status == 2)
        #expect(r.err.contains("\(bad.path):3:16: hidden_size must be an integer from 1 to 4096, found -3"), "\(r.err)")
    }

    @Test(
        "unroll --version and every bench report name the OpenBLAS core and threads; bench --json has one row per measurement"
    )
    func versionAndBench() throws {
        let v = try run([unrollBinary, "--version"])
        #expect(v.status == 0)
        let lines = v.out.split(separator: "\n")
        #expect(lines.first == "unroll 0.1.0")
        #expect(lines.count == 2 && lines[1].hasPrefix("OpenBLAS core ") && lines[1].contains(" thread"), "\(v.out)")
        let b = try run([
            unrollBinary, "bench", "--part", "engine", "--hidden", "32", "--cell", "rnn", "--repetitions", "1",
            "--threads", "1", "--json"
        ])
        #expect(b.status == 0, "\(b.err)")
        let report = try JSONSerialization.jsonObject(with: Data(b.out.utf8)) as? [String: Any]
        #expect(report?["threads"] as? Int == 1)
        #expect((report?["core"] as? String)?.hasPrefix("OpenBLAS core ") == true)
        let rows = report?["rows"] as? [[String: Any]] ?? []
        #expect(
            rows.map { $0["name"] as? String ?? "" } == [
                "rnn H=32 T=50 B=1 float32 trace", "rnn H=32 T=50 B=1 float32 train",
                "rnn H=32 T=50 B=1 float64 trace", "rnn H=32 T=50 B=1 float64 train"
            ])
        #expect(rows.allSatisfy { ($0["ms"] as? Double ?? 0) > 0 && ($0["gemmGflops"] as? Double ?? 0) > 0 })
        let bad = try run([unrollBinary, "bench", "--cell", "lstn"])
        #expect(bad.status != 0 && bad.err.contains("--cell: 'lstn' is not a cell"), "\(bad.err)")
    }

    @Test(
        "unroll --version gives the thread count and why: one, unroll's choice, unless OPENBLAS_NUM_THREADS says otherwise"
    )
    func versionThreads() throws {
        // `run` starts /usr/bin/env, so "-u NAME" unsets a variable the test runner may have.
        let own = try run([
            "-u", "OPENBLAS_NUM_THREADS", "-u", "GOTO_NUM_THREADS", "-u", "OMP_NUM_THREADS", unrollBinary, "--version"
        ])
        #expect(own.status == 0 && own.out.contains(", 1 thread (unroll's default: "), "\(own.out)")
        // OpenBLAS starts at most one thread per CPU the process may use: 2 where it may use two or more, else 1,
        // and then the line says why. The count of CPUs is read here from the affinity mask, not from unroll.
        let cpus = try allowedCPUs().count
        let two = try run(["OPENBLAS_NUM_THREADS=2", unrollBinary, "--version"])
        #expect(two.status == 0, "\(two.err)")
        if cpus >= 2 {
            #expect(two.out.contains(", 2 threads (OPENBLAS_NUM_THREADS=2)\n"), "\(cpus) CPUs: \(two.out)")
        } else {
            #expect(
                two.out.contains(
                    ", 1 thread (OPENBLAS_NUM_THREADS=2; OpenBLAS starts at most one per CPU this process may use)\n"),
                "\(cpus) CPU: \(two.out)")
        }
    }

    @Test(
        "Held to one CPU (taskset), OPENBLAS_NUM_THREADS=2 gives one thread and --version says why; unroll's own default is one"
    )
    func versionThreadsOneCPU() throws {
        let cpu = try #require(try allowedCPUs().first, "the affinity mask names no CPU")
        let taskset = try #require(
            ["/usr/bin/taskset", "/bin/taskset"].first { FileManager.default.isExecutableFile(atPath: $0) },
            "taskset (util-linux) is needed to run unroll on one CPU")
        let two = try run(
            [taskset, "-c", "\(cpu)", unrollBinary, "--version"], environment: ["OPENBLAS_NUM_THREADS": "2"])
        #expect(
            two.status == 0
                && two.out.contains(
                    ", 1 thread (OPENBLAS_NUM_THREADS=2; OpenBLAS starts at most one per CPU this process may use)\n"),
            "\(two.out)\(two.err)")
        let own = try run([
            "-u", "OPENBLAS_NUM_THREADS", "-u", "GOTO_NUM_THREADS", "-u", "OMP_NUM_THREADS",
            taskset, "-c", "\(cpu)", unrollBinary, "--version"
        ])
        #expect(
            own.status == 0 && own.out.contains(", 1 thread (unroll's default: ")
                && !own.out.contains("at most one per CPU"),
            "\(own.out)")
    }

    @Test("unroll trace writes JSON and CSV, refuses to overwrite without --force")
    func trace() throws {
        let json = try run([unrollBinary, "trace", "memory", "--format", "json"])
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any]
        #expect(object?["format"] as? String == "unroll-trace")
        let csv = try run([unrollBinary, "trace", "vanishing", "--format", "csv"])
        #expect(csv.out.hasPrefix("section,name,column,token,layer,direction,unit,value\n"))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("unroll-trace-\(getpid()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try run([unrollBinary, "trace", "memory", "--output", path]).status == 0)
        let again = try run([unrollBinary, "trace", "memory", "--output", path])
        #expect(again.status == 2 && again.err.contains("--force"))
        #expect(try run([unrollBinary, "trace", "memory", "--output", path, "--force"]).status == 0)
        let unknown = try run([unrollBinary, "trace", "nosuchlesson"])
        #expect(unknown.status != 0 && unknown.err.contains("neither a lesson"))
    }

    @Test("unroll trace --input N writes the run on the lesson's input N, numbered as i numbers them on screen (1: its own); an N it lacks is refused, exit 2")
    func traceHeldOut() throws {
        /// The tokens read, column by column, of a JSON trace.
        func inputs(_ out: String) throws -> [String] {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
            let columns = try #require(object["columns"] as? [[String: Any]])
            return columns.compactMap { $0["input"] as? String }
        }
        // examples/memory.yaml: its sentence (input 1), and its one held-out input (input 2, "held-out input 2/2").
        let own = try run([unrollBinary, "trace", "memory"])
        #expect(own.status == 0)
        #expect(try inputs(own.out) == ["the", "clouds", "are", "in", "the", "sky"])
        let zero = try run([unrollBinary, "trace", "memory", "--input", "1"])
        #expect(try inputs(zero.out) == ["the", "clouds", "are", "in", "the", "sky"])
        let held = try run([unrollBinary, "trace", "memory", "--input", "2"])
        #expect(held.status == 0, "\(held.err)")
        #expect(try inputs(held.out) == ["the", "fish", "are", "in", "the", "sea"])
        let csv = try run([unrollBinary, "trace", "memory", "--input", "2", "--format", "csv"])
        #expect(csv.status == 0 && csv.out.contains(",fish,"))
        for (arguments, message) in [
            (["memory", "--input", "3"], "unroll: --input 3: 'memory' has inputs 1 to 2 (1 is its own sentence)"),
            (["vanishing", "--input", "2"], "unroll: --input 2: 'vanishing' has only its own sentence (input 1)"),
            (["memory", "--input", "0"], "--input counts from 1 (the lesson's own sentence), found 0")
        ] {
            let refused = try run([unrollBinary, "trace"] + arguments)
            #expect(refused.status == 2 && refused.err.contains(message) && refused.out.isEmpty, "\(refused.err)")
        }
    }

    @Test(
        "unroll train logs every iteration as CSV, saves safetensors, refuses to overwrite without --force, prints plain lines when piped"
    )
    func train() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("unroll-train-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("run.csv").path, weights = dir.appendingPathComponent("w.safetensors").path
        let r = try run([
            unrollBinary, "train", "train-adding-rnn", "--iterations", "12", "--log", log, "--save", weights
        ])
        #expect(r.status == 0, "\(r.err)")
        #expect(
            !r.err.contains("\r") && r.err.contains("12/12  loss ") && r.err.contains("unroll: 12 iterations in "),
            "\(r.err)")
        let rows = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(
            rows.count == 13
                && rows[0]
                    == "iteration,loss,accuracy,gradient_norm_before,gradient_norm_after,learning_rate,seconds,updates"
        )
        #expect(rows[12].hasPrefix("12,") && rows[12].split(separator: ",").count == 8 && rows[12].hasSuffix(",1"))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: weights))
        #expect(
            bytes.count > 8 && String(decoding: bytes.dropFirst(8).prefix(4000), as: UTF8.self).contains("weight_hh_l0")
        )
        let again = try run([unrollBinary, "train", "train-adding-rnn", "--iterations", "1", "--save", weights])
        #expect(again.status == 2 && again.err.contains("already exists; pass --force"))
        // The saved weights open in a scenario, next to it.
        let scenario = dir.appendingPathComponent("s.yaml")
        try "title: s\nmodel: {cell: rnn, hidden_size: 32}\ntraining: {task: adding}\nweights: w.safetensors\n"
            .write(to: scenario, atomically: true, encoding: .utf8)
        let check = try run([unrollBinary, "check", scenario.path])
        #expect(check.status == 0, "\(check.err)")
        let none = try run([unrollBinary, "train", "memory"])
        #expect(
            none.status == 2
                && none.err.contains("has no training section; the training lessons are: train-adding-lstm"))
        let zero = try run([unrollBinary, "train", "train-adding-rnn", "--iterations", "0"])
        #expect(zero.status == 2 && zero.err.contains("--iterations must be from 1 to 10000000, found 0"))
    }

    @Test("unroll train --text trains on each shipped text, writes its scenario beside --save, reports bits per character")
    func trainText() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("unroll-train-text-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let shipped = try FileManager.default.contentsOfDirectory(atPath: examples.appendingPathComponent("texts").path)
            .filter { $0.hasSuffix(".txt") }.sorted()
        try #require(shipped == ["alice.txt", "sonnets.txt", "trainer-swift.txt"], "examples/texts: \(shipped)")
        for text in shipped {
            let path = examples.appendingPathComponent("texts/" + text).path
            let weights = dir.appendingPathComponent(text + ".safetensors").path
            let r = try run([
                unrollBinary, "train", "--text", path, "--hidden", "8", "--cell", "gru", "--iterations", "3",
                "--save", weights
            ])
            #expect(r.status == 0, "\(r.err)")
            #expect(r.err.contains("\(path): vocabulary: ") && r.err.contains("gru H=8"), "\(r.err)")
            #expect(r.err.contains(" bits per character; held-out loss (the last 10 %, "), "\(r.err)")
            let scenario = dir.appendingPathComponent(text + ".yaml").path
            #expect(r.err.contains("the scenario used is \(scenario)"), "\(r.err)")
            let check = try run([unrollBinary, "check", scenario])
            #expect(check.status == 0, "\(check.err)")
            let header = String(decoding: try Data(contentsOf: URL(fileURLWithPath: weights)).prefix(20_000), as: UTF8.self)
            #expect(header.contains("unroll.alphabet") && header.contains("unroll.text"))
        }
        // unroll sample reads the saved weights: the same text for the same seed, the prime first.
        let weights = dir.appendingPathComponent("sonnets.txt.safetensors").path
        let args = [unrollBinary, "sample", weights, "--prime", "Shall", "--length", "30", "--seed", "3"]
        let a = try run(args), b = try run(args)
        #expect(a.status == 0 && a.out == b.out && a.out.hasPrefix("Shall") && a.out.count == 36, "\(a.err)")
        let unknownPrime = try run([unrollBinary, "sample", weights, "--prime", "§"])
        #expect(unknownPrime.status == 2 && unknownPrime.err.contains("the prime has characters the text never had"))
        let notCharacters = try run([unrollBinary, "sample", "train-adding-rnn"])
        #expect(notCharacters.status == 2 && notCharacters.err.contains("is not a character model"))
        let lesson = try run([unrollBinary, "sample", "train-chars", "--length", "10", "--temperature", "0"])
        #expect(lesson.status == 0 && lesson.out.count == 11, "\(lesson.err)")
        // Without --save the scenario is printed.
        let printed = try run([
            unrollBinary, "train", "--text", examples.appendingPathComponent("texts/sonnets.txt").path,
            "--hidden", "4", "--iterations", "1"
        ])
        #expect(printed.status == 0 && printed.err.contains("task: characters\n  text: \""), "\(printed.err)")
        let both = try run([unrollBinary, "train", "train-chars", "--text", "x.txt"])
        #expect(both.status == 2 && both.err.contains("but not both"), "\(both.err)")
    }

    @Test("Bad flags get a clear message and a non-zero exit")
    func badFlags() throws {
        let theme = try run([unrollBinary, "lesson", "memory", "--theme", "neon"])
        #expect(theme.status != 0 && theme.err.contains("--theme: 'neon' is not a theme"))
        let lesson = try run([unrollBinary, "lesson", "nope"])
        #expect(lesson.status != 0 && lesson.err.contains("no lesson named 'nope'"))
        // The argument is not named as if it were a flag ("Error: NAME: no lesson named …").
        #expect(lesson.err.contains("Error: no lesson named 'nope'") && !lesson.err.contains("NAME:"))
        let presented = try run([unrollBinary, "present", "nope"])
        #expect(presented.status != 0 && !presented.err.contains("LESSON:"))
        let format = try run([unrollBinary, "trace", "memory", "--format", "xml"])
        #expect(format.status != 0 && format.err.contains("--format must be json or csv"))
    }

    @Test("--help lists the choices of --theme, --format, --part and --cell, each with what it is")
    func helpListsChoices() throws {
        // Help wraps at the terminal's width: compare with runs of white space made one space.
        func help(_ args: [String]) throws -> String {
            let r = try run([unrollBinary] + args + ["--help"])
            #expect(r.status == 0, "\(r.err)")
            return r.out.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        let lesson = try help(["lesson"])
        #expect(
            lesson.contains(
                "--theme <theme> Colour theme. (default: standard) standard - For a laptop or lab screen. "
                    + "projector - For projectors: bolder text, no dim text, saturated heatmap ends."), "\(lesson)")
        let trace = try help(["trace"])
        #expect(
            trace.contains(
                "--format <format> The export format (docs/trace-format.md). (default: json) "
                    + "json - One nested JSON document. csv - One tidy long CSV table."), "\(trace)")
        let bench = try help(["bench"])
        #expect(bench.contains("(default: all) engine - The engine's forward and BPTT rows. frontend - "), "\(bench)")
        #expect(
            bench.contains("rnn - Elman RNN. lstm - Long short-term memory. gru - Gated recurrent unit."), "\(bench)")
    }

    @Test("The bash completion script offers the themes after --theme and the formats after --format")
    func completionListsChoices() throws {
        let r = try run([unrollBinary, "--generate-completion-script", "bash"])
        #expect(r.status == 0)
        let script = r.out.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(script.contains("'--theme') __unroll_add_completions -W 'standard'$'\\n''projector'"), "\(r.out)")
        #expect(script.contains("'--format') __unroll_add_completions -W 'json'$'\\n''csv'"), "\(r.out)")
    }

    @Test(
        "A refused flag value exits 2 (not the parser's 64) with today's message",
        arguments: [
            (["lesson", "memory", "--theme", "neon"], "--theme: 'neon' is not a theme; use standard, projector or light"),
            (["trace", "memory", "--format", "xml"], "--format must be json or csv, found 'xml'"),
            (["bench", "--part", "gpu"], "--part: 'gpu' is not a part; use engine, frontend, training, samples or all"),
            (["bench", "--cell", "rnn", "lstn"], "--cell: 'lstn' is not a cell; use rnn, lstm or gru"),
            (["train", "train-adding-rnn", "--iterations", "0"], "--iterations must be from 1 to 10000000, found 0"),
            (
                ["trace", "memory", "--seed", "18446744073709551615"],
                "--seed must be from 0 to 2^63, found 18446744073709551615"
            ),
            (["lesson", "memory", "--seed", "x"], "The value 'x' is invalid for '--seed <seed>'")
        ])
    func refusedFlagExitsTwo(args: [String], message: String) throws {
        let r = try run([unrollBinary] + args)
        #expect(r.status == 2, "\(args)")
        #expect(r.err.hasPrefix("Error: \(message)\n"), "\(r.err)")
        #expect(r.out.isEmpty)
    }

    @Test("unroll open FILE opens a scenario file; a broken one exits 2 with its position")
    func openFile() throws {
        let t = try Tmux(wrapped("open \(examples.appendingPathComponent("lstm.yaml").path)"))
        let s = try t.wait(for: "FORWARD")
        #expect(s.contains("LSTM ·") && s.contains("Alice"))
        try t.send("q")
        try t.wait(for: "EXIT-0")
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("unroll-open-\(getpid()).yaml")
        try "title: x\ninput: {tokens: []}\n".write(to: bad, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: bad) }
        let r = try run([unrollBinary, "open", bad.path])
        #expect(r.status == 2 && r.err.hasPrefix("\(bad.path):2:"), "\(r.err)")
    }

    @Test("--record writes an asciicast v2 file that asciinema can play")
    func record() throws {
        let cast = FileManager.default.temporaryDirectory.appendingPathComponent("unroll-\(getpid()).cast").path
        defer { try? FileManager.default.removeItem(atPath: cast) }
        let t = try Tmux(wrapped("lesson memory --record \(cast)"))
        try t.wait(for: "FORWARD")
        try t.send("l")
        try t.wait(for: "step 2/6")
        try t.send("q")
        try t.wait(for: "EXIT-0")
        let lines = try String(contentsOfFile: cast, encoding: .utf8).split(separator: "\n")
        let header = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        #expect(header?["version"] as? Int == 2 && header?["width"] as? Int == 100 && header?["height"] as? Int == 30)
        #expect(lines.count >= 3)
        let event = try JSONSerialization.jsonObject(with: Data(lines[2].utf8)) as? [Any]
        #expect(event?[1] as? String == "o")
        #expect((event?[2] as? String)?.contains("step 2/6") == true)
    }
}

@Test("The committed man page documents every command (regenerate with `make man`)")
func manPage() throws {
    let page = try String(
        contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/man/unroll.1"), encoding: .utf8)
    let help = try run([unrollBinary, "--help"]).out
    for command in ["lessons", "lesson", "open", "check", "trace", "train", "sample", "bench"] {
        #expect(help.contains("  \(command) "), "--help lacks \(command)")
        #expect(page.contains(command), "docs/man/unroll.1 lacks \(command)")
    }
    #expect(page.contains("--record"))
    #expect(
        page.contains(".It Ar projector") && page.contains(".It Ar csv"),
        "docs/man/unroll.1 lacks the values of --theme and --format")

}

/// The CPUs this thread may run on, and so the programs it starts (its affinity mask, as `nproc` and `taskset -p`
/// read it), in increasing order: the kernel's `Cpus_allowed_list` (e.g. `0-3,6`), read independently of unroll.
func allowedCPUs() throws -> [Int] {
    let status = try String(contentsOfFile: "/proc/thread-self/status", encoding: .utf8)
    let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") })
    var cpus: [Int] = []
    for part in line.dropFirst("Cpus_allowed_list:".count).trimmingCharacters(in: .whitespaces).split(separator: ",") {
        let ends = try part.split(separator: "-").map { try #require(Int($0), "\(line)") }
        let first = try #require(ends.first), last = try #require(ends.last)
        try #require(ends.count <= 2 && first <= last, "\(line)")
        cpus += Array(first...last)
    }
    try #require(!cpus.isEmpty, "\(line)")
    return cpus
}
