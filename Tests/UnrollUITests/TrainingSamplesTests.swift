import Foundation
import Testing
import UnrollEngine
import UnrollLessons

@testable import UnrollUI

// Issue 26, item 2: the training view of a characters task shows what the model writes, at a temperature and from a
// prime the lecturer changes live.

/// Words the samples below are made of (a sample line may show only whole ones of them, and "…").
private let sampleWords =
    "shall i compare thee to a summer's day? thou art more lovely and more temperate: rough winds do shake the darling buds of may"

/// A characters snapshot of train-chars (its real example and vocabulary) with `samples` (oldest first).
private func charactersSnapshot(_ samples: [TrainingSample]) throws -> TrainingSnapshot {
    let lesson = try #require(Lesson.builtin(named: "train-chars"))
    let task = try #require(lesson.training?.task)
    let (r, t) = try lesson.trace()
    return TrainingSnapshot(
        title: lesson.title, task: task.title, lossName: "cross-entropy", baselineLoss: task.baselineLoss,
        baselineLabel: task.baselineLabel, optimizer: "Adam", batchSize: 16, iterations: 2000,
        runs: [
            .init(
                label: "LSTM, H = 64",
                points: (1...300).map {
                    .init(iteration: $0, loss: 3 - Double($0) / 200, accuracy: nil, normBefore: 1, normAfter: 1)
                },
                example: TrainingExample(lesson: lesson, run: r, trace: t), exampleIteration: 300,
                iterationsPerSecond: 50, seconds: 6, samples: samples)
        ],
        state: .running, vocabulary: task.corpus.alphabet)
}

/// Three samples: noise with a word longer than any line at iteration 0, then words.
private let threeSamples = [
    TrainingSample(iteration: 0, temperature: 1, prime: "", text: String(repeating: "xq;kdz", count: 40)),
    TrainingSample(
        iteration: 100, temperature: 1, prime: "shall ",
        text:
            "i compare thee to a summer's day? thou art more lovely and more temperate: rough winds do shake the darling buds of may"
    ),
    TrainingSample(
        iteration: 200, temperature: 0.5, prime: "",
        text:
            " thou art more lovely and more temperate: rough winds do shake the darling buds of may shall i compare thee to a summer's day?"
    )
]

@Test(
    "Samples in the training view: newest first, whole words only, at 80x24, 120x40 and 200x60",
    arguments: [(80, 24), (120, 40), (200, 60)])
func samplesFit(_ size: (Int, Int)) throws {
    let board = TrainingBoard(
        snapshot: try charactersSnapshot(threeSamples),
        control: .init(paused: false, learningRate: 0.005, clipping: .norm(5), temperature: 0.5))
    let lines = TrainingScreen.render(
        board, theme: Theme(colorMode: .monochrome, glyphs: .unicode), width: size.0, height: size.1
    ).lines()
    let title = try #require(
        lines.firstIndex { $0.hasPrefix("Samples, newest first · temperature 0.5") }, "\(lines.joined(separator: "\n"))"
    )
    // 80x24 has room for two samples under the title; the larger sizes for all three.
    let shown = lines[(title + 1)...].prefix(while: {
        $0.range(of: #"^\s*\d+  T "#, options: .regularExpression) != nil
    })
    #expect(shown.count == (size.0 == 80 ? 2 : 3), "\(lines.joined(separator: "\n"))")
    let first = try #require(shown.first)
    #expect(first.hasPrefix("200  T 0.5   thou art more lovely"), "\(first)")
    let second = try #require(shown.dropFirst().first)
    #expect(second.hasPrefix("100  T 1    shall i compare thee"), "\(second)")
    if size.0 > 80 {
        // The noise's one long word does not fit: only "…" is shown, never a piece of it.
        let third = try #require(shown.dropFirst(2).first)
        #expect(third.trimmingCharacters(in: .whitespaces) == "0  T 1    …", "\(third)")
    }
    // Every word shown is a whole word of the samples; every line of the screen stays in its width.
    let words = Set(sampleWords.split(separator: " ").map(String.init))
    #expect(midWordCuts(Array(shown), source: words).isEmpty, "\(shown)")
    #expect(lines.allSatisfy { $0.count <= size.0 })
    // At 200 columns the 160-character samples fit whole.
    if size.0 == 200 { #expect(second.trimmingCharacters(in: .whitespaces).hasSuffix("darling buds of may")) }
}

@Test("A sample's escape sequences, control characters and right-to-left overrides never reach the screen")
func samplesCleaned() throws {
    let hostile = TrainingSample(
        iteration: 7, temperature: 1, prime: "", text: "ab\u{1B}[2Jcd \u{202E}ef\u{7} \u{1B}]0;title\u{7}gh")
    let board = TrainingBoard(
        snapshot: try charactersSnapshot([hostile]), control: .init(paused: false, learningRate: 0.005, clipping: .none)
    )
    let lines = TrainingScreen.render(
        board, theme: Theme(colorMode: .monochrome, glyphs: .unicode), width: 100, height: 30
    ).lines()
    let line = try #require(lines.first { $0.hasPrefix("7  T 1  ") })
    // Cleaned by hand: the CSI and the OSC go whole, BEL and the override go.
    #expect(line.trimmingCharacters(in: .whitespaces) == "7  T 1  abcd ef gh")
    let all = lines.joined()
    #expect(!all.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x202E || (0x7F...0x9F).contains($0.value) })
}

@Test("{ and } move the temperature along 0, 0.2, 0.5, 0.8, 1, 1.2, 1.5, 2 and stop at the ends")
func temperatureKeys() throws {
    var board = TrainingBoard(
        snapshot: try charactersSnapshot([]), control: .init(paused: true, learningRate: 0.005, clipping: .none))
    #expect(board.control.temperature == 1)
    var seen: [Double] = []
    for _ in 0..<5 {
        board.handle(.temperatureDown)
        seen.append(board.control.temperature)
    }
    #expect(seen == [0.8, 0.5, 0.2, 0, 0])
    #expect(board.notice == "temperature 0 is the lowest")
    board.handle(.temperatureUp)
    #expect(board.control.temperature == 0.2 && board.notice == "sample temperature 0.2")
    for _ in 0..<10 { board.handle(.temperatureUp) }
    #expect(board.control.temperature == 2 && board.notice == "temperature 2 is the highest")
    #expect(TrainingKeyMap.action(for: .character("}")) == .temperatureUp)
    #expect(TrainingKeyMap.action(for: .character("{")) == .temperatureDown)
    #expect(TrainingKeyMap.action(for: .character("i")) == .editPrime)
    // The learning rate keeps [ ] - + = _: no clash.
    #expect(TrainingKeyMap.action(for: .character("[")) == .learningRateDown)
    #expect(TrainingKeyMap.action(for: .character("-")) == .learningRateDown)
}

@Test("i types a prime: characters of the text, Backspace, Enter keeps, Esc cancels, at most 40, others refused")
func primeEditor() throws {
    var board = TrainingBoard(
        snapshot: try charactersSnapshot([]), control: .init(paused: false, learningRate: 0.005, clipping: .none))
    func type(_ key: Key) {
        guard let a = TrainingKeyMap.action(for: key, typingPrime: board.primeDraft != nil) else { return }
        board.handle(a)
    }
    type(.character("i"))
    #expect(board.primeDraft == "")
    // While typing, q, space and ? are letters of the prime, not quit, pause and help.
    for c in "alice q" { type(.character(c)) }
    #expect(board.primeDraft == "alice q" && !board.wantsQuit && !board.showingHelp)
    type(.backspace)
    type(.backspace)
    #expect(board.primeDraft == "alice")
    // The shipped Alice is lower-cased: 'A' and '§' are not characters of it.
    type(.character("A"))
    #expect(board.primeDraft == "alice" && board.notice == "'A' is not a character of the text: refused")
    type(.character("\u{202E}"))
    #expect(board.primeDraft == "alice" && board.notice == "U+202E is not a character of the text: refused")
    type(.enter)
    #expect(board.primeDraft == nil && board.control.prime == "alice")
    // Esc leaves the prime as it was.
    type(.character("i"))
    type(.character("x"))
    type(.escape)
    #expect(board.control.prime == "alice" && board.primeDraft == nil && board.notice == "prime unchanged")
    // The editor opens on the prime there is; bounded: the 41st character is refused.
    type(.character("i"))
    #expect(board.primeDraft == "alice")
    for _ in 0..<45 { type(.character("a")) }
    #expect(board.primeDraft == "alice" + String(repeating: "a", count: 35))
    #expect(board.notice == "a prime has at most 40 characters")
    // The prime being typed is on the status line, with the notice, or the keys in whole items.
    let theme = Theme(colorMode: .monochrome, glyphs: .unicode)
    var lines = TrainingScreen.render(board, theme: theme, width: 80, height: 24).lines()
    #expect(
        lines.last?.hasPrefix("prime: alice" + String(repeating: "a", count: 35) + "▏ a prime has at most 40…") == true,
        "\(lines.joined(separator: "\n"))")
    type(.backspace)
    lines = TrainingScreen.render(board, theme: theme, width: 80, height: 24).lines()
    #expect(
        lines.last?.trimmingCharacters(in: .whitespaces) == "prime: alice" + String(repeating: "a", count: 34)
            + "▏ Enter keeps · Esc cancels")
    type(.interrupt)
    #expect(board.wantsQuit, "Ctrl-C quits even while typing")
}

@Test("Tasks without text write no samples: the sample keys say so, the layout keeps its panels")
func noSamplesForOtherTasks() throws {
    var board = TrainingBoard(
        snapshot: try trainingSnapshot(), control: .init(paused: false, learningRate: 0.01, clipping: .none))
    board.handle(.temperatureUp)
    #expect(
        board.control.temperature == 1
            && board.notice?.hasPrefix("samples are written by character models only") == true)
    board.handle(.editPrime)
    #expect(board.primeDraft == nil)
    #expect(TrainingScreen.layout(width: 80, height: 24, runs: 1).samples.height == 0)
    let l = TrainingScreen.layout(width: 80, height: 24, runs: 1, samples: true)
    #expect(l.samples.height == 3 && l.samples.maxY == l.status.y && l.steps.maxY == l.samples.y)
}

@Test("The training view of a characters task at 80x24 and 120x40, with samples")
func charactersTrainingSnapshot() throws {
    for (w, h) in [(80, 24), (120, 40)] {
        let board = TrainingBoard(
            snapshot: try charactersSnapshot(threeSamples),
            control: .init(paused: false, learningRate: 0.005, clipping: .norm(5)))
        let canvas = TrainingScreen.render(
            board, theme: Theme(colorMode: .monochrome, glyphs: .unicode), width: w, height: h)
        expectSnapshot(canvas.lines(), named: "training-characters-\(w)x\(h)")
    }
}

@Test("o types the text the step-through reads (the prime offered): Enter asks the loop to open it, Esc does not")
func openStepThroughKey() throws {
    var board = TrainingBoard(
        snapshot: try charactersSnapshot([]), control: .init(paused: false, learningRate: 0.005, clipping: .none))
    var effects: [TrainingBoard.Effect] = []
    func type(_ key: Key) {
        guard let a = TrainingKeyMap.action(for: key, typingPrime: board.primeDraft != nil) else { return }
        effects = board.handle(.action(a))
    }
    func opened() -> [String] {
        effects.compactMap { if case .stepThrough(let run, let text) = $0 { "\(run):\(text)" } else { nil } }
    }
    #expect(TrainingKeyMap.action(for: .character("o")) == .openStepThrough)
    // Offered the prime there is; Enter alone on one character is refused: a step reads one and predicts the next.
    type(.character("i"))
    type(.character("a"))
    type(.enter)
    type(.character("o"))
    #expect(board.primeDraft == "a" && board.draftOpensStepThrough)
    type(.enter)
    #expect(opened().isEmpty && board.primeDraft == "a" && board.notice?.hasPrefix("type at least 2 characters") == true)
    for c in "lice q" { type(.character(c)) }
    let theme = Theme(colorMode: .monochrome, glyphs: .ascii)
    let status = TrainingScreen.render(board, theme: theme, width: 80, height: 24).lines().last ?? ""
    #expect(status.hasPrefix("step through: alice q_ "), "\(status)")
    type(.enter)
    #expect(opened() == ["0:alice q"] && board.primeDraft == nil)
    // The prime, the pause state and the rest of the control are untouched: the loop restores them on return.
    #expect(board.control.prime == "a" && !board.control.paused && !board.wantsQuit)
    _ = board.handle(.steppedThrough(notice: "back to training, running"))
    #expect(board.notice == "back to training, running")
    // Esc closes the line without opening anything.
    type(.character("o"))
    type(.escape)
    #expect(opened().isEmpty && board.primeDraft == nil && board.notice == "step-through not opened")
    // Another task has no text to type: o says so.
    var other = TrainingBoard(
        snapshot: try trainingSnapshot(), control: .init(paused: false, learningRate: 0.01, clipping: .none))
    other.handle(.openStepThrough)
    #expect(other.primeDraft == nil && other.notice?.hasPrefix("the step-through of a typed text needs a character") == true)
}
