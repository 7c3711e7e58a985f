import Foundation
import Testing

@testable import UnrollLessons

/// Tests/Corpus/scenarios, written by scripts/make_bad_scenarios.py: one malformed scenario per file.
let scenarioCorpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Corpus/scenarios")

/// Each corpus file's exact report, its lines without the leading `path:`.
private let corpusReports: [String: String] = [
    "alias-bomb-merge-keys":
        "3:1: unknown key 'm0' at the top level; allowed: title, name, summary, model, init, input, loss, training, weights, narration, display\n"
        + "3:5: merge keys (<<) bring in more than 1000 mappings (through aliases); a scenario needs a few\n"
        + "4:1: unknown key 'm1' at the top level; allowed: title, name, summary, model, init, input, loss, training, weights, narration, display\n"
        + "5:1: unknown key 'm2' at the top level; allowed: title, name, summary, model, init, input, loss, training, weights, narration, display\n"
        + "6:1: unknown key 'm3' at the top level; allowed: title, name, summary, model, init, input, loss, training, weights, narration, display\n"
        + "7:1: unknown key 'm4' at the top level; allowed: title, name, summary, model, init, input, loss, training, weights, narration, display\n"
        + "8:1: unknown key 'm5' at the top level; allowed: title, name, summary, model, init, input, loss, training, weights, narration, display\n"
        + "9:1: unknown key 'm6' at the top level; allowed: title, name, summary, model, init, input, loss, training, weights, narration, display\n"
        + "10:1: unknown key 'm7' at the top level; allowed: title, name, summary, model, init, input, loss, training, weights, narration, display\n"
        + "11:1: unknown key 'm8' at the top level; allowed: title, name, summary, model, init, input, loss, training, weights, narration, display\n",
    "alias-bomb-tokens":
        "2:1: unknown key 'l0' at the top level; allowed: title, name, summary, model, init, input, loss, training, weights, narration, display\n"
        + "3:1: unknown key 'l1' at the top level; allowed: title, name, summary, model, init, input, loss, training, weights, narration, display\n"
        + "4:1: unknown key 'l2' at the top level; allowed: title, name, summary, model, init, input, loss, training, weights, narration, display\n"
        + "5:1: unknown key 'l3' at the top level; allowed: title, name, summary, model, init, input, loss, training, weights, narration, display\n"
        + "6:1: unknown key 'l4' at the top level; allowed: title, name, summary, model, init, input, loss, training, weights, narration, display\n"
        + "7:1: unknown key 'l5' at the top level; allowed: title, name, summary, model, init, input, loss, training, weights, narration, display\n"
        + "8:1: unknown key 'l6' at the top level; allowed: title, name, summary, model, init, input, loss, training, weights, narration, display\n"
        + "9:1: unknown key 'l7' at the top level; allowed: title, name, summary, model, init, input, loss, training, weights, narration, display\n"
        + "9:5: each word of tokens must be a non-empty string, found a list\n"
        + "9:5: each word of tokens must be a non-empty string, found a list\n"
        + "9:5: each word of tokens must be a non-empty string, found a list\n"
        + "9:5: each word of tokens must be a non-empty string, found a list\n"
        + "9:5: each word of tokens must be a non-empty string, found a list\n"
        + "9:5: each word of tokens must be a non-empty string, found a list\n"
        + "9:5: each word of tokens must be a non-empty string, found a list\n"
        + "9:5: each word of tokens must be a non-empty string, found a list\n"
        + "9:5: each word of tokens must be a non-empty string, found a list\n"
        + "9:5: each word of tokens must be a non-empty string, found a list\n"
        + "10:1: unknown key 'l8' at the top level; allowed: title, name, summary, model, init, input, loss, training, weights, narration, display\n",
    "alias-bomb-unknown-keys":
        "3:1: unknown key 'l0' at the top level; allowed: title, name, summary, model, init, input, loss, training, weights, narration, display\n"
        + "4:1: unknown key 'l1' at the top level; allowed: title, name, summary, model, init, input, loss, training, weights, narration, display\n"
        + "5:1: unknown key 'l2' at the top level; allowed: title, name, summary, model, init, input, loss, training, weights, narration, display\n"
        + "6:1: unknown key 'l3' at the top level; allowed: title, name, summary, model, init, input, loss, training, weights, narration, display\n"
        + "7:1: unknown key 'l4' at the top level; allowed: title, name, summary, model, init, input, loss, training, weights, narration, display\n"
        + "8:1: unknown key 'l5' at the top level; allowed: title, name, summary, model, init, input, loss, training, weights, narration, display\n"
        + "9:1: unknown key 'l6' at the top level; allowed: title, name, summary, model, init, input, loss, training, weights, narration, display\n"
        + "10:1: unknown key 'l7' at the top level; allowed: title, name, summary, model, init, input, loss, training, weights, narration, display\n"
        + "11:1: unknown key 'l8' at the top level; allowed: title, name, summary, model, init, input, loss, training, weights, narration, display\n",
    "combo-crlf-line-endings":
        "3:22: hidden_size must be an integer from 1 to 4096, found -1\n",
    "combo-encoder-decoder-no-targets":
        "3:17: encoder-decoder needs the output sentence in input.targets\n",
    "combo-feedback-bidirectional":
        "3:1: output feedback needs the previous output, which a bidirectional layer does not have yet\n",
    "combo-training-truncation-bidirectional":
        "5:15: truncated BPTT needs a causal model; a bidirectional layer reads the whole sequence\n",
    "combo-truncation-bidirectional":
        "4:20: truncated BPTT needs a causal model; a bidirectional layer reads the whole sequence\n",
    "combo-held-out-unknown-word":
        "2:42: held_out 1: 'c' is not in the lesson's vocabulary, which its weights are trained on; add it to input.vocabulary\n",
    "combo-one-to-one-two-tokens":
        "2:17: one-to-one reads exactly one token, found 2\n",
    "comments-only":
        "1:1: the file is empty; a scenario needs at least a title and input.tokens\n",
    "control-bell-raw":
        "3:14: invalid YAML: control characters are not allowed\n",
    "control-c1-csi-raw":
        "3:10: invalid YAML: control characters are not allowed\n",
    "control-delete-raw":
        "3:11: invalid YAML: control characters are not allowed\n",
    "control-escape-raw":
        "1:9: invalid YAML: control characters are not allowed\n",
    "document-marker-only":
        "2:1: a scenario must be a mapping of keys such as title, model and input, found nothing\n",
    "duplicate-key":
        "3:20: duplicate key 'cell' in model; it is first given at line 3\n",
    "empty":
        "1:1: the file is empty; a scenario needs at least a title and input.tokens\n",
    "empty-layers":
        "3:17: layers must list from 1 to 16 hidden sizes, found 0\n",
    "empty-targets":
        "2:31: targets must have from 1 to 10000 words, found 0\n",
    "empty-tokens-list":
        "2:17: tokens must have from 1 to 10000 words, found 0\n",
    "empty-tokens-string":
        "2:17: tokens must have from 1 to 10000 words, found 0\n",
    "empty-word-after-cleaning":
        "2:21: each word of tokens must be a non-empty string, found \"\\u001B[0m\"\n",
    "empty-word-in-list":
        "2:21: each word of tokens must be a non-empty string, found \"\"\n",
    "nesting-block-lists":
        "4:1: model must be a mapping with keys such as cell, activation, hidden_size, found a list\n",
    "nesting-block-maps":
        "4:2: unknown key 'a' in model; allowed: cell, activation, hidden_size, num_layers, layers, bidirectional, skip, deep, configuration, feedback, conditioning, precision\n",
    "nesting-flow-lists":
        "2:72: lists and mappings nested more than 64 levels deep; a scenario needs three at most\n",
    "nesting-flow-maps":
        "2:264: lists and mappings nested more than 64 levels deep; a scenario needs three at most\n",
    "nonfinite-clipping-inf":
        "3:26: clipping.value must be a number greater than 0 and at most 1e6, found .inf\n",
    "nonfinite-forget-bias-minus-inf":
        "4:21: forget_bias must be null or a number from -100 to 100, found -.inf\n",
    "nonfinite-spectral-radius-overflow":
        "3:25: spectral_radius must be null or a number greater than 0 and at most 100, found 1e999\n",
    "nonfinite-std-nan":
        "3:29: std must be a number greater than 0 and at most 100, found .nan\n",
    "nul-byte":
        "1:9: invalid YAML: control characters are not allowed\n",
    "range-forget-bias-huge":
        "4:21: forget_bias must be null or a number from -100 to 100, found 1e9\n",
    "range-hidden-size-huge":
        "3:22: hidden_size must be an integer from 1 to 4096, found 1000000000\n",
    "range-hidden-size-zero":
        "3:22: hidden_size must be an integer from 1 to 4096, found 0\n",
    "range-layers-17":
        "3:17: layers must list from 1 to 16 hidden sizes, found 17\n",
    "range-held-out-9":
        "2:32: held_out must have at most 8 entries, found 9\n",
    "range-narration-input-past-end":
        "4:13: narration input must be from 1 to 2 (1: the lesson's sentence, then each held_out entry), found 3\n",
    "range-narration-step-past-end":
        "4:28: narration step must be from 1 to 2, the steps of this lesson, found 99\n",
    "range-num-layers-100":
        "3:21: num_layers must be an integer from 1 to 16, found 100\n",
    "range-output-steps-zero":
        "3:34: output_steps must be null or an integer from 1 to 10000, found 0\n",
    "range-seed-2-64":
        "3:14: seed must be an integer from 0 to 9223372036854775808 (2^63), found 18446744073709551616\n",
    "range-selected-layer-negative":
        "3:27: selected_layer must be null or an integer from 0 to 15, found -1\n",
    "range-skip-1":
        "3:15: skip must be null or an integer from 2 to 1000, found 1\n",
    "range-spectral-radius-negative":
        "3:25: spectral_radius must be null or a number greater than 0 and at most 100, found -1\n",
    "range-std-zero":
        "3:29: std must be a number greater than 0 and at most 100, found 0\n",
    "range-step-through-201":
        "4:17: training.step_through: has 201 characters; a text to step through has at most 200\n",
    "range-step-through-one-character":
        "4:17: training.step_through: has 1 character; a text to step through has at least 2 (each is read, then predicted)\n",
    "range-tokens-10001":
        "3:11: tokens must have from 1 to 10000 words, found 10001\n",
    "range-truncation-zero":
        "3:20: truncation must be null or an integer from 1 to 10000, found 0\n",
    "top-level-list":
        "1:1: a scenario must be a mapping of keys such as title, model and input, found a list\n",
    "top-level-null":
        "1:1: a scenario must be a mapping of keys such as title, model and input, found ~\n",
    "top-level-number":
        "1:1: a scenario must be a mapping of keys such as title, model and input, found 42\n",
    "type-bidirectional-word":
        "3:24: bidirectional must be true or false, found yes\n",
    "type-clipping-list":
        "3:18: clipping must be none, {norm: N} or {value: N}, found a list\n",
    "type-hidden-size-fraction":
        "3:22: hidden_size must be an integer from 1 to 4096, found 6.5\n",
    "type-hidden-size-word":
        "3:22: hidden_size must be an integer from 1 to 4096, found six\n",
    "type-input-scalar":
        "2:8: input must be a mapping with keys such as tokens, targets, output_steps, found a b c\n",
    "type-key-is-mapping":
        "3:1: keys must be names, found a mapping as a key at the top level\n",
    "type-layers-scalar":
        "3:17: layers must be a list of hidden sizes, one per layer (as [6, 4]), found 6\n",
    "type-loss-steps-mapping":
        "3:15: loss.steps must be all, last or a list of steps counted from 1 (as [1, 3]), found a mapping\n",
    "type-narration-item-word":
        "3:13: each narration entry must be a mapping with keys such as phase, step, text, found hello\n",
    "type-narration-mapping":
        "3:12: narration must be a list of {phase, step, text} entries, found a mapping\n",
    "type-panels-word":
        "3:19: panels must be a list of inspector, equations, gradients, weights, found inspector\n",
    "type-seed-fraction":
        "3:14: seed must be an integer from 0 to 9223372036854775808 (2^63), found 1.5\n",
    "type-title-list":
        "1:8: title must be a string, found a list\n",
    "type-title-mapping":
        "1:8: title must be a string, found a mapping\n",
    "type-title-null":
        "1:7: title must be a string, found nothing\n",
    "type-tokens-mapping":
        "2:17: tokens must be a string of words or a list of words, found a mapping\n",
    "unknown-clipping":
        "3:18: clipping must give exactly one of norm or value, found 0\n"
        + "3:19: unknown key 'nrom' in loss.clipping; did you mean 'norm'?\n",
    "unknown-conditioning":
        "3:24: unknown key 'sise' in model.conditioning; did you mean 'size'?\n",
    "unknown-model-typo":
        "3:9: unknown key 'hiden_size' in model; did you mean 'hidden_size'?\n",
    "unknown-top-level":
        "3:1: unknown key 'colour' at the top level; allowed: title, name, summary, model, init, input, loss, training, weights, narration, display\n",
    "utf16-file":
        "1:1: bytes that are not UTF-8 text; save the file as UTF-8\n",
    "utf8-latin1-byte":
        "3:13: bytes that are not UTF-8 text; save the file as UTF-8\n",
    "utf8-lone-continuation":
        "1:9: bytes that are not UTF-8 text; save the file as UTF-8\n",
    "utf8-overlong":
        "3:10: bytes that are not UTF-8 text; save the file as UTF-8\n",
    "utf8-surrogate":
        "3:10: bytes that are not UTF-8 text; save the file as UTF-8\n",
    "whitespace-only":
        "1:1: the file is empty; a scenario needs at least a title and input.tokens\n",
    "yaml-anchor-without-node":
        "3:9: invalid YAML: did not find expected alphabetic or numeric character (while scanning an anchor at line 3, column 8)\n",
    "yaml-bad-directive":
        "1:1: invalid YAML: found incompatible YAML document\n",
    "yaml-bad-escape":
        "3:11: invalid YAML: found unknown escape character (while parsing a quoted scalar at line 3, column 10)\n",
    "yaml-bad-indent":
        "2:8: invalid YAML: mapping values are not allowed in this context\n",
    "yaml-block-scalar-bad-indicator":
        "3:11: invalid YAML: did not find expected comment or line break (while scanning a block scalar at line 3, column 10)\n",
    "yaml-list-then-mapping":
        "2:1: invalid YAML: did not find expected '-' indicator (while parsing a block collection at line 1, column 1)\n",
    "yaml-recursive-alias":
        "2:21: invalid YAML: found undefined alias\n",
    "yaml-stray-colon":
        "1:9: invalid YAML: mapping values are not allowed in this context\n",
    "yaml-tab-indent":
        "3:1: invalid YAML: a tab character here; YAML indents with spaces only\n",
    "yaml-two-documents":
        "3:1: invalid YAML: but found another document (expected a single document in the stream at line 1, column 1)\n",
    "yaml-unclosed-flow-list":
        "2:22: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 2, column 17)\n",
    "yaml-unclosed-flow-map":
        "3:1: invalid YAML: did not find expected ',' or '}' (while parsing a flow mapping at line 2, column 8)\n",
    "yaml-unclosed-quote":
        "3:1: invalid YAML: found unexpected end of stream (while scanning a quoted scalar at line 1, column 8)\n",
    "yaml-undefined-alias":
        "2:17: invalid YAML: found undefined alias\n"
]

@Test("The malformed-scenario corpus has at least 60 files, each with its report")
func scenarioCorpusComplete() throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: scenarioCorpus.path)
        .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }
    #expect(names.count >= 60)
    #expect(Set(names) == Set(corpusReports.keys))
}

@Test(
    "Each malformed scenario file gets its exact report, every line naming file:line:column",
    arguments: corpusReports.keys.sorted())
func scenarioCorpusFile(_ name: String) throws {
    let path = scenarioCorpus.appendingPathComponent(name + ".yaml").path
    let before = try Data(contentsOf: URL(fileURLWithPath: path))
    let error = try #require(throws: ScenarioError.self) { try Lesson.load(contentsOf: path) }
    let expected = (corpusReports[name] ?? "").split(separator: "\n").map { "\(path):\($0)" }.joined(separator: "\n")
    #expect(error.description == expected)
    #expect(error.problems.allSatisfy { $0.line >= 1 && $0.column >= 1 })
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "reading must not modify the file")
}

@Test("A 10 MB file is refused where it passes 1 MiB, without reading the rest")
func scenarioTenMegabytes() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("unroll-corpus-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("huge.yaml").path
    let line = "# " + String(repeating: "x", count: 97) + "\n"
    try Data(("title: x\n" + String(repeating: line, count: 100_000)).utf8).write(to: URL(fileURLWithPath: path))
    let error = try #require(throws: ScenarioError.self) { try Lesson.load(contentsOf: path) }
    // 1 MiB = 9 bytes of title, then 10485 full lines of 100 bytes, then 67 bytes of line 10487.
    #expect(
        error.description
            == "\(path):10487:68: the file is larger than 1 MiB (1048576 bytes) from here on; a scenario file is a few kilobytes of text"
    )
}

@Test(
    "Devices are read like files: /dev/null is empty, /dev/zero and /dev/urandom too large, without reading them to the end"
)
func scenarioDevices() throws {
    #expect(
        throws: ScenarioError(
            path: "/dev/null", line: 1, column: 1,
            message: "the file is empty; a scenario needs at least a title and input.tokens")
    ) {
        try Lesson.load(contentsOf: "/dev/null")
    }
    for device in ["/dev/zero", "/dev/urandom"] {
        let error = try #require(throws: ScenarioError.self) { try Lesson.load(contentsOf: device) }
        #expect(error.message.hasPrefix("the file is larger than 1 MiB"), "\(device)")
        #expect(
            error.line > 1 || error.column > 1,
            "\(device): where the limit is passed, not where the bytes stop being UTF-8")
    }
}
