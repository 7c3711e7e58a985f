import Foundation
import Testing
import UnrollEngine

@testable import UnrollLessons

// MARK: - JSON

@Test("The tiny lesson's JSON is exactly the hand-checked text")
func tinyJSONIsExact() throws {
    let (run, trace) = try TraceExportFixture.traced()
    let json = TraceExport.json(lesson: TraceExportFixture.lesson, run: run, trace: trace)
    #expect(json == TraceExportFixture.expectedJSON)
}

/// The top-level keys of a pretty-printed export, in the order they are written.
private func topLevelKeys(_ json: String) -> [String] {
    json.split(separator: "\n").compactMap { line -> String? in
        guard line.hasPrefix("  \""), !line.hasPrefix("   "), let end = line.dropFirst(3).firstIndex(of: "\"") else {
            return nil
        }
        return String(line[line.index(line.startIndex, offsetBy: 3)..<end])
    }
}

@Test(
    "Every built-in lesson exports JSON that Foundation parses, keys in order, shapes as PyTorch's",
    arguments: Lesson.builtin.map(\.name))
func builtinJSONParses(_ name: String) throws {
    let lesson = try #require(Lesson.builtin(named: name))
    let (run, trace) = try lesson.trace()
    let json = TraceExport.json(lesson: lesson, run: run, trace: trace)
    #expect(
        topLevelKeys(json) == [
            "format", "version", "lesson", "dtype", "model", "options", "vocabulary", "loss",
            "clip", "recurrent", "non_finite", "parameters", "columns", "layers", "conditioning"
        ])
    let root = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    #expect(root["format"] as? String == "unroll-trace")
    #expect(root["version"] as? Int == 1)
    #expect(root["dtype"] as? String == lesson.precision.rawValue)
    #expect(root["vocabulary"] as? [String] == lesson.vocabulary)
    #expect((root["columns"] as? [Any])?.count == trace.columns)
    let layers = try #require(root["layers"] as? [[String: Any]])
    #expect(layers.map { $0["label"] as? String } == trace.layers.map(\.label))
    for (layer, traced) in zip(layers, trace.layers) {
        #expect((layer["steps"] as? [Any])?.count == traced.steps.count)
    }

    let parameters = try #require(root["parameters"] as? [String: [String: Any]])
    #expect(parameters.count == run.model.layout.count)
    for d in run.model.layout {
        let p = try #require(parameters[d.name], "\(d.name) missing")
        let shape = d.isVector ? [d.cols] : [d.rows, d.cols]
        #expect(p["shape"] as? [Int] == shape, "\(d.name)")
        for key in ["value", "grad"] {
            let outer = try #require(p[key] as? [Any], "\(d.name).\(key)")
            #expect(outer.count == shape[0], "\(d.name).\(key)")
            if !d.isVector {
                #expect(outer.allSatisfy { ($0 as? [Any])?.count == d.cols }, "\(d.name).\(key)")
            }
        }
    }
}

@Test("The nan lesson writes NaN and Infinity as JSON strings, and the file still parses")
func nonFiniteJSON() throws {
    let lesson = try #require(Lesson.builtin(named: "nan"))
    let (run, trace) = try lesson.trace()
    let json = TraceExport.json(lesson: lesson, run: run, trace: trace)
    #expect(json.contains("\"NaN\"") && json.contains("\"Infinity\""))
    #expect(json.contains("\n  \"loss\": \"Infinity\",\n"))
    #expect(!json.contains(": nan") && !json.contains(" inf"))
    let root = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    #expect(root["loss"] as? String == "Infinity")
    let nonFinite = try #require(root["non_finite"] as? [String: Any])
    #expect(nonFinite["forward_column"] as? Int == trace.nonFiniteForwardColumn)
    #expect(nonFinite["backward_column"] as? Int == trace.nonFiniteBackwardColumn)
    #expect(trace.nonFiniteForwardColumn == 14)
}

@Test("JSON numbers round-trip a Double; non-finite ones and control characters are escaped")
func jsonScalars() {
    #expect(TraceExportJSON.number(0.1) == "0.1")
    #expect(TraceExportJSON.number(1e-05) == "1e-05")
    #expect(TraceExportJSON.number(-0.0) == "-0.0")
    #expect(TraceExportJSON.number(.nan) == "\"NaN\"")
    #expect(TraceExportJSON.number(.infinity) == "\"Infinity\"")
    #expect(TraceExportJSON.number(-.infinity) == "\"-Infinity\"")
    #expect(Double(TraceExportJSON.number(0.1 + 0.2)) == 0.1 + 0.2)
    var out = ""
    TraceExportJSON.quote("a\"b\\c\n\u{01}é", into: &out)
    #expect(out == #""a\"b\\c\n\u0001é""#)
    let nested = TraceExportJSON.object([("m", .array([.array([.int(1), .null])])), ("e", .object([]))])
    #expect(nested.rendered() == "{\n  \"m\": [[1, null]],\n  \"e\": {}\n}")
}

// MARK: - CSV

/// How many numbers a trace holds, counted from the trace itself: the CSV's row count without its header.
private func valueCount(_ t: Trace<Double>) -> Int {
    func count(_ ms: [Matrix<Double>?]) -> Int { ms.reduce(0) { $0 + ($1?.count ?? 0) } }
    var n = count(t.parameters) + count(t.gradients)
    if t.options.clipping != Clipping.none { n += count(t.clippedGradients) }
    n += count([t.conditioning, t.conditioningGradient, t.context])
    n +=
        count(Array(t.inputs)) + count(Array(t.inputGradients)) + count(Array(t.outputs))
        + count(Array(t.outputGradients))
    n += t.losses.compactMap { $0 }.count + 1
    for l in t.layers {
        n += count([l.initialHidden, l.initialHiddenGradient, l.initialCell, l.initialCellGradient])
        for s in l.steps {
            n += count([s.preactivation, s.hidden, s.cell, s.hiddenGradient, s.cellGradient]) + count(s.gates)
            n += 1 + (t.options.recordJacobians ? 1 : 0) + (t.spec.cell == .lstm ? 1 : 0)
            n += l.recurrentTermNorms.count == l.steps.count ? 2 : 0
        }
    }
    return n + 2 * t.recurrent.count + 2
}

@Test("The tiny lesson's CSV has one row per number, with the hand-checked values")
func tinyCSV() throws {
    let (run, trace) = try TraceExportFixture.traced()
    let csv = TraceExport.csv(lesson: TraceExportFixture.lesson, run: run, trace: trace)
    let lines = csv.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines.first == "section,name,column,token,layer,direction,unit,value")
    #expect(lines.last == "", "ends with a newline")
    // 18 parameter values and 18 gradients, 16 inputs and outputs with gradients, 2 step losses and
    // the total, 4 for h0 and its gradient, 2 × 6 per step, 2 last-loss norms, 2 × 2 BPTT term and sum norms,
    // 2 spectra, 2 clip norms.
    #expect(lines.count - 2 == 36 + 16 + 3 + 4 + 12 + 2 + 4 + 2 + 2)
    #expect(lines.count - 2 == valueCount(trace))
    #expect(lines.contains("parameter_grad,weight_ih_l0,,,,,2,-0.75"))
    #expect(lines.contains("parameter_grad,bias_hh_l0,,,,,1,0.25"))
    #expect(lines.contains("output_grad,,1,a,,,0,-0.5"))
    #expect(lines.contains("loss,,1,a,,,,0.625"))
    #expect(lines.contains("loss,,,,,,,1.625"))
    #expect(lines.contains("grad_h0,,,,l0,forward,1,-0.1875"))
    #expect(lines.contains("grad_hidden,,0,a,l0,forward,0,0.75"))
    #expect(lines.contains("spectral_radius,weight_hh_l0,,,,,,0.5"))
    // ∂L/∂W_hh = δ₁ᵀh₀ + δ₂ᵀh₁: h₀ = 0 makes the first term 0; δ₂ = [−0.5 1], h₁ = [1 0] gives ‖·‖ = √1.25.
    #expect(lines.contains("recurrent_term_norm,,0,a,l0,forward,,0.0"))
    #expect(lines.contains("recurrent_term_norm,,1,b,l0,forward,,1.118033988749895"))
    #expect(lines.contains("recurrent_sum_norm,,0,a,l0,forward,,1.118033988749895"))
    #expect(lines.allSatisfy { $0.isEmpty || $0.split(separator: ",", omittingEmptySubsequences: false).count == 8 })
}

@Test(
    "Every built-in lesson's CSV has exactly one row per number, eight fields each",
    arguments: Lesson.builtin.map(\.name))
func builtinCSVRowCount(_ name: String) throws {
    let lesson = try #require(Lesson.builtin(named: name))
    let (run, trace) = try lesson.trace()
    let csv = TraceExport.csv(lesson: lesson, run: run, trace: trace)
    let rows = csv.split(separator: "\n").dropFirst()
    #expect(rows.count == valueCount(trace))
    // Fields split at commas outside quotes (units reads ',' and "'" characters, quoted per RFC 4180).
    func fields(_ row: Substring) -> Int {
        var count = 1, quoted = false
        for c in row {
            if c == "\"" { quoted.toggle() } else if c == ",", !quoted { count += 1 }
        }
        return count
    }
    #expect(rows.allSatisfy { fields($0) == 8 })
    let sections = Set(rows.map { String($0.prefix { $0 != "," }) })
    #expect(
        sections.isSubset(of: [
            "parameter", "parameter_grad", "parameter_clipped_grad", "conditioning",
            "conditioning_grad", "context", "input", "input_grad", "output", "output_grad",
            "loss", "h0", "grad_h0", "c0", "grad_c0", "preactivation", "gate", "hidden",
            "cell", "grad_hidden", "grad_cell", "jacobian_norm", "cell_jacobian_norm",
            "last_loss_grad_norm", "recurrent_term_norm", "recurrent_sum_norm", "spectral_radius", "largest_singular_value",
            "clip_norm_before", "clip_norm_after"
        ]))
    if lesson.cell == .lstm {
        #expect(sections.isSuperset(of: ["gate", "cell", "grad_cell", "c0", "cell_jacobian_norm"]))
    }
}

@Test("The nan lesson's CSV writes NaN, inf and -inf")
func nonFiniteCSV() throws {
    let lesson = try #require(Lesson.builtin(named: "nan"))
    let (run, trace) = try lesson.trace()
    let csv = TraceExport.csv(lesson: lesson, run: run, trace: trace)
    #expect(csv.contains("\nloss,,,,,,,inf\n"))
    #expect(csv.contains(",NaN\n") && csv.contains(",-inf\n"))
    #expect(!csv.contains(",nan\n") && !csv.contains("Infinity"))
}

@Test("Tokens with a comma or a quote are quoted per RFC 4180 in CSV and escaped in JSON")
func quotedTokens() throws {
    let tokens = ["a,b", "say \"hi\""]
    let (run, trace) = try TraceExportFixture.traced(tokens: tokens)
    let csv = TraceExport.csv(lesson: TraceExportFixture.lesson, run: run, trace: trace)
    #expect(csv.contains("\ninput,,0,\"a,b\",,,0,1.0\n"))
    #expect(csv.contains("\nhidden,,1,\"say \"\"hi\"\"\",l0,forward,1,1.0\n"))
    #expect(TraceExport.csvField("plain") == "plain")
    #expect(TraceExport.csvField("two\nlines") == "\"two\nlines\"")
    let json = TraceExport.json(lesson: TraceExportFixture.lesson, run: run, trace: trace)
    #expect(json.contains(#""input": "say \"hi\"","#))
    let root = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    let columns = try #require(root["columns"] as? [[String: Any]])
    #expect(columns.map { $0["input"] as? String } == tokens)
}
