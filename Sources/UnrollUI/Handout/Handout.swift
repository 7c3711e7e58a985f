import UnrollEngine
import UnrollLessons

/// `unroll handout`: every lesson as a static web page a student reads with no network and no script, and an index
/// of them by topic. Built in memory as files (path relative to the handout's folder → contents), so the command
/// only writes them and a test reads them without a disk.
///
/// Every text of a lesson is escaped (a scenario file is hostile input), the figures are SVG files beside the page
/// drawn by the step-through's own canvas (``Screen/render(_:theme:width:height:layout:)``, ``Canvas/svg(title:description:palette:)``),
/// and the page's Content-Security-Policy allows no script and nothing from the network.
public enum Handout {
    /// One lesson to write: the lesson and its scenario file's text (linked from the page).
    public struct Source: Sendable {
        /// The lesson.
        public var lesson: Lesson
        /// The scenario file's text, written beside the page.
        public var scenario: String

        /// A lesson and its scenario's text.
        public init(lesson: Lesson, scenario: String) {
            self.lesson = lesson
            self.scenario = scenario
        }
    }

    /// A file of the handout: its path inside the handout's folder and its text.
    public struct File: Sendable, Equatable {
        /// The path, relative, `/`-separated.
        public var path: String
        /// The contents (UTF-8).
        public var text: String
    }

    /// The page and figure size, in cells (1280 × 720 figures).
    public static let size = (width: 128, height: 36)

    /// The files of a handout of `sources`: `index.html` (by topic), and per lesson `NAME.html` and a folder `NAME/`
    /// with its figures, its trace (`trace.csv`, `trace.json`, as `unroll trace` writes them) and its scenario.
    /// - Throws: a lesson that cannot run, with its name.
    public static func files(_ sources: [Source], theme: Theme) throws -> [File] {
        var out: [File] = []
        var entries: [(name: String, file: String, lesson: Lesson)] = []
        var used: Set<String> = ["index"]
        for source in sources {
            var stem = safeName(source.lesson.name)
            var n = 2
            while used.contains(stem) {
                stem = safeName(source.lesson.name) + "-\(n)"
                n += 1
            }
            used.insert(stem)
            out += try lessonFiles(source, stem: stem, theme: theme)
            entries.append((source.lesson.name, stem, source.lesson))
        }
        out.insert(File(path: "index.html", text: index(entries)), at: 0)
        return out
    }

    /// A lesson's name as a file name: letters, digits, `-` and `_` (a scenario's name is not trusted as a path).
    static func safeName(_ name: String) -> String {
        let safe = String(
            name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "_" }.prefix(40))
        return safe.isEmpty ? "lesson" : safe
    }

    /// Text safe in HTML, as element content and in a quoted attribute: `& < > " '` escaped, control characters
    /// replaced (the SVG figures' escaping).
    public static func escaped(_ text: String) -> String { Canvas.escaped(text) }

    /// The page, figures, trace and scenario of one lesson.
    static func lessonFiles(_ source: Source, stem: String, theme: Theme) throws -> [File] {
        let lesson = source.lesson
        var session: Session
        do { session = try Session(lesson: lesson, asksQuestions: true) } catch {
            throw HandoutError(message: "lesson '\(lesson.name)' cannot run: \(error)")
        }
        var files: [File] = []
        var body = ""
        // Each caption with the figure of its step and phase; a question's figure as the class sees it before the
        // reveal (masked), and the revealed one inside the answer's <details>.
        var figures: [String: String] = [:]
        func figure(_ s: Session, suffix: String = "") -> String {
            let name = "\(s.phase == .forward ? "forward" : "backward")-step\(s.step + 1)\(suffix).svg"
            if figures[name] == nil {
                let canvas = Screen.render(s, theme: theme, width: size.width, height: size.height)
                let svg = canvas.svg(title: s.figureTitle, palette: .of(theme))
                figures[name] = svg
                files.append(File(path: "\(stem)/\(name)", text: svg))
            }
            return "<img src=\"\(stem)/\(name)\" width=\"\(size.width * Canvas.svgCell.width)\" "
                + "height=\"\(size.height * Canvas.svgCell.height)\" alt=\"\(escaped(s.figureTitle))\">"
        }
        let columns = session.columns
        for (i, caption) in lesson.captions.enumerated() {
            let position = caption.phase == .forward ? caption.step : 2 * columns - 1 - caption.step
            session.align(position: position, column: nil)
            let place = "\(caption.phase == .forward ? "Forward" : "Backward"), step \(caption.step + 1) of \(columns)"
            body += "<figure id=\"caption-\(i + 1)\">\n\(figure(session))\n"
            body += "<figcaption><strong>\(place).</strong> \(escaped(caption.text))</figcaption>\n</figure>\n"
            guard let q = caption.question else { continue }
            body += "<div class=\"question\">\n<p><strong>Question.</strong> \(escaped(q.text))</p>\n<ol>\n"
            for choice in q.choices { body += "<li>\(escaped(choice))</li>\n" }
            body += "</ol>\n<details>\n<summary>Answer</summary>\n"
            let right = q.choices.indices.contains(q.answer) ? escaped(q.choices[q.answer]) : ""
            body += "<p><strong>\(q.answer + 1)) \(right).</strong> \(escaped(q.why))</p>\n"
            var revealed = session
            revealed.answers[i] = .some(nil)
            body += figure(revealed, suffix: "-answer") + "\n</details>\n</div>\n"
        }
        if lesson.captions.isEmpty {
            session.align(position: 0, column: nil)
            body += "<figure>\n\(figure(session))\n<figcaption>The first step.</figcaption>\n</figure>\n"
        }
        let scenarioName = "\(stem)/\(stem).yaml"
        files.append(File(path: scenarioName, text: source.scenario))
        files.append(
            File(path: "\(stem)/trace.csv", text: TraceExport.csv(lesson: lesson, run: session.run, trace: session.trace)))
        files.append(
            File(
                path: "\(stem)/trace.json", text: TraceExport.json(lesson: lesson, run: session.run, trace: session.trace)
            ))

        var page = head(title: lesson.title)
        page += "<nav><a href=\"index.html\">All lessons</a></nav>\n<main>\n"
        page += "<h1>\(escaped(lesson.title))</h1>\n"
        if !lesson.summary.isEmpty { page += "<p class=\"summary\">\(escaped(lesson.summary))</p>\n" }
        page += "<p>In a terminal: <code>unroll lesson \(escaped(lesson.name))</code></p>\n"
        page += "<h2>The model</h2>\n" + modelTable(lesson, parameters: session.trace.parameters.reduce(0) { $0 + $1.count })
        page += "<h2>Step by step</h2>\n" + body
        if let worksheet = Lesson.worksheet(named: lesson.name), Lesson.builtin(named: lesson.name) == lesson {
            page += "<h2>Worksheet</h2>\n<div class=\"worksheet\">\n" + markdown(worksheet) + "</div>\n"
        }
        page += "<h2>Files</h2>\n<ul>\n"
        page += "<li><a href=\"\(stem)/trace.csv\">The trace, CSV</a> and <a href=\"\(stem)/trace.json\">JSON</a>: "
        page += "every number the screen shows</li>\n"
        page += "<li><a href=\"\(scenarioName)\">The scenario file</a>: "
        page += "<code>unroll lesson \(stem).yaml</code> opens it</li>\n</ul>\n</main>\n</body>\n</html>\n"
        files.insert(File(path: "\(stem).html", text: page), at: 0)
        return files
    }

    /// The model's settings and its parameter count, as a table.
    static func modelTable(_ lesson: Lesson, parameters: Int) -> String {
        let a = lesson.architecture
        var rows: [(String, String)] = [("Cell", a.cell.rawValue)]
        if a.cell == .rnn { rows.append(("Activation", a.activation.rawValue)) }
        rows.append(("Hidden units per layer", a.hiddenSizes.map(String.init).joined(separator: ", ")))
        if a.bidirectional { rows.append(("Bidirectional", "yes")) }
        if let skip = a.skip { rows.append(("Skip connections", "every \(skip) steps")) }
        rows.append(("Configuration", a.configuration.rawValue))
        if a.feedback != .none { rows.append(("Output feedback", a.feedback.rawValue)) }
        if lesson.training == nil {
            rows.append(("Input", lesson.tokens.joined(separator: " ")))
            rows.append(("Targets", lesson.targetTokens.joined(separator: " ")))
            rows.append(("Loss", lesson.loss.title))
        }
        if let t = lesson.truncation { rows.append(("Truncated BPTT", "chunks of \(t) steps")) }
        rows.append(("Initialisation", "\(lesson.initialization.scheme.rawValue), seed \(lesson.seed)"))
        if let w = lesson.weights { rows.append(("Weights", w.path)) }
        rows.append(("Parameters", String(parameters)))
        var out = "<table class=\"model\">\n"
        for (k, v) in rows { out += "<tr><th scope=\"row\">\(escaped(k))</th><td>\(escaped(v))</td></tr>\n" }
        return out + "</table>\n"
    }

    /// The index page: every lesson under its topic (``UnrollLessons/LessonTopics``), with its summary.
    static func index(_ entries: [(name: String, file: String, lesson: Lesson)]) -> String {
        var page = head(title: "Unroll lessons") + "<main>\n<h1>Unroll lessons</h1>\n"
        page += "<p>Each lesson of Unroll, the step-through of unrolled recurrent networks, as a page: its captions "
        page += "with the screen at their step, its questions (the answers behind a reveal), its worksheet, its "
        page += "model, its trace and its scenario file.</p>\n"
        for topic in LessonTopics.grouped(entries.map(\.name)) {
            page += "<h2>\(escaped(topic.title))</h2>\n<ul>\n"
            for e in entries where topic.lessons.contains(e.name) {
                page += "<li><a href=\"\(e.file).html\">\(escaped(e.lesson.title))</a>"
                if !e.lesson.summary.isEmpty { page += ": \(escaped(e.lesson.summary))" }
                page += "</li>\n"
            }
            page += "</ul>\n"
        }
        return page + "</main>\n</body>\n</html>\n"
    }

    /// The start of a page: no script and nothing from the network allowed, and a print-friendly light style.
    static func head(title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self'; style-src 'unsafe-inline'">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escaped(title))</title>
        <style>
        body{margin:0;background:#ffffff;color:#1a1a1a;font:17px/1.5 'DejaVu Sans',system-ui,sans-serif}
        main{max-width:1300px;margin:0 auto;padding:0 16px 48px}
        nav{padding:8px 16px;background:#f0f0f0}
        a{color:#0057a8}
        h1{font-size:2em;margin:0.6em 0 0.2em}
        .summary{font-size:1.15em;color:#333333}
        figure{margin:1.5em 0}
        figure img,details img{max-width:100%;height:auto;border:1px solid #cccccc}
        figcaption{margin-top:0.4em}
        .question{border-left:4px solid #0072b2;padding:0.2em 1em;background:#f4f8fb}
        details{margin:0.5em 0}
        summary{cursor:pointer;font-weight:bold}
        table.model th{text-align:left;padding-right:1.5em;font-weight:normal;color:#444444}
        code,pre{font-family:'DejaVu Sans Mono',monospace;background:#f3f3f3}
        pre{padding:0.6em;overflow-x:auto}
        </style>
        </head>
        <body>

        """
    }

    /// A worksheet's Markdown as HTML: headings, paragraphs, lists, fenced code, `code` and **bold**; everything
    /// escaped first. The answer key ("## Answer key …" and what follows) goes behind a `<details>`.
    static func markdown(_ text: String) -> String {
        var out = "", paragraph: [String] = [], list: String? = nil, code: [String]? = nil
        var inKey = false
        func inline(_ s: String) -> String {
            var e = escaped(s)
            for (mark, tag) in [("**", "strong"), ("`", "code")] {
                let parts = e.components(separatedBy: mark)
                guard parts.count >= 3 else { continue }
                var r = parts[0]
                for k in 0..<((parts.count - 1) / 2) { r += "<\(tag)>" + parts[2 * k + 1] + "</\(tag)>" + parts[2 * k + 2] }
                if parts.count % 2 == 0, let last = parts.last { r += mark + last }
                e = r
            }
            return e
        }
        func flush() {
            if !paragraph.isEmpty { out += "<p>" + inline(paragraph.joined(separator: " ")) + "</p>\n" }
            paragraph = []
            if let l = list { out += "</\(l)>\n" }
            list = nil
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if code != nil {
                if line.hasPrefix("```") {
                    out += "<pre><code>" + escaped(code!.joined(separator: "\n")) + "</code></pre>\n"
                    code = nil
                } else {
                    code!.append(line)
                }
                continue
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") {
                flush()
                code = []
            } else if trimmed.isEmpty {
                flush()
            } else if let level = ["### ", "## ", "# "].firstIndex(where: { trimmed.hasPrefix($0) }) {
                flush()
                let heading = String(trimmed.drop { $0 == "#" }.dropFirst())
                if level == 1 && heading.lowercased().hasPrefix("answer key") && !inKey {
                    out += "<details>\n<summary>\(inline(heading))</summary>\n"
                    inKey = true
                } else {
                    out += "<h\(5 - level)>\(inline(heading))</h\(5 - level)>\n"
                }
            } else if let item = listItem(trimmed) {
                if !paragraph.isEmpty || list != item.kind { flush() }
                if list == nil { out += "<\(item.kind)>\n" }
                list = item.kind
                out += "<li>" + inline(item.text) + "</li>\n"
            } else if list != nil && line.hasPrefix(" ") {
                out = String(out.dropLast("</li>\n".count)) + " " + inline(trimmed) + "</li>\n"
            } else {
                if list != nil { flush() }
                paragraph.append(trimmed)
            }
        }
        if let c = code { out += "<pre><code>" + escaped(c.joined(separator: "\n")) + "</code></pre>\n" }
        flush()
        return out + (inKey ? "</details>\n" : "")
    }

    /// A Markdown list item: `- text` (ul) or `12. text` (ol).
    static func listItem(_ line: String) -> (kind: String, text: String)? {
        if line.hasPrefix("- ") || line.hasPrefix("* ") { return ("ul", String(line.dropFirst(2))) }
        guard let dot = line.firstIndex(of: "."), Int(line[..<dot]) != nil,
            line[line.index(after: dot)...].hasPrefix(" ")
        else { return nil }
        return ("ol", String(line[line.index(dot, offsetBy: 2)...]))
    }
}

/// A handout that cannot be made: a lesson that cannot run.
public struct HandoutError: Error, CustomStringConvertible {
    /// What went wrong.
    public var message: String
    public var description: String { message }
}
