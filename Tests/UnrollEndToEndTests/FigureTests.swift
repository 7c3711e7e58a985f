import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `unroll figure`: a screen as SVG, text or PNG, checked as a reader sees it (parsed as XML, drawn by rsvg-convert).
@Suite("Figures: any screen as SVG, text or PNG")
struct FigureTests {
    /// A fresh folder for one test's files.
    func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("unroll-figure-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// rsvg-convert, which `make test` installs (librsvg2-bin); its absence fails the test that needs it, loudly.
    func rsvgConvert() throws -> String {
        let found = ["/usr/bin/rsvg-convert", "/usr/local/bin/rsvg-convert"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        return try #require(found, "rsvg-convert is missing: make test installs librsvg2-bin")
    }

    @Test("vanishing, backward step 12: a 1280×720 SVG with a title and a description, that rsvg-convert draws as the screen's colours")
    func vanishingFigure() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let svg = dir.appendingPathComponent("v.svg").path
        let r = try run([unrollBinary, "figure", "vanishing", "--step", "12", "--phase", "backward", "-o", svg])
        #expect(r.status == 0, "\(r.err)")
        let document = try XMLDocument(contentsOf: URL(fileURLWithPath: svg))
        let root = try #require(document.rootElement())
        #expect(root.name == "svg")
        let attribute = { (name: String) in root.attributes?.first { $0.name == name }?.stringValue }
        #expect(attribute("width") == "1280" && attribute("height") == "720", "\(root.attributes ?? [])")
        #expect(attribute("viewBox") == "0 0 1280 720")
        let title = try #require(root.elements(forName: "title").first?.stringValue)
        #expect(title.hasPrefix("Vanishing") && title.hasSuffix("backward, step 12 of 12"), "\(title)")
        let desc = try #require(root.elements(forName: "desc").first?.stringValue)
        #expect(desc.contains("BACKWARD THROUGH TIME") && desc.contains("step 12/12"))

        // The same screen as text: its lines are the description's, and tell where the phase badge is.
        let text = try run([
            unrollBinary, "figure", "vanishing", "--step", "12", "--phase", "backward", "--format", "txt"
        ])
        #expect(text.status == 0, "\(text.err)")
        let lines = text.out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        try #require(lines.count >= 36)
        #expect(Array(lines.prefix(36)) == desc.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        let header = Array(lines[0])
        let badge = try #require(
            (0..<header.count).first { String(header[$0...]).hasPrefix(" ← BACKWARD") }, "no badge in \(lines[0])")

        let png = dir.appendingPathComponent("v.png").path
        let drawn = try run([try rsvgConvert(), svg, "-o", png])
        #expect(drawn.status == 0, "\(drawn.err)")
        let image = try PNGImage(Data(contentsOf: URL(fileURLWithPath: png)))
        #expect(image.width == 1280 && image.height == 720)
        let colours = image.histogram
        #expect(colours.count > 50, "a figure of one colour: \(colours.count)")
        let background = try #require(colours.max { $0.value < $1.value })
        #expect(background.key == "#1c1c1c")
        // The backward badge is magenta reversed: its leading space cell is filled with xterm's magenta (#cd00cd),
        // and the header's first cell (" Unroll " reversed in the title's colour) is not the background.
        #expect(image.hex(x: badge * 10 + 5, y: 10) == "#cd00cd")
        #expect(image.hex(x: 5, y: 10) != "#1c1c1c")
    }

    @Test("The figure is the screen: at 100x30 without colour, forward step 3, its text is what tmux shows after two steps")
    func figureIsTheScreen() throws {
        let figure = try run([
            unrollBinary, "figure", "memory", "--step", "3", "--size", "100x30", "--format", "txt", "--no-color"
        ])
        #expect(figure.status == 0, "\(figure.err)")
        // Without colour a heatmap is shading glyphs, so the text holds every value the screen shows.
        let t = try Tmux("\(unrollBinary) lesson memory", width: 100, height: 30, environment: ["NO_COLOR": "1"])
        try t.wait(for: "step 1/")
        try t.send("l", "l")
        let screen = try t.wait(for: "step 3/")
        let trimmed = { (s: String) in
            s.split(separator: "\n", omittingEmptySubsequences: false).map {
                String($0.reversed().drop { $0 == " " }.reversed())
            }.prefix(30).map { $0 }
        }
        #expect(trimmed(figure.out) == trimmed(screen))
    }

    @Test("--keys are pressed at the step: an LSTM (c) answers to its gates; --panel crops to one panel")
    func keysAndPanel() throws {
        let r = try run([
            unrollBinary, "figure", "memory", "--step", "2", "--keys", "c<right>", "--panel", "inspector", "--format",
            "txt", "--size", "120x40"
        ])
        #expect(r.status == 0, "\(r.err)")
        let lines = r.out.split(separator: "\n").map(String.init)
        let first = try #require(lines.first)
        #expect(first.hasPrefix("┌") && first.contains("step 3"), "\(first)")
        let columns = try #require(lines.dropFirst().first)
        #expect(columns.contains(" i ") && columns.contains(" f ") && columns.contains("c_t"), "\(r.out)")
        #expect(!r.out.contains("Unroll"), "the header is outside the inspector")
    }

    @Test("A PNG at the SVG's size, through rsvg-convert")
    func png() throws {
        _ = try rsvgConvert()
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("m.png").path
        let r = try run([unrollBinary, "figure", "memory", "--format", "png", "--size", "80x24", "-o", out])
        #expect(r.status == 0, "\(r.err)")
        let image = try PNGImage(Data(contentsOf: URL(fileURLWithPath: out)))
        #expect(image.width == 800 && image.height == 480)
    }

    @Test(
        "Bad flags: each gets one message naming it, exit 2, and no file is left behind",
        arguments: [
            (["--keys", "ab<foo>"], "--keys: key 3, '<foo>': no such key"),
            (["--keys", "<right"], "'<' is not closed"),
            (["--keys", "Z"], "key 1, 'Z', does nothing in the step-through"),
            (["--keys", "q"], "key 1, 'q', quits"),
            (["--step", "99"], "--step 99: 'memory' has 6 steps"),
            (["--step", "0"], "--step counts from 1"),
            (["--size", "10x10"], "--size must be from 80x24 to 400x200, found '10x10'"),
            (["--size", "wide"], "--size must be COLUMNSxROWS"),
            (["--phase", "sideways"], "--phase must be forward or backward, found 'sideways'"),
            (["--panel", "legend"], "--panel must be all, graph, gradient, inspector or equations, found 'legend'"),
            (["--format", "png"], "--format png needs -o FILE")
        ])
    func badFlags(flags: [String], message: String) throws {
        let r = try run([unrollBinary, "figure", "memory"] + flags)
        #expect(r.status == 2)
        #expect(r.err.contains(message), "\(r.err)")
        #expect(r.out.isEmpty)
    }

    @Test("A path that cannot be written: a clear message, exit 2, nothing written; an existing file needs --force")
    func unwritable() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = dir.appendingPathComponent("no/such/folder/f.svg").path
        let r = try run([unrollBinary, "figure", "memory", "-o", missing])
        #expect(r.status == 2)
        #expect(r.err.contains(missing), "\(r.err)")
        let existing = dir.appendingPathComponent("f.svg")
        try "keep".write(to: existing, atomically: true, encoding: .utf8)
        let refused = try run([unrollBinary, "figure", "memory", "-o", existing.path])
        #expect(refused.status == 2 && refused.err.contains("exists"), "\(refused.err)")
        #expect(try String(contentsOf: existing, encoding: .utf8) == "keep")
        let forced = try run([unrollBinary, "figure", "memory", "-o", existing.path, "--force"])
        #expect(forced.status == 0, "\(forced.err)")
        #expect(try String(contentsOf: existing, encoding: .utf8).hasPrefix("<?xml"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["f.svg"])
    }

    @Test("A lesson whose text is markup gives inert text: the SVG parses and has no element but its own")
    func hostileText() throws {
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Corpus/figures/markup-in-every-text.yaml")
        let r = try run([unrollBinary, "figure", corpus.path, "--step", "2"])
        #expect(r.status == 0, "\(r.err)")
        let document = try XMLDocument(data: Data(r.out.utf8))
        let root = try #require(document.rootElement())
        var names = Set<String>()
        func walk(_ node: XMLNode) {
            if let e = node as? XMLElement { names.insert(e.name ?? "") }
            for child in node.children ?? [] { walk(child) }
        }
        walk(root)
        #expect(names.isSubset(of: ["svg", "title", "desc", "style", "rect", "text", "path", "g"]), "\(names)")
        #expect(names.isSuperset(of: ["svg", "title", "desc", "text"]), "\(names)")
        let title = try #require(root.elements(forName: "title").first?.stringValue)
        #expect(title.contains("</title><script>alert(1)</script>"), "\(title)")
        #expect(root.attributes?.contains { $0.name == "onload" } == false)
    }
}

/// The `F` key in the step-through.
@Suite("Figures: the F key")
struct FigureKeyTests {
    @Test("F writes the screen as SVG and text in the current folder and says where; again, under another name")
    func key() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("unroll-fkey-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let t = try Tmux("cd \(dir.path) && \(unrollBinary) lesson memory", width: 100, height: 30)
        try t.wait(for: "step 1/")
        try t.send("l", "F")
        let said = try t.wait(for: "figure written")
        #expect(said.contains("figure written: unroll-memory-step2-forward.svg and .txt"), "\(said)")
        try t.send("F")
        try t.wait(for: "unroll-memory-step2-forward-2.svg")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(
            files == [
                "unroll-memory-step2-forward-2.svg", "unroll-memory-step2-forward-2.txt",
                "unroll-memory-step2-forward.svg", "unroll-memory-step2-forward.txt"
            ])
        // The text is the screen as it was drawn when F was pressed: step 2, before the status said anything.
        let text = try String(contentsOf: dir.appendingPathComponent("unroll-memory-step2-forward.txt"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        try #require(lines.count >= 30)
        #expect(lines[0].contains("step 2/6") && lines[0].count == 100)
        let svg = try String(contentsOf: dir.appendingPathComponent("unroll-memory-step2-forward.svg"), encoding: .utf8)
        #expect(svg.contains("<title id=\"title\">The memory of an RNN: forward, step 2 of 6</title>"))
    }
}
