import Foundation
import Testing
import UnrollLessons

@testable import UnrollUI

/// `Handout.files`: a lesson's page as text, before anything is written.
@Suite("Handout pages")
struct HandoutPageTests {
    let theme = Theme(colorMode: .color256, glyphs: .unicode, contrast: .light)

    /// The handout of one built-in lesson: its files by path.
    func handout(_ name: String) throws -> [String: String] {
        let lesson = try #require(Lesson.builtin(named: name))
        let scenario = try #require(Lesson.builtinScenario(named: name))
        let files = try Handout.files([Handout.Source(lesson: lesson, scenario: scenario)], theme: theme)
        return Dictionary(files.map { ($0.path, $0.text) }) { a, _ in a }
    }

    /// `page` with every `<details>…</details>` taken out: what a reader sees before opening a reveal.
    func closed(_ page: String) -> String {
        var out = "", rest = Substring(page)
        while let open = rest.range(of: "<details>") {
            out += rest[..<open.lowerBound]
            guard let close = rest.range(of: "</details>", range: open.upperBound..<rest.endIndex) else { return out }
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    @Test("vanishing: title, summary, every caption and question, each answer and its 'why' only behind <details>")
    func vanishing() throws {
        let files = try handout("vanishing")
        let page = try #require(files["vanishing.html"])
        let lesson = try #require(Lesson.builtin(named: "vanishing"))
        #expect(page.contains("<h1>\(Handout.escaped(lesson.title))</h1>"))
        #expect(page.contains(Handout.escaped(lesson.summary)))
        let questions = lesson.captions.compactMap(\.question)
        try #require(questions.count == 2)
        for caption in lesson.captions { #expect(page.contains(Handout.escaped(caption.text)), "\(caption.text)") }
        let shut = closed(page)
        for q in questions {
            #expect(shut.contains(Handout.escaped(q.text)))
            #expect(page.contains(Handout.escaped(q.why)))
            #expect(!shut.contains(Handout.escaped(q.why)), "the answer's 'why' outside a reveal: \(q.why)")
        }
        // The model: 8 hidden units (examples/vanishing.yaml) and the trace's parameter count, 301 (the header's).
        #expect(page.contains("<th scope=\"row\">Hidden units per layer</th><td>8</td>"))
        #expect(page.contains("<th scope=\"row\">Parameters</th><td>301</td>"))
        // Its worksheet (docs/labs/vanishing.md), the answer key behind a reveal.
        #expect(shut.contains("<h2>Worksheet</h2>") && shut.contains("<h4>Questions</h4>"))
        #expect(page.contains("<summary>Answer key (for teachers)</summary>"))
        #expect(!shut.contains("About 50 times at"), "the worksheet's answer key outside a reveal")
        for file in ["trace.csv", "trace.json", "vanishing.yaml"] { #expect(files["vanishing/\(file)"] != nil) }
        #expect(files["vanishing/vanishing.yaml"] == Lesson.builtinScenario(named: "vanishing"))
    }

    @Test("A question's step is drawn masked as the class sees it before the reveal; the revealed screen is in <details>")
    func questionFigureMasked() throws {
        let files = try handout("vanishing")
        let page = try #require(files["vanishing.html"])
        let shut = closed(page)
        // The second question, backward step 5: ‖∂L/∂h‖ there is 0.011 on the revealed screen (issue 22, read on
        // screen): the masked figure must not show it, the revealed one does.
        #expect(shut.contains("src=\"vanishing/backward-step5.svg\""))
        #expect(!shut.contains("backward-step5-answer.svg"))
        let masked = try #require(files["vanishing/backward-step5.svg"])
        let revealed = try #require(files["vanishing/backward-step5-answer.svg"])
        #expect(masked.contains(Reveal.mask))
        #expect(!masked.contains("0.011"))
        #expect(revealed.contains("0.011") && !revealed.contains(Reveal.mask))
    }

    @Test("The model table names the loss in words (memory: cross-entropy; nan: mean squared error), not a Swift case")
    func lossName() throws {
        let memory = try #require(handout("memory")["memory.html"])
        #expect(memory.contains("<th scope=\"row\">Loss</th><td>cross-entropy</td>"))
        #expect(!memory.contains("crossEntropy"))
        let nan = try #require(handout("nan")["nan.html"])
        #expect(nan.contains("<th scope=\"row\">Loss</th><td>mean squared error</td>"))
    }

    @Test("The index lists the lessons under the topics of the lesson plan, in its order")
    func index() throws {
        let names = ["vanishing", "memory", "lstm"]
        let sources = try names.map { name in
            Handout.Source(
                lesson: try #require(Lesson.builtin(named: name)), scenario: try #require(Lesson.builtinScenario(named: name)))
        }
        let files = try Handout.files(sources, theme: theme)
        let index = try #require(files.first { $0.path == "index.html" }?.text)
        let order = ["Memory and shared weights", "memory.html", "Long-term dependencies", "vanishing.html", "Gated cells", "lstm.html"]
        let positions = try order.map { try #require(index.range(of: $0)?.lowerBound, "\($0)") }
        #expect(positions == positions.sorted())
    }

    @Test("Worksheet Markdown: headings, lists, code and bold become elements; its own markup stays text")
    func markdown() {
        let html = Handout.markdown(
            "# Lab 1\n\n**Goal.** See `h_t` <b>.\n\n- one\n- two\n\n```\nunroll <x>\n```\n\n## Answer key\n\n1. yes")
        #expect(html.contains("<h3>Lab 1</h3>"))
        #expect(html.contains("<p><strong>Goal.</strong> See <code>h_t</code> &lt;b&gt;.</p>"))
        #expect(html.contains("<ul>\n<li>one</li>\n<li>two</li>\n</ul>"))
        #expect(html.contains("<pre><code>unroll &lt;x&gt;</code></pre>"))
        #expect(html.contains("<details>\n<summary>Answer key</summary>\n<ol>\n<li>yes</li>\n</ol>\n</details>"))
    }
}
