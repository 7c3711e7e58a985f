import Testing

@testable import UnrollLessons

/// A minimal valid body appended where a case needs the rest of the file to be right.
private let tail = "input: {tokens: a b}\n"

/// Malformed scenarios and the exact report each one gets.
private let malformed: [(name: String, yaml: String, report: String)] = [
    (
        "broken YAML: unclosed quote", "title: \"x\n" + tail,
        "x.yaml:3:1: invalid YAML: found unexpected end of stream (while scanning a quoted scalar at line 1, column 8)"
    ),
    (
        "tab indentation", "title: x\ninput:\n\ttokens: a b\n",
        "x.yaml:3:1: invalid YAML: a tab character here; YAML indents with spaces only"
    ),
    (
        "unclosed flow list", "title: x\ninput: {tokens: [a, b}\n",
        "x.yaml:2:22: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 2, column 17)"
    ),
    (
        "bad indentation", "title: x\n  input: 3\n",
        "x.yaml:2:8: invalid YAML: mapping values are not allowed in this context"
    ),
    (
        "two documents", "title: x\n" + tail + "---\ntitle: y\n",
        "x.yaml:3:1: invalid YAML: but found another document (expected a single document in the stream at line 1, column 1)"
    ),
    (
        "undefined alias", "title: *nope\n" + tail,
        "x.yaml:1:8: invalid YAML: found undefined alias"
    ),
    (
        "control character", "title: x\u{01}\n" + tail,
        "x.yaml:1:9: invalid YAML: control characters are not allowed"
    ),
    (
        "empty file", "",
        "x.yaml:1:1: the file is empty; a scenario needs at least a title and input.tokens"
    ),
    (
        "comments only", "# a lesson, one day\n\n",
        "x.yaml:1:1: the file is empty; a scenario needs at least a title and input.tokens"
    ),
    (
        "a top-level list", "- title: x\n- input: y\n",
        "x.yaml:1:1: a scenario must be a mapping of keys such as title, model and input, found a list"
    ),
    (
        "a top-level word", "memory\n",
        "x.yaml:1:1: a scenario must be a mapping of keys such as title, model and input, found memory"
    ),
    (
        "missing title and input", "summary: nothing else\n",
        "x.yaml:1:1: missing key 'title' (the title shown in the header)\nx.yaml:1:1: missing key 'input' (the sentence, as input.tokens)"
    ),
    (
        "negative hidden size", "# line 1\ntitle: x\n" + tail + "model:\n  cell: rnn\n\n  hidden_size: -3\n",
        "x.yaml:7:16: hidden_size must be an integer from 1 to 4096, found -3"
    ),
    (
        "absurd hidden size", "title: x\n" + tail + "model:\n  hidden_size: 100000000000000000000\n",
        "x.yaml:4:16: hidden_size must be an integer from 1 to 4096, found 100000000000000000000"
    ),
    (
        "zero hidden size", "title: x\n" + tail + "model: {hidden_size: 0}\n",
        "x.yaml:3:22: hidden_size must be an integer from 1 to 4096, found 0"
    ),
    (
        "quoted number", "title: x\n" + tail + "model: {hidden_size: \"6\"}\n",
        "x.yaml:3:22: hidden_size must be an integer from 1 to 4096, found \"6\""
    ),
    (
        "fractional size", "title: x\n" + tail + "model: {num_layers: 1.5}\n",
        "x.yaml:3:21: num_layers must be an integer from 1 to 16, found 1.5"
    ),
    (
        "a list for a number", "title: x\n" + tail + "model: {skip: [3]}\n",
        "x.yaml:3:15: skip must be null or an integer from 2 to 1000, found a list"
    ),
    (
        "a mapping for a section", "title: x\n" + tail + "model: 3\n",
        "x.yaml:3:8: model must be a mapping with keys such as cell, activation, hidden_size, found 3"
    ),
    (
        "yes is not a boolean here", "title: x\n" + tail + "model: {bidirectional: yes}\n",
        "x.yaml:3:24: bidirectional must be true or false, found yes"
    ),
    (
        "unknown top-level key", "tittle: x\n" + tail,
        "x.yaml:1:1: unknown key 'tittle' at the top level; did you mean 'title'?"
    ),
    (
        "unknown model key", "title: x\n" + tail + "model:\n  hiden_size: 3\n",
        "x.yaml:4:3: unknown key 'hiden_size' in model; did you mean 'hidden_size'?"
    ),
    (
        "unknown deep key", "title: x\n" + tail + "model:\n  deep: {inptu: 1}\n",
        "x.yaml:4:10: unknown key 'inptu' in model.deep; did you mean 'input'?"
    ),
    (
        "unknown init key", "title: x\n" + tail + "init:\n  spectral_raduis: 0.5\n",
        "x.yaml:4:3: unknown key 'spectral_raduis' in init; did you mean 'spectral_radius'?"
    ),
    (
        "unknown input key", "title: x\ninput:\n  token: a b\n",
        "x.yaml:3:3: unknown key 'token' in input; did you mean 'tokens'?"
    ),
    (
        "unknown loss key", "title: x\n" + tail + "loss: {knid: mse}\n",
        "x.yaml:3:8: unknown key 'knid' in loss; did you mean 'kind'?"
    ),
    (
        "unknown narration key", "title: x\n" + tail + "narration:\n  - {phase: forward, step: 1, txt: hi}\n",
        "x.yaml:4:31: unknown key 'txt' in narration; did you mean 'text'?"
    ),
    (
        "unknown display key", "title: x\n" + tail + "display: {rolld: true}\n",
        "x.yaml:3:11: unknown key 'rolld' in display; did you mean 'rolled'?"
    ),
    (
        "unknown key, nothing close", "title: x\n" + tail + "model:\n  colour: red\n",
        "x.yaml:4:3: unknown key 'colour' in model; allowed: cell, activation, hidden_size, num_layers, layers, bidirectional, skip, deep, configuration, feedback, conditioning, precision"
    ),
    (
        "a list as a key", "title: x\n" + tail + "[a]: 1\n",
        "x.yaml:3:1: keys must be names, found a list as a key at the top level"
    ),
    (
        "duplicate key", "title: x\ntitle: y\n" + tail,
        "x.yaml:2:1: duplicate key 'title' at the top level; it is first given at line 1"
    ),
    (
        "NaN", "title: x\n" + tail + "init: {spectral_radius: .nan}\n",
        "x.yaml:3:25: spectral_radius must be null or a number greater than 0 and at most 100, found .nan"
    ),
    (
        "infinity", "title: x\n" + tail + "init: {scheme: normal, std: .inf}\n",
        "x.yaml:3:29: std must be a number greater than 0 and at most 100, found .inf"
    ),
    (
        "overflowing float", "title: x\n" + tail + "loss: {clipping: {norm: 1e400}}\n",
        "x.yaml:3:25: clipping.norm must be a number greater than 0 and at most 1e6, found 1e400"
    ),
    (
        "negative seed", "title: x\n" + tail + "init: {seed: -1}\n",
        "x.yaml:3:14: seed must be an integer from 0 to 9223372036854775808 (2^63), found -1"
    ),
    (
        "empty token list", "title: x\ninput: {tokens: []}\n",
        "x.yaml:2:17: tokens must have from 1 to 10000 words, found 0"
    ),
    (
        "blank sentence", "title: x\ninput:\n  tokens: \"  \"\n",
        "x.yaml:3:11: tokens must have from 1 to 10000 words, found 0"
    ),
    (
        "an empty word", "title: x\ninput:\n  tokens: [a, \"\", b]\n",
        "x.yaml:3:15: each word of tokens must be a non-empty string, found \"\""
    ),
    (
        "invalid enum, close", "title: x\n" + tail + "model: {cell: lstn}\n",
        "x.yaml:3:15: cell must be one of rnn, lstm, gru, found lstn; did you mean 'lstm'?"
    ),
    (
        "invalid enum, far", "title: x\n" + tail + "model: {configuration: seq2seq}\n",
        "x.yaml:3:24: configuration must be one of one-to-one, one-to-many, many-to-one, many-to-many, encoder-decoder, found seq2seq"
    ),
    (
        "a question with one choice",
        "title: x\n" + tail
            + "narration:\n  - {phase: forward, step: 1, text: hi, question: {text: q, choices: [a], answer: 1, why: w, reveals: gradient}}\n",
        "x.yaml:4:70: a question needs 2 to 4 choices (answered with the keys 1–4), found 1"
    ),
    (
        "a question with five choices",
        "title: x\n" + tail
            + "narration:\n  - {phase: forward, step: 1, text: hi, question: {text: q, choices: [a, b, c, d, e], answer: 1, why: w, reveals: gradient}}\n",
        "x.yaml:4:70: a question needs 2 to 4 choices (answered with the keys 1–4), found 5"
    ),
    (
        "a question's answer past its choices",
        "title: x\n" + tail
            + "narration:\n  - {phase: forward, step: 1, text: hi, question: {text: q, choices: [a, b], answer: 3, why: w, reveals: gradient}}\n",
        "x.yaml:4:86: answer (the right choice, from 1) must be an integer from 1 to 2, found 3"
    ),
    (
        "a question without why",
        "title: x\n" + tail
            + "narration:\n  - {phase: forward, step: 1, text: hi, question: {text: q, choices: [a, b], answer: 1, reveals: gradient}}\n",
        "x.yaml:4:51: missing key 'why' in question"
    ),
    (
        "a question with an unknown key",
        "title: x\n" + tail
            + "narration:\n  - {phase: forward, step: 1, text: hi, question: {text: q, choices: [a, b], answer: 1, why: w, reveals: gradient, hint: h}}\n",
        "x.yaml:4:116: unknown key 'hint' in question; allowed: text, choices, answer, why, reveals"
    ),
    (
        "a question that does not say what it reveals",
        "title: x\n" + tail
            + "narration:\n  - {phase: forward, step: 1, text: hi, question: {text: q, choices: [a, b], answer: 1, why: w}}\n",
        "x.yaml:4:51: missing key 'reveals' in question"
    ),
    (
        "a question that reveals something unknown, close",
        "title: x\n" + tail
            + "narration:\n  - {phase: forward, step: 1, text: hi, question: {text: q, choices: [a, b], answer: 1, why: w, reveals: gradients}}\n",
        "x.yaml:4:106: reveals must be one of gradient, forward, parameters, found gradients; did you mean 'gradient'?"
    ),
    (
        "a question that reveals a list",
        "title: x\n" + tail
            + "narration:\n  - {phase: forward, step: 1, text: hi, question: {text: q, choices: [a, b], answer: 1, why: w, reveals: [gradient, gate]}}\n",
        "x.yaml:4:106: reveals must be one of gradient, forward, parameters, found a list"
    ),
    (
        "choices not a list",
        "title: x\n" + tail
            + "narration:\n  - {phase: forward, step: 1, text: hi, question: {text: q, choices: a b, answer: 1, why: w, reveals: gradient}}\n",
        "x.yaml:4:70: choices must be a list of 2 to 4 texts, found a b"
    ),
    (
        "narration step 0", "title: x\n" + tail + "narration:\n  - {phase: forward, step: 0, text: hi}\n",
        "x.yaml:4:28: narration step must be an integer from 1 to 10000, found 0"
    ),
    (
        "narration step past the sentence",
        "title: x\n" + tail + "narration:\n  - {phase: backward, step: 3, text: hi}\n",
        "x.yaml:4:29: narration step must be from 1 to 2, the steps of this lesson, found 3"
    ),
    (
        "narration entry missing its text", "title: x\n" + tail + "narration:\n  - {phase: forward, step: 1}\n",
        "x.yaml:4:5: missing key 'text' in narration entry"
    ),
    (
        "loss step past the outputs", "title: x\n" + tail + "loss: {steps: [1, 3]}\n",
        "x.yaml:3:19: each step in loss.steps must be from 1 to 2, the output steps of this lesson, found 3"
    ),
    (
        "clipping by both", "title: x\n" + tail + "loss:\n  clipping: {norm: 1, value: 2}\n",
        "x.yaml:4:13: clipping must give exactly one of norm or value, found 2"
    ),
    (
        "layers and hidden_size", "title: x\n" + tail + "model:\n  hidden_size: 4\n  layers: [4, 2]\n",
        "x.yaml:4:3: give either layers (a hidden size per layer) or hidden_size and num_layers, not both"
    ),
    (
        "targets not aligned", "title: x\ninput:\n  tokens: a b c\n  targets: [x, y]\n",
        "x.yaml:4:12: targets must have one word per token for many-to-many (3), found 2"
    ),
    (
        "encoder-decoder without targets", "title: x\nmodel: {configuration: encoder-decoder}\n" + tail,
        "x.yaml:3:17: encoder-decoder needs the output sentence in input.targets"
    ),
    (
        "activation of an LSTM", "title: x\n" + tail + "model:\n  cell: lstm\n  activation: relu\n",
        "x.yaml:5:15: activation applies to the rnn cell only; the lstm cell's gates fix their own (remove it)"
    ),
    (
        "selected layer past the top", "title: x\n" + tail + "model: {num_layers: 2}\ndisplay: {selected_layer: 2}\n",
        "x.yaml:4:27: selected_layer must be from 0 to 1 (layers count from 0 at the bottom), found 2"
    ),
    (
        "a panel twice", "title: x\n" + tail + "display: {panels: [equations, equations]}\n",
        "x.yaml:3:31: panels lists 'equations' twice"
    ),
    (
        "bidirectional with feedback (an engine combination)",
        "title: x\n" + tail + "model:\n  bidirectional: true\n  feedback: output\n",
        "x.yaml:3:1: output feedback needs the previous output, which a bidirectional layer does not have yet"
    ),
    (
        "truncation of a bidirectional model",
        "title: x\n" + tail + "model: {bidirectional: true}\nloss: {truncation: 2}\n",
        "x.yaml:4:20: truncated BPTT needs a causal model; a bidirectional layer reads the whole sequence"
    ),
    (
        "training truncation of a bidirectional model",
        "title: x\nmodel:\n  bidirectional: true\ntraining:\n  task: adding\n  truncation: 5\n",
        "x.yaml:6:15: truncated BPTT needs a causal model; a bidirectional layer reads the whole sequence"
    ),
    (
        "teacher forcing many-to-one",
        "title: x\ninput: {tokens: a b, targets: [y]}\nmodel:\n  configuration: many-to-one\n  feedback: teacher-forcing\n",
        "x.yaml:5:13: teacher-forcing feeds the previous step's target, but many-to-one has one target, at the last step: fed at every step it would give the answer away before it is predicted; use feedback: output or none"
    ),
    (
        "teacher forcing one-to-one",
        "title: x\ninput: {tokens: a, targets: [y]}\nmodel: {configuration: one-to-one, feedback: teacher-forcing}\n",
        "x.yaml:3:46: teacher-forcing feeds the previous step's target, but one-to-one has a single step with nothing before it; use feedback: none"
    ),
    (
        "shortcut without a transition MLP", "title: x\n" + tail + "model: {deep: {shortcut: true}}\n",
        "x.yaml:3:1: deep.shortcut needs a transition MLP (deep.transition ≥ 1)"
    ),
    (
        "merge of a word", "title: x\n" + tail + "model: {<<: rnn}\n",
        "x.yaml:3:13: a merge key (<<) needs a mapping or a list of mappings, found rnn"
    ),
    (
        "deeply nested lists", "title: x\nmodel: " + String(repeating: "[", count: 10_000) + "\n",
        "x.yaml:2:72: lists and mappings nested more than 64 levels deep; a scenario needs three at most"
    ),
    (
        "deeply nested mappings",
        "title: x\nmodel: " + String(repeating: "{a: ", count: 70) + "1" + String(repeating: "}", count: 70) + "\n",
        "x.yaml:2:264: lists and mappings nested more than 64 levels deep; a scenario needs three at most"
    ),
    (
        "garbage below a key", "title: x\n" + tail + "display: {panels: [[inspector], {a: b}]}\n",
        "x.yaml:3:20: each panel must be one of inspector, equations, gradients, weights, found a list\nx.yaml:3:33: each panel must be one of inspector, equations, gradients, weights, found a mapping"
    ),
    (
        "many problems at once",
        """
        title: 3
        model:
          cell: gru
          activation: relu
          skip: 1
        init:
          forget_bias: 1
        input:
          tokens: a b c
          targets: [x]
        loss: {steps: [1, 9], clipping: {norm: 0}}

        """,
        """
        x.yaml:4:15: activation applies to the rnn cell only; the gru cell's gates fix their own (remove it)
        x.yaml:5:9: skip must be null or an integer from 2 to 1000, found 1
        x.yaml:7:16: forget_bias applies to the lstm cell only, cell is gru
        x.yaml:10:12: targets must have one word per token for many-to-many (3), found 1
        x.yaml:11:19: each step in loss.steps must be from 1 to 3, the output steps of this lesson, found 9
        x.yaml:11:40: clipping.norm must be a number greater than 0 and at most 1e6, found 0
        """
    )
]

@Test("A malformed scenario gets an exact file:line:column report", arguments: malformed)
func malformedScenario(_ name: String, _ yaml: String, _ report: String) {
    #expect(throws: ScenarioError.self, "\(name)") { try Lesson(scenario: yaml, path: "x.yaml") }
    do {
        _ = try Lesson(scenario: yaml, path: "x.yaml")
    } catch {
        #expect(error.description == report, "\(name)")
        #expect(error.path == "x.yaml")
        #expect(error.line == error.problems.first?.line)
    }
}

@Test("A file with more problems than the limit lists the limit, then how many more")
func problemLimit() throws {
    let words = (1...150).map { _ in "\"\"" }.joined(separator: ", ")
    let error = try #require(throws: ScenarioError.self) {
        try Lesson(scenario: "title: x\ninput: {tokens: [\(words)]}\n", path: "x.yaml")
    }
    #expect(error.problems.count == 150)
    let lines = error.description.split(separator: "\n")
    #expect(lines.count == 101)
    #expect(lines.first == "x.yaml:2:18: each word of tokens must be a non-empty string, found \"\"")
    #expect(lines.last == "x.yaml: and 50 more problems")
}

@Test("Nesting far past what the flow scan sees does not trap: block lists 100,000 deep")
func deepBlockNesting() throws {
    let yaml = "title: x\ninput: {tokens: a}\nmodel:\n" + String(repeating: "- ", count: 100_000) + "x\n"
    let error = try #require(throws: ScenarioError.self) { try Lesson(scenario: yaml, path: "x.yaml") }
    #expect(
        error.description
            == "x.yaml:4:1: model must be a mapping with keys such as cell, activation, hidden_size, found a list")
}
