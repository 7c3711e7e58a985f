import ArgumentParser
import Foundation
import UnrollEngine
import UnrollLessons
import UnrollTraining
import UnrollUI

/// `unroll figure LESSON|FILE`: one screen of a lesson, drawn without a terminal, as an SVG figure (or its text, or a
/// PNG), for slides and handouts.
struct FigureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figure",
        abstract:
            "Write one screen of a lesson as an SVG figure (or its plain text, or a PNG) for slides and handouts.",
        discussion: """
            The screen is the one the step-through draws at --size: the lesson at --step of --phase, then --keys \
            pressed there (any key of the step-through: e.g. --keys "c]]" for an LSTM with W_hh scaled up twice, \
            "1" to answer a question, "<right><right>" to step on). Named keys go in angle brackets: <right> <left> \
            <up> <down> <home> <end> <tab> <s-tab> <pgup> <pgdn> <space> <enter> <esc>, and <lt> for <.
            The SVG is 10 × 20 units a cell (128x36 is 1280 × 720, a 16:9 slide), text as text in a monospace font, \
            bars and borders as shapes, with a title and a description for screen readers.
            --plot draws a chart of the lesson's trace instead of the screen (960 x 540, white, for print): \
            gradient (the gradient norm |dL/dh_t| against t on a log axis, with the gradient panel's bound where \
            one holds), gates (each gate's mean activation against t, LSTM or GRU) or heatmap (h_t, units x steps, \
            with a colour bar); of the layer the gradient panel shows, after --keys (--step, --phase and --panel do \
            not apply). --plot loss trains a training lesson headless for --iterations (default: the scenario's) \
            and draws its loss against iteration, one curve per run: the lesson and each --versus (a cell, an \
            activation, skip=K, noskip, or another training lesson on the same task), with the task's baseline.
            """)

    /// A chart of the trace instead of the screen.
    enum Plot: String, CaseIterable, Sendable, ExpressibleByArgument {
        case gradient, gates, heatmap, loss

        static var allValueDescriptions: [String: String] {
            [
                "loss": "training loss against iteration, one curve per run (--versus), with the task's baseline",
                "gradient": "the gradient norm |dL/dh_t| against t, log axis, with the bound where one holds",
                "gates": "each gate's mean activation against t (LSTM, GRU)",
                "heatmap": "the hidden state h_t, units x steps, diverging colours"
            ]
        }
    }

    /// What to draw: the whole screen or one panel of it.
    enum Panel: String, CaseIterable, Sendable, ExpressibleByArgument {
        case all, graph, gradient, inspector, equations

        static var allValueDescriptions: [String: String] {
            [
                "all": "the whole screen", "graph": "the unrolled (or rolled) graph",
                "gradient": "the gradient-norm panel", "inspector": "the selected node's values",
                "equations": "the equations panel (when it has a panel of its own at --size)"
            ]
        }
    }

    /// The file written.
    enum Format: String, CaseIterable, Sendable, ExpressibleByArgument {
        case svg, txt, png

        static var allValueDescriptions: [String: String] {
            [
                "svg": "a vector figure", "txt": "the screen's text, UTF-8, as drawn",
                "png": "a bitmap at the SVG's size, drawn by rsvg-convert (Debian: librsvg2-bin)"
            ]
        }
    }

    @Argument(help: "A built-in lesson's name or a scenario file.")
    var source: String

    @Option(help: "The step, from 1.")
    var step = 1

    @Option(help: "The phase.")
    var phase = Choice(Phase.forward)

    @Option(help: "Keys pressed at that step before drawing (see below).")
    var keys = ""

    @Option(help: "The screen's size, COLUMNSxROWS (80x24 to 400x200).")
    var size = "128x36"

    @Option(help: "What to draw.")
    var panel = Choice(Panel.all)

    @Option(help: "Draw a chart of the trace instead of the screen.")
    var plot: Choice<Plot>?

    @Option(help: "The output format.")
    var format = Choice(Format.svg)

    @Option(help: "With --plot loss: another run to overlay (repeatable): rnn|lstm|gru, an activation, skip=K, noskip, or a training lesson.")
    var versus: [String] = []

    @Option(help: "With --plot loss: iterations to train each run (default: the scenario's).")
    var iterations: Int?

    @Option(name: .shortAndLong, help: "Write to this file (atomically) instead of standard output (required for png).")
    var output: String?

    @Flag(help: "Overwrite the output file if it exists.")
    var force = false

    @OptionGroup var appearance: AppearanceOptions

    @OptionGroup var limits: LimitOptions

    func validate() throws {
        if let bad = phase.rejected { throw ValidationError("--phase must be forward or backward, found '\(bad)'") }
        if let bad = panel.rejected {
            throw ValidationError("--panel must be \(Choice<Panel>.list), found '\(bad)'")
        }
        if let bad = format.rejected {
            throw ValidationError("--format must be \(Choice<Format>.list), found '\(bad)'")
        }
        if let bad = plot?.rejected {
            throw ValidationError("--plot must be \(Choice<Plot>.list), found '\(bad)'")
        }
        if plot != nil && format.value == .txt { throw ValidationError("--plot draws svg or png, not txt") }
        _ = try dimensions()
        if step < 1 { throw ValidationError("--step counts from 1, found \(step)") }
        if format.value == .png && output == nil { throw ValidationError("--format png needs -o FILE") }
        do { _ = try KeySequence.parse(keys) } catch { throw ValidationError("--keys: \(error)") }
        if plot?.value != .loss && (!versus.isEmpty || iterations != nil) {
            throw ValidationError("--versus and --iterations go with --plot loss")
        }
        if let iterations, !(1...100_000).contains(iterations) {
            throw ValidationError("--iterations must be from 1 to 100000, found \(iterations)")
        }
    }

    /// The width and height `--size` asks for.
    func dimensions() throws -> (width: Int, height: Int) {
        let parts = size.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]) else {
            throw ValidationError("--size must be COLUMNSxROWS, such as 128x36, found '\(size)'")
        }
        guard (Screen.minimumWidth...400).contains(w), (Screen.minimumHeight...200).contains(h) else {
            throw ValidationError("--size must be from 80x24 to 400x200, found '\(size)'")
        }
        return (w, h)
    }

    func run() throws {
        let lesson = try Interactive.lesson(source)
        if plot?.value == .loss { return try write(lossChart(lesson)) }
        try limits.check(lesson, anyCell: true) // --keys may switch the cell
        let (width, height) = try dimensions()
        var session: Session
        do { session = try Session(lesson: lesson, asksQuestions: true) } catch {
            throw Refusal("unroll: lesson '\(lesson.name)' cannot run: \(error)")
        }
        guard step <= session.columns else {
            throw Refusal("unroll: --step \(step): '\(lesson.name)' has \(session.columns) steps")
        }
        let position = phase.value == .forward ? step - 1 : 2 * session.columns - step
        session.align(position: position, column: nil)
        for (i, key) in try KeySequence.parse(keys).enumerated() {
            let action = KeyMap.action(for: key)
            guard let action, action != .quit else {
                throw Refusal(
                    "unroll: --keys: key \(i + 1), '\(KeySequence.written(key))', "
                        + (action == .quit ? "quits" : "does nothing in the step-through"))
            }
            session.handle(action)
        }
        if let plot { return try write(chart(plot.value, session)) }
        let theme = Theme(
            colorMode: appearance.colorMode ?? .color256, glyphs: appearance.glyphs ?? .unicode,
            contrast: appearance.theme.value)
        var canvas = Screen.render(session, theme: theme, width: width, height: height)
        if let rect = try panelRect(session, width: width, height: height) { canvas = canvas.cropped(to: rect) }
        let title = session.figureTitle
        switch format.value {
        case .txt: try write(bytes: Array(canvas.text().utf8))
        case .svg, .png: try write(canvas.svg(title: title, palette: .of(theme)))
        }
    }

    /// `--plot`'s chart of the session's trace, of the layer its gradient panel shows, as SVG.
    func chart(_ plot: Plot, _ session: Session) throws -> String {
        let (trace, layer, title) = (session.trace, session.selectedLayer, session.lesson.title)
        do {
            switch plot {
            case .gradient:
                guard let series = session.gradientSeries else {
                    throw Refusal("unroll: --plot gradient: '\(session.lesson.name)' has no gradient series to plot")
                }
                return try TraceCharts.gradient(trace: trace, layer: layer, series: series, title: title).svg()
            case .gates: return try TraceCharts.gates(trace: trace, layer: layer, title: title).svg()
            case .heatmap: return try TraceCharts.heatmap(trace: trace, layer: layer, title: title).svg()
            case .loss: return try lossChart(session.lesson)
            }
        } catch let refusal as TraceCharts.Refusal {
            throw Refusal("unroll: --plot \(plot.rawValue): \(refusal)")
        }
    }

    /// `--plot loss`: the lesson and each `--versus` trained headless, their losses on one chart.
    func lossChart(_ lesson: Lesson) throws -> String {
        var lessons = [lesson]
        for text in versus {
            let spec: VersusSpec
            do { spec = try VersusSpec(parsing: text) } catch { throw Refusal("unroll: --versus \(error)") }
            if case .lesson(let source) = spec {
                lessons.append(try Interactive.lesson(source))
            } else if let changed = spec.applied(to: lesson) {
                lessons.append(changed)
            }
        }
        guard let plan = lesson.training else {
            throw Refusal(
                "unroll: --plot loss: '\(lesson.name)' is not a training lesson; the training lessons are: "
                    + Lesson.trainingLessons.map(\.name).joined(separator: ", "))
        }
        var runs: [TraceCharts.Run] = []
        for var l in lessons {
            guard let p = l.training, p.task == plan.task else {
                throw Refusal(
                    "unroll: --plot loss: '\(l.name)' does not train on \(plan.task.title); runs on one chart share a task")
            }
            let problems = l.problems
            guard problems.isEmpty else {
                throw Refusal("unroll: lesson '\(l.name)' cannot train: " + problems.joined(separator: "; "))
            }
            try limits.check(l)
            if let iterations { l.training?.settings.iterations = iterations }
            let history: [IterationRecord]
            do {
                switch l.precision {
                case .float64: history = try Self.train(l, Double.self)
                case .float32: history = try Self.train(l, Float.self)
                }
            } catch {
                throw Refusal("unroll: lesson '\(l.name)' cannot train: \(error)")
            }
            runs.append(
                TraceCharts.Run(
                    label: "\(Session.name(of: l.cell)), H = \(l.hiddenSizes.map(String.init).joined(separator: ","))",
                    history: history))
        }
        // Two runs of one model (another lesson of the same shape) are told apart by their lessons' names.
        if Set(runs.map(\.label)).count < runs.count {
            for i in runs.indices { runs[i].label = lessons[i].name }
        }
        do {
            return try TraceCharts.loss(runs: runs, task: plan.task, title: lesson.title).svg()
        } catch {
            throw Refusal("unroll: --plot loss: \(error)")
        }
    }

    /// The iterations of training `lesson` for its plan's iterations, as `unroll train` runs them.
    static func train<T: EngineScalar>(_ lesson: Lesson, _: T.Type) throws -> [IterationRecord] {
        guard var trainer: Trainer<T> = lesson.trainer(), let plan = lesson.training else { return [] }
        for _ in 0..<plan.settings.iterations { _ = try trainer.step() }
        return trainer.history
    }

    /// Writes an SVG document as --format asks (svg, or png drawn by rsvg-convert).
    func write(_ svg: String) throws {
        try write(bytes: format.value == .png ? try Self.png(svg) : Array(svg.utf8))
    }

    /// Writes `bytes` to -o (atomically) or standard output.
    func write(bytes: [UInt8]) throws {
        guard let output else {
            FileHandle.standardOutput.write(Data(bytes))
            return
        }
        do { try TraceExport.write(bytes: bytes, to: output, force: force) } catch {
            throw Refusal("unroll: \(error)")
        }
    }

    /// The rectangle of `--panel` on the screen, nil for the whole screen.
    func panelRect(_ session: Session, width: Int, height: Int) throws -> Rect? {
        let layout = Screen.layout(width: width, height: height, session: session)
        let rect: Rect
        switch panel.value {
        case .all: return nil
        case .graph: rect = layout.graph
        case .gradient: rect = layout.gradients
        case .inspector: rect = layout.inspector
        case .equations: rect = layout.equations
        }
        guard !rect.isEmpty else {
            throw Refusal(
                "unroll: --panel \(panel.value.rawValue): this lesson's screen at \(width)x\(height) has no such panel"
                    + (panel.value == .equations ? " (its equations are in the inspector: --panel inspector)" : ""))
        }
        return rect
    }

    /// The PNG rsvg-convert draws of `svg`.
    static func png(_ svg: String) throws -> [UInt8] {
        guard let tool = Self.onPath("rsvg-convert") else {
            throw Refusal(
                "unroll: --format png needs rsvg-convert (Debian: apt-get install librsvg2-bin); "
                    + "--format svg needs nothing")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["--format", "png"]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        (process.standardInput, process.standardOutput, process.standardError) = (input, output, errors)
        try process.run()
        // Feed the SVG on a thread of its own so a full output pipe never blocks the writer.
        let data = Data(svg.utf8)
        let writer = Thread {
            input.fileHandleForWriting.write(data)
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let png = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, png.starts(with: [0x89, 0x50, 0x4E, 0x47]) else {
            throw Refusal(
                "unroll: rsvg-convert failed (exit \(process.terminationStatus)): "
                    + String(decoding: message.prefix(500), as: UTF8.self))
        }
        return Array(png)
    }

    /// The first executable `name` on PATH.
    static func onPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }
}
