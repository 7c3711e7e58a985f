import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Headless Chromium, which `make test` installs (Debian: chromium): a page or a figure drawn as a reader's browser
/// draws it. Its absence fails the test that needs it, loudly.
enum Chromium {
    /// The browser's path, or a failed requirement naming the package.
    static func path() throws -> String {
        let found = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/local/bin/chromium"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        return try #require(
            found, "Chromium is missing: make test installs it (apt-get install chromium); this test cannot run without it")
    }

    /// A screenshot of `url` at `width × height`, decoded. Chromium gets a profile, HOME and caches of its own in a
    /// fresh folder (tests may run as nobody, HOME a temporary folder, no SHELL), no sandbox (root cannot have one),
    /// and TMPDIR=/tmp: it puts Unix sockets there, whose paths hold 108 bytes (a 100-character TMPDIR breaks it).
    static func screenshot(_ url: URL, width: Int, height: Int) throws -> PNGImage {
        let browser = try path()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("unroll-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let shot = dir.appendingPathComponent("shot.png")
        let r = try run(
            [
                "timeout", "120", browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--no-first-run", "--disable-extensions", "--user-data-dir=\(dir.path)/profile",
                "--screenshot=\(shot.path)", "--window-size=\(width),\(height)", url.absoluteString
            ],
            environment: [
                "HOME": dir.path, "XDG_CONFIG_HOME": dir.path + "/config", "XDG_CACHE_HOME": dir.path + "/cache",
                "TMPDIR": "/tmp"
            ])
        try #require(
            r.status == 0 && FileManager.default.fileExists(atPath: shot.path),
            "chromium exited \(r.status) without a screenshot: \(r.err.suffix(2000))")
        return try PNGImage(Data(contentsOf: shot))
    }
}

/// `unroll handout`: static pages of lessons, read as a browser shows them.
@Suite("Handouts: every lesson as a web page")
struct HandoutTests {
    /// A fresh folder for one test's files.
    func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("unroll-handout-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test("all: an index by topic linking a page per built-in lesson, each with its figures, trace and scenario beside it")
    func all() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let site = dir.appendingPathComponent("site")
        let r = try run([unrollBinary, "handout", "all", "-o", site.path])
        #expect(r.status == 0, "\(r.err)")
        let names = try run([unrollBinary, "lessons"]).out.split(separator: "\n")
            .filter { $0.hasPrefix("   ") }.compactMap { $0.split(separator: " ").first.map(String.init) }
        try #require(names.count > 30)
        let index = try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8)
        var last = index.startIndex
        for name in names {
            // Each page in the order `unroll lessons` lists them (by topic), and its files where the page says.
            let link = try #require(index.range(of: "href=\"\(name).html\""), "\(name) not in the index")
            #expect(link.lowerBound > last, "\(name) out of the topics' order")
            last = link.lowerBound
            let page = try String(contentsOf: site.appendingPathComponent("\(name).html"), encoding: .utf8)
            for file in ["trace.csv", "trace.json", "\(name).yaml"] {
                #expect(page.contains("href=\"\(name)/\(file)\""), "\(name): no link to \(file)")
                #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("\(name)/\(file)").path))
            }
            let images = page.components(separatedBy: "<img src=\"").dropFirst().compactMap {
                $0.split(separator: "\"").first.map(String.init)
            }
            #expect(!images.isEmpty, "\(name): no figure")
            for image in images {
                #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent(image).path), "\(image)")
            }
        }
        #expect(index.contains("<h2>Long-term dependencies</h2>"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(leftovers == ["site"], "\(leftovers)")
    }

    @Test("A folder that cannot be written: a clear message, exit 2, nothing left behind; an existing one needs --force")
    func unwritable() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = dir.appendingPathComponent("no/such/site").path
        let r = try run([unrollBinary, "handout", "memory", "-o", missing])
        #expect(r.status == 2 && r.err.contains("does not exist"), "\(r.err)")
        let file = dir.appendingPathComponent("plain")
        try "keep".write(to: file, atomically: true, encoding: .utf8)
        let underFile = try run([unrollBinary, "handout", "memory", "-o", file.path + "/site"])
        #expect(underFile.status == 2 && underFile.err.contains("cannot write"), "\(underFile.err)")
        let onFile = try run([unrollBinary, "handout", "memory", "-o", file.path, "--force"])
        #expect(onFile.status == 2 && onFile.err.contains("not a folder"), "\(onFile.err)")

        let site = dir.appendingPathComponent("site")
        try FileManager.default.createDirectory(at: site, withIntermediateDirectories: false)
        try "mine".write(to: site.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let refused = try run([unrollBinary, "handout", "memory", "-o", site.path])
        #expect(refused.status == 2 && refused.err.contains("exists"), "\(refused.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: site.path) == ["notes.txt"])
        let forced = try run([unrollBinary, "handout", "memory", "-o", site.path, "--force"])
        #expect(forced.status == 0, "\(forced.err)")
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("memory.html").path))
        #expect(!FileManager.default.fileExists(atPath: site.appendingPathComponent("notes.txt").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["plain", "site"])
        #expect(try String(contentsOf: file, encoding: .utf8) == "keep")
    }

    @Test("A lesson whose every text is markup: the page has only the handout's own tags, no script, no handler")
    func hostile() throws {
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Corpus/figures/markup-in-questions.yaml")
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let site = dir.appendingPathComponent("site")
        let r = try run([unrollBinary, "handout", corpus.path, "-o", site.path])
        #expect(r.status == 0, "\(r.err)")
        let page = try String(contentsOf: site.appendingPathComponent("markup.html"), encoding: .utf8)
        let allowed: Set<String> = [
            "!doctype", "html", "head", "meta", "title", "style", "body", "nav", "a", "main", "h1", "h2", "p", "code",
            "table", "tr", "th", "td", "figure", "img", "figcaption", "strong", "div", "ol", "li", "details",
            "summary", "ul"
        ]
        var tags = Set<String>()
        for part in page.components(separatedBy: "<").dropFirst() {
            let name = part.prefix { !" >\n".contains($0) }.lowercased()
            tags.insert(name.hasPrefix("/") ? String(name.dropFirst()) : name)
            // The tag's attributes, their quoted values left out (an escaped value holds no quote): no handler.
            let tag = part.prefix { $0 != ">" }.split(separator: "\"", omittingEmptySubsequences: false)
                .enumerated().filter { $0.offset % 2 == 0 }.map(\.element).joined().lowercased()
            #expect(!tag.contains(" on") && !tag.contains("javascript:"), "<\(part.prefix(80))")
        }
        #expect(tags.isSubset(of: allowed), "\(tags.subtracting(allowed))")
        #expect(!page.lowercased().contains("<script") && !page.lowercased().contains("<svg"))
        // The hostile text is there, as text.
        #expect(page.contains("&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"), "\(page.prefix(2000))")
        // Its figures parse as SVG with only the figure's own elements.
        let svgs = try FileManager.default.contentsOfDirectory(atPath: site.appendingPathComponent("markup").path)
            .filter { $0.hasSuffix(".svg") }
        try #require(!svgs.isEmpty)
        for svg in svgs {
            let document = try XMLDocument(contentsOf: site.appendingPathComponent("markup/\(svg)"))
            var names = Set<String>()
            func walk(_ node: XMLNode) {
                if let e = node as? XMLElement { names.insert(e.name ?? "") }
                for child in node.children ?? [] { walk(child) }
            }
            walk(try #require(document.rootElement()))
            #expect(names.isSubset(of: ["svg", "title", "desc", "style", "rect", "text", "path", "g"]), "\(names)")
        }
    }

    @Test("Chromium draws a handout page: the screenshot is the window's size, not blank, the figure in the light theme's colours")
    func chromiumPage() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let site = dir.appendingPathComponent("site")
        let r = try run([unrollBinary, "handout", "vanishing", "-o", site.path])
        #expect(r.status == 0, "\(r.err)")
        let image = try Chromium.screenshot(
            site.appendingPathComponent("vanishing.html"), width: 1300, height: 1600)
        #expect(image.width == 1300 && image.height == 1600)
        let colours = image.histogram
        #expect(colours.count > 50, "a page of \(colours.count) colours")
        let page = try #require(colours.max { $0.value < $1.value })
        #expect(page.key == "#ffffff", "the page is white")
        // The first figure: its 1 px border (#cccccc) is a line across most of the page's width.
        let top = try #require(
            (0..<image.height).first { y in
                (0..<image.width).filter { image.hex(x: $0, y: y) == "#cccccc" }.count > 1000
            }, "no figure border in the screenshot")
        let left = try #require((0..<image.width).first { image.hex(x: $0, y: top) == "#cccccc" })
        // Inside it, the screen at 1268/1280 scale: the light theme's paper (xterm 231), the header's reversed
        // " Unroll " in ink (xterm 235, #262626) at its left, and the forward badge, green darkened to read on white
        // (xterm 28, #008700), at its right.
        let scale = Double(1300 - 32) / 1280
        func at(_ x: Double, _ y: Double) -> String { image.hex(x: left + 1 + Int(x * scale), y: top + 1 + Int(y * scale)) }
        #expect(at(640, 300) == "#ffffff" || colours["#ffffff", default: 0] > 500_000)
        #expect(at(3, 10) == "#262626", "header badge: \(at(3, 10))")
        #expect(at(1275, 10) == "#008700", "phase badge: \(at(1275, 10))")
    }

    @Test("Chromium draws a figure as rsvg-convert does: 1280×720, the dark screen's background and the backward badge")
    func chromiumFigure() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let svg = dir.appendingPathComponent("v.svg")
        let r = try run([unrollBinary, "figure", "vanishing", "--step", "12", "--phase", "backward", "-o", svg.path])
        #expect(r.status == 0, "\(r.err)")
        let text = try run([unrollBinary, "figure", "vanishing", "--step", "12", "--phase", "backward", "--format", "txt"])
        let header = Array(try #require(text.out.split(separator: "\n").first))
        let badge = try #require((0..<header.count).first { String(header[$0...]).hasPrefix(" ← BACKWARD") })
        let image = try Chromium.screenshot(svg, width: 1280, height: 720)
        #expect(image.width == 1280 && image.height == 720)
        let colours = image.histogram
        #expect(colours.count > 50, "a figure of \(colours.count) colours")
        #expect(colours.max { $0.value < $1.value }?.key == "#1c1c1c")
        #expect(image.hex(x: badge * 10 + 5, y: 10) == "#cd00cd")
    }
}
