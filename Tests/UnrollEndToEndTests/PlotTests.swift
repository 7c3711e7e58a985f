import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `unroll figure --plot`: charts of the trace, their values checked against `unroll trace --format json` read
/// here independently, their axes read back from their own tick marks, drawn by rsvg-convert.
@Suite("Figures: plots of the trace")
struct PlotTests {
    /// The figure's SVG, parsed.
    func chart(_ args: [String]) throws -> XMLElement {
        let r = try run([unrollBinary, "figure"] + args)
        #expect(r.status == 0, "\(r.err)")
        let document = try XMLDocument(data: Data(r.out.utf8))
        return try #require(document.rootElement())
    }

    /// The layers of a lesson's trace as JSON.
    func traceLayers(_ lesson: String) throws -> [[String: Any]] {
        let r = try run([unrollBinary, "trace", lesson, "--format", "json"])
        #expect(r.status == 0, "\(r.err)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let layers = try #require(json["layers"] as? [[String: Any]], "\(json.keys)")
        try #require(!layers.isEmpty)
        return layers
    }

    /// The entries of a matrix as JSON (nested arrays of numbers), flattened.
    func entries(_ m: Any?) throws -> [Double] {
        if let n = m as? Double { return [n] }
        let rows = try #require(m as? [Any], "not a matrix: \(String(describing: m))")
        return try rows.flatMap { try entries($0) }
    }

    /// Every element under `e` named `name` whose `class` is `cls`.
    func elements(_ e: XMLElement, _ name: String, class cls: String) -> [XMLElement] {
        var out: [XMLElement] = []
        func walk(_ node: XMLElement) {
            if node.name == name && attr(node, "class") == cls { out.append(node) }
            for child in node.children ?? [] { if let c = child as? XMLElement { walk(c) } }
        }
        walk(e)
        return out
    }

    /// An attribute's value (FoundationXML's `attribute(forName:)` finds none under the SVG namespace).
    func attr(_ e: XMLElement, _ name: String) -> String? { e.attributes?.first { $0.name == name }?.stringValue }

    func number(_ e: XMLElement, _ name: String) throws -> Double {
        try #require(attr(e, name).flatMap(Double.init), "no \(name) in \(e)")
    }

    /// The value at a position, read from the axis's own ticks: interpolated between the first and the last
    /// (`log`: in log10 of the value).
    func reader(_ root: XMLElement, ticks cls: String, coordinate: String, log: Bool) throws -> (Double) -> Double {
        let ticks = try elements(root, "line", class: cls).map {
            (try number($0, "data-value"), try number($0, coordinate))
        }
        let a = try #require(ticks.min { $0.0 < $1.0 }), b = try #require(ticks.max { $0.0 < $1.0 })
        try #require(a.1 != b.1)
        let f = { (v: Double) in log ? Foundation.log10(v) : v }
        return { p in
            let u = f(a.0) + (p - a.1) / (b.1 - a.1) * (f(b.0) - f(a.0))
            return log ? Foundation.pow(10, u) : u
        }
    }

    /// The points of series `k`: (t, value) as read back from the axes.
    func points(_ root: XMLElement, series k: Int, log: Bool) throws -> [(t: Double, value: Double)] {
        let x = try reader(root, ticks: "xtick", coordinate: "x1", log: false)
        let y = try reader(root, ticks: "ytick", coordinate: "y1", log: log)
        return try elements(root, "circle", class: "point").filter {
            attr($0, "data-series") == String(k)
        }.map { (x(try number($0, "cx")), y(try number($0, "cy"))) }
    }

    @Test(
        "vanishing --plot gradient: ‖∂L_12/∂h_t‖ of its one loss per step, as the trace's ∂L/∂h_t has it, on decades; Pascanu's bound dashed"
    )
    func gradient() throws {
        let root = try chart(["vanishing", "--plot", "gradient"])
        #expect(attr(root, "width") == "960")
        #expect(attr(root, "height") == "540")
        // The norms, from the JSON trace: the Frobenius norm of each step's grad_hidden.
        let steps = try #require(try traceLayers("vanishing").first?["steps"] as? [[String: Any]])
        let norms = try steps.map { s in try entries(s["grad_hidden"]).reduce(0) { $0 + $1 * $1 }.squareRoot() }
        try #require(norms.count == 12)
        let drawn = try points(root, series: 0, log: true)
        try #require(drawn.count == 12, "one point per step")
        for (i, p) in drawn.enumerated() {
            #expect(abs(p.t - Double(i + 1)) < 0.01, "point \(i) at t=\(p.t)")
            #expect(abs(p.value - norms[i]) <= 1e-3 * norms[i], "t=\(i + 1): drawn \(p.value), trace \(norms[i])")
        }
        // The y ticks are whole decades, labelled as powers of ten.
        let majors = elements(root, "line", class: "ytick").compactMap { attr($0, "data-value") }
            .compactMap(Double.init).filter { abs(Foundation.log10($0) - Foundation.log10($0).rounded()) < 1e-9 }
        #expect(majors.count >= 2)
        let texts = (root.elements(forName: "text")).compactMap(\.stringValue)
        #expect(texts.contains { $0.hasPrefix("10⁻") }, "\(texts)")
        // The lesson plots the gradient of the loss at its last step, its only loss (so the trace's ∂L/∂h_t, of the
        // total, is the same), and the label says which.
        #expect(texts.contains("‖∂L_12/∂h_t‖, L_12 the last step's loss (log scale)"), "\(texts)")
        #expect(texts.contains("step t"))
        // The bound: a dashed line, named as the gradient panel names it, never below the norms it bounds.
        let legend = elements(root, "text", class: "legend").compactMap(\.stringValue)
        #expect(legend.contains { $0.hasPrefix("bound ") && $0.contains("Pascanu") }, "\(legend)")
        let bound = elements(root, "path", class: "line").filter { attr($0, "stroke-dasharray") == "6 4" }
        #expect(bound.count == 1)
    }

    @Test("--plot loss: each run's loss per iteration as `unroll train --log` logs it, --versus overlaid, the baseline dashed")
    func loss() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("unroll-loss-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let root = try chart(["train-adding-rnn", "--plot", "loss", "--versus", "train-adding-lstm", "--iterations", "6"])
        let texts = root.elements(forName: "text").compactMap(\.stringValue)
        #expect(texts.contains { $0.hasPrefix("loss (mean squared error)") }, "\(texts)")
        #expect(texts.contains("iteration (one mini-batch)"))
        let legend = elements(root, "text", class: "legend").compactMap(\.stringValue)
        #expect(legend.prefix(2) == ["RNN, H = 32", "LSTM, H = 32"], "\(legend)")
        #expect(legend.contains { $0.hasPrefix("baseline: ") })
        let log = texts.contains { $0.hasSuffix("log scale") }
        for (k, lesson) in [(0, "train-adding-rnn"), (1, "train-adding-lstm")] {
            // The same run, logged by `unroll train`.
            let csv = dir.appendingPathComponent("\(k).csv").path
            let r = try run([unrollBinary, "train", lesson, "--iterations", "6", "--log", csv])
            #expect(r.status == 0, "\(r.err)")
            let losses = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").dropFirst()
                .map { try #require(Double($0.split(separator: ",")[1])) }
            let drawn = try points(root, series: k, log: log)
            try #require(drawn.count == 6 && losses.count == 6)
            for (i, p) in drawn.enumerated() {
                #expect(abs(p.t - Double(i + 1)) < 0.01)
                #expect(abs(p.value - losses[i]) <= 2e-3 * losses[i], "run \(k) iteration \(i + 1): \(p.value) vs \(losses[i])")
            }
        }
        let bad = try run([unrollBinary, "figure", "vanishing", "--plot", "loss"])
        #expect(bad.status == 2 && bad.err.contains("not a training lesson"), "\(bad.err)")
        let stray = try run([unrollBinary, "figure", "vanishing", "--versus", "lstm"])
        #expect(stray.status != 0 && stray.err.contains("--plot loss"), "\(stray.err)")
    }

    @Test("lstm --plot gates: each gate's mean over units per step, as the trace's gates have it")
    func gates() throws {
        let root = try chart(["lstm", "--plot", "gates"])
        let steps = try #require(try traceLayers("lstm").first?["steps"] as? [[String: Any]])
        try #require(!steps.isEmpty)
        for (k, gate) in ["i", "f", "g", "o"].enumerated() {
            let means = try steps.map { s in
                let gates = try #require(s["gates"] as? [String: Any])
                let v = try entries(gates[gate])
                try #require(!v.isEmpty)
                return v.reduce(0, +) / Double(v.count)
            }
            let drawn = try points(root, series: k, log: false)
            try #require(drawn.count == means.count, "gate \(gate)")
            for (i, p) in drawn.enumerated() {
                #expect(abs(p.value - means[i]) < 1e-3, "gate \(gate), t=\(i + 1): drawn \(p.value), trace \(means[i])")
            }
        }
        let legend = elements(root, "text", class: "legend").compactMap(\.stringValue)
        #expect(legend == ["i_t input gate", "f_t forget gate", "g_t candidate (tanh)", "o_t output gate"])
        // Okabe–Ito, one colour a gate.
        let colours = elements(root, "path", class: "line").compactMap { attr($0, "stroke") }
        #expect(colours == ["#0072B2", "#E69F00", "#009E73", "#CC79A7"])
    }

    @Test("memory --plot heatmap: one cell per unit and step, red where h_t is positive, blue where negative")
    func heatmap() throws {
        let root = try chart(["memory", "--plot", "heatmap"])
        let steps = try #require(try traceLayers("memory").first?["steps"] as? [[String: Any]])
        let hidden = try steps.map { try entries($0["hidden"]) }
        let units = try #require(hidden.first?.count)
        let cells = elements(root, "rect", class: "cell")
        #expect(cells.count == units * steps.count)
        let limit = try #require(hidden.joined().map(abs).max())
        var checked = 0
        for cell in cells {
            let j = Int(try number(cell, "data-row")), i = Int(try number(cell, "data-column"))
            let h = hidden[i][j]
            let fill = try #require(attr(cell, "fill"))
            let rgb = try (0..<3).map { k in
                try #require(Int(fill.dropFirst(1 + 2 * k).prefix(2), radix: 16))
            }
            if h > 0.1 * limit { #expect(rgb[0] > rgb[2], "unit \(j + 1), t=\(i + 1): h=\(h) drawn \(fill)") }
            if h < -0.1 * limit { #expect(rgb[2] > rgb[0], "unit \(j + 1), t=\(i + 1): h=\(h) drawn \(fill)") }
            if abs(h) > 0.1 * limit { checked += 1 }
        }
        #expect(checked > 0)
        // The colour bar's ends are ±max|h_t|.
        let ends = elements(root, "line", class: "ctick").compactMap { attr($0, "data-value") }
            .compactMap(Double.init)
        #expect(abs((ends.max() ?? 0) - limit) < 1e-9 && abs((ends.min() ?? 0) + limit) < 1e-9, "\(ends)")
    }

    @Test("--keys change the model first: memory with c is an LSTM and plots four gates; ] scales W_hh up")
    func keys() throws {
        let root = try chart(["memory", "--plot", "gates", "--keys", "c"])
        #expect(elements(root, "path", class: "line").count == 4)
        let plain = try chart(["vanishing", "--plot", "gradient"])
        let scaled = try chart(["vanishing", "--plot", "gradient", "--keys", "]]"])
        let sigma = { (root: XMLElement) in
            self.elements(root, "text", class: "legend").compactMap(\.stringValue).first { $0.hasPrefix("bound") }
        }
        let a = try #require(sigma(plain)), b = try #require(sigma(scaled))
        #expect(a != b, "\(a)")
    }

    @Test("rsvg-convert draws each chart at 960×540, on white, with the data's colours")
    func drawn() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("unroll-plot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (lesson, plot, colour) in [
            ("vanishing", "gradient", "#0072b2"), ("gru", "gates", "#0072b2"), ("memory", "heatmap", "#000000")
        ] {
            let out = dir.appendingPathComponent("\(plot).png").path
            let r = try run([unrollBinary, "figure", lesson, "--plot", plot, "--format", "png", "-o", out])
            #expect(r.status == 0, "\(r.err)")
            let image = try PNGImage(Data(contentsOf: URL(fileURLWithPath: out)))
            #expect(image.width == 960 && image.height == 540)
            let colours = image.histogram
            #expect(colours.count > 20, "\(plot): \(colours.count) colours")
            #expect(colours.max { $0.value < $1.value }?.key == "#ffffff", "\(plot): not on white")
            #expect((colours[colour] ?? 0) > 20, "\(plot): no \(colour)")
        }
    }

    @Test("A lesson whose text is markup: every chart of it parses, its title is the text, no element is its own")
    func hostileText() throws {
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Corpus/figures/markup-in-every-text.yaml")
        for plot in ["gradient", "heatmap"] {
            let root = try chart([corpus.path, "--plot", plot])
            var names = Set<String>()
            func walk(_ node: XMLNode) {
                if let e = node as? XMLElement { names.insert(e.name ?? "") }
                for child in node.children ?? [] { walk(child) }
            }
            walk(root)
            #expect(
                names.isSubset(of: ["svg", "title", "desc", "style", "rect", "text", "path", "line", "circle"]),
                "\(plot): \(names)")
            let title = try #require(root.elements(forName: "title").first?.stringValue)
            #expect(title.contains("</title><script>alert(1)</script>"), "\(title)")
        }
    }

    @Test(
        "Bad --plot: one message naming the flag, exit 2, nothing on standard output",
        arguments: [
            (["memory", "--plot", "bars"], "--plot must be gradient, gates, heatmap or loss, found 'bars'"),
            (["memory", "--plot", "gates"], "--plot gates: a plain RNN has no gates"),
            (["memory", "--plot", "heatmap", "--format", "txt"], "--plot draws svg or png, not txt")
        ])
    func bad(flags: [String], message: String) throws {
        let r = try run([unrollBinary, "figure"] + flags)
        #expect(r.status == 2)
        #expect(r.err.contains(message), "\(r.err)")
        #expect(r.out.isEmpty)
    }
}
