import Foundation
import Testing
import UnrollEngine
import UnrollLessons

@testable import UnrollUI

/// The state limit the follower applies (ClassLimits.state in UnrollClass: 64 KiB), written here as a number.
let classStateLimit = 65_536

/// Class mode without a network: a presenter's ``PresenterSession`` and students' ``FollowerSession``s on the
/// vanishing lesson (24 timeline positions; its question at position 12, caption 3 or so, four choices, right: 1).
@Suite("Class mode: state, following, the presenter's screen")
struct ClassTests {
    static let vanishing = Lesson.builtin(named: "vanishing")

    static func presenter(_ actions: [Action] = []) throws -> PresenterSession {
        var p = PresenterSession(
            try Session(lesson: try #require(vanishing), asksQuestions: true), code: "7Q4K-M2XD",
            presenter: "alice")
        for a in actions { p.handle(a) }
        return p
    }

    static func follower() throws -> FollowerSession {
        FollowerSession(try Session(lesson: try #require(vanishing), asksQuestions: true), code: "7Q4K-M2XD")
    }

    /// The presenter's state as a follower receives it: encoded, decoded and validated.
    static func sent(_ p: PresenterSession, to f: FollowerSession) throws -> ClassState {
        try ClassState.decode(p.state.encoded(), for: f.session, limit: classStateLimit)
    }

    @Test(
        "A state round-trips through its bytes and a follower shows the presenter's position, selection, toggles and model"
    )
    func roundTrip() throws {
        let p = try Self.presenter([
            .stepForward, .stepForward, .stepForward, .selectDown, .toggleRolled, .cycleCell, .scaleUp, .toggleClip
        ])
        var f = try Self.follower()
        let state = try Self.sent(p, to: f)
        #expect(state == p.state)
        #expect(
            state.position == 3 && state.cell == "lstm" && state.clipping && abs(state.scale - 1.1) < 1e-12
                && state.rolled)
        f.receive(state)
        #expect(f.following && f.session.position == 3 && f.session.rolled)
        #expect(f.session.selectedLayer == p.session.selectedLayer)
        // Without a worker the follower's lab is computed at once: the presenter's model, on screen.
        #expect(f.session.results.lab.settings == p.session.results.lab.settings)
        #expect(f.session.current.cell == .lstm)
        #expect(f.session.trace.loss == p.session.trace.loss)
    }

    /// A valid state's JSON with one field replaced (by this JSON text), and the message expected.
    static let hostile: [(field: String, json: String, message: String)] = [
        ("position", "24", "position 24 is beyond the lesson's 24 positions"),
        ("position", "-1", "position -1 is beyond the lesson's 24 positions"),
        ("cell", "\"elman\"", "unknown cell 'elman'"),
        ("skip", "1000000000", "skip 1000000000 is outside 1 … 11"),
        ("seed", "18446744073709551615", "seed 18446744073709551615 is above 2^63"),
        ("scale", "1e300", "W_hh scale 1e+300 is outside 1e-6 … 1e6"),
        ("scale", "0", "W_hh scale 0.0 is outside 1e-6 … 1e6"),
        ("version", "1", "schema version 1, this unroll reads version 2: use the same unroll as the presenter"),
        ("input", "1", "input 1 is not one of the lesson's 1 inputs"),
        ("input", "-1", "input -1 is not one of the lesson's 1 inputs"),
        ("untrained", "true", "the lesson has no trained weights to set aside"),
        ("lesson", "\"memory\"", "the state is for lesson 'memory', not 'vanishing'"),
        ("layer", "7", "layer 7 is not one of the lesson's 1"),
        ("column", "12", "column 12 is beyond the lesson's 12 steps"),
        ("unit", "9999999", "unit 9999999 is beyond the model's 8"),
        ("gradient", "12", "gradient column 12 is outside the lesson's 12 steps"),
        ("question", "0", "caption 0 has no question"),
        ("revealed", "[0, 0]", "the revealed questions repeat"),
        ("histogram", "[1, 2]", "a histogram without a revealed question"),
        (
            "presenter", "\"" + String(repeating: "x", count: 33) + "\"",
            "a presenter name of 33 characters (at most 32)"
        ),
        ("position", "\"7\"", "not a class state (bad field 'position')")
    ]

    @Test("A hostile state is refused with a message, never a trap", arguments: hostile)
    func hostileFields(_ c: (field: String, json: String, message: String)) throws {
        let f = try Self.follower()
        let text = String(decoding: try Self.presenter().state.encoded(), as: UTF8.self)
        // The encoding's keys are unique: replace the field's value in the text, or add the field (nil is left out).
        let pattern = "\"\(c.field)\":(\\[[^\\]]*\\]|\"[^\"]*\"|[^,}]*)"
        let field = "\"\(c.field)\":\(c.json)"
        let replaced = text.range(of: pattern, options: .regularExpression).map {
            text.replacingCharacters(in: $0, with: field)
        }
        let data = Data((replaced ?? "{" + field + "," + text.dropFirst()).utf8)
        #expect(throws: ClassStateError(c.message)) {
            try ClassState.decode(data, for: f.session, limit: classStateLimit)
        }
    }

    @Test("Garbage, a missing field and an oversized state are refused")
    func garbage() throws {
        let f = try Self.follower()
        #expect(throws: ClassStateError("not a class state (invalid JSON)")) {
            try ClassState.decode(Data([0xFF, 0x00, 0x7B]), for: f.session, limit: classStateLimit)
        }
        #expect(throws: ClassStateError("not a class state (no field 'version')")) {
            try ClassState.decode(Data("{}".utf8), for: f.session, limit: classStateLimit)
        }
        let big = Data(repeating: 0x20, count: 70_000)
        #expect(throws: ClassStateError("a state of 70000 bytes, over the limit of 65536")) {
            try ClassState.decode(big, for: f.session, limit: classStateLimit)
        }
        // A histogram of the wrong length for a revealed question.
        var p = try Self.presenter([.last, .stepForward, .stepForward, .stepForward])
        p.update(
            .init(joined: 2, question: try #require(p.session.questionHere).index, answered: 2, histogram: [1, 1, 0, 0])
        )
        var state = p.state
        #expect(state.histogram == [1, 1, 0, 0])
        state.histogram = [1, 1, 0]
        #expect(throws: ClassStateError("a histogram of 3 counts for 4 choices")) {
            try ClassState.decode(state.encoded(), for: f.session, limit: classStateLimit)
        }
    }

    @Test(
        "A follower follows, leaves on a key that changes the screen, stays where it is, and f jumps to the presenter")
    func followLeaveFollow() throws {
        var p = try Self.presenter([.stepForward, .stepForward])
        var f = try Self.follower()
        f.receive(try Self.sent(p, to: f))
        #expect(f.session.position == 2 && f.following)
        f.handle(.toggleHelp)
        #expect(f.following, "help leaves following as it is")
        f.handle(.toggleHelp)
        f.handle(.stepForward)
        #expect(!f.following && f.session.position == 3)
        let line = try #require(Screen.render(f.session, theme: colour, width: 80, height: 24).lines().last)
        #expect(line.hasPrefix(" exploring on your own — f follows again │"))
        for _ in 0..<5 { p.handle(.stepForward) }
        f.receive(try Self.sent(p, to: f))
        #expect(f.session.position == 3, "exploring: the presenter's steps do not move the screen")
        f.handle(.followPresenter)
        #expect(f.following && f.session.position == 7)
        let back = try #require(Screen.render(f.session, theme: colour, width: 80, height: 24).lines().last)
        #expect(back.hasPrefix(" following alice · room 7Q4K-M2XD │"))
    }

    @Test("At the presenter's question a follower's 1–4 go to the room, show as the student's own, and reveal nothing")
    func answering() throws {
        var p = try Self.presenter([.last, .stepForward])
        var out = p.outgoing()
        let q = try #require(p.session.questionHere).index
        #expect(out.open?.id == q && out.open?.choices == 4 && !out.close && out.publish != nil)
        #expect(p.outgoing() == PresenterSession.Outgoing(), "nothing changed: nothing to do")
        var f = try Self.follower()
        f.receive(try Self.sent(p, to: f))
        let hint = try #require(Screen.render(f.session, theme: colour, width: 120, height: 40).lines().last)
        #expect(
            hint.contains("│ answer with 1–4; the presenter reveals the answer"),
            "not the step-through's '→ twice reveals'")
        f.handle(.answer(1))
        f.handle(.answer(2))
        #expect(f.takeOutbox().map { [$0.question, $0.choice] } == [[q, 1]], "one answer per question")
        #expect(f.following)
        var text = Screen.render(f.session, theme: colour, width: 120, height: 40).lines().joined(separator: "\n")
        #expect(text.contains("2) step 5 [your answer]") && !text.contains("[right"))
        // The lecturer reveals (→ twice) after one more answer: the room closes, the histogram reaches everyone.
        p.update(.init(joined: 2, question: q, answered: 2, histogram: [1, 1, 0, 0]))
        p.handle(.stepForward)
        p.handle(.stepForward)
        out = p.outgoing()
        #expect(out.close && out.open == nil && p.state.histogram == [1, 1, 0, 0] && p.state.revealed == [q])
        f.receive(try Self.sent(p, to: f))
        text = Screen.render(f.session, theme: colour, width: 120, height: 40).lines().joined(separator: "\n")
        #expect(text.contains("[right]") && text.contains("2) step 5 [your answer]"))
        #expect(text.contains("the class answered: 2 answers"))
    }

    @Test(
        "The presenter's screen: code and counts while asking, the histogram beside the right answer once revealed (80x24, 120x40)"
    )
    func presenterScreens() throws {
        var p = try Self.presenter([.last, .stepForward])
        let q = try #require(p.session.questionHere).index
        p.update(
            .init(joined: 12, question: q, answered: 9, histogram: [6, 2, 1, 0], waitingFor: ["carol", "dave", "erin"]))
        let asking = Screen.render(p.session, theme: mono, width: 80, height: 24).lines()
        #expect(
            try #require(asking.last).hasPrefix(
                " class 7Q4K-M2XD . 12 joined . 9/12 answered . waiting for: carol,~ | "))
        expectSnapshot(asking, named: "class-presenter-asking-80x24")
        p.update(.init(joined: 12, question: q, answered: 12, histogram: [8, 2, 1, 1]))
        p.handle(.answer(0))
        for (w, h) in [(80, 24), (120, 40)] {
            let lines = Screen.render(p.session, theme: mono, width: w, height: h).lines()
            let text = lines.joined(separator: "\n")
            #expect(text.contains("1) step 1 [right: your answer] 8  67% "))
            #expect(text.contains("the class answered: 12 answers; a full bar is all of them"), "\(w)x\(h)")
            // Each bar (# in ASCII) is its share of the 12 answers, of 30 cells: 8 → 20, 2 → 5, 1 → 2.5, rounded to 3.
            for (label, share, cells) in [
                ("1) step 1 ", " 8  67% ", 20), ("2) step 5 ", " 2  17% ", 5), ("3) step 11 ", " 1   8% ", 3),
                ("4) the same at every step ", " 1   8% ", 3)
            ] {
                let line = try #require(lines.first { $0.hasPrefix(" " + label) }, "\(w)x\(h): no line for \(label)")
                #expect(line.contains(share), "\(w)x\(h): \(line)")
                #expect(line.filter { $0 == "#" }.count == cells, "\(w)x\(h): \(line)")
            }
            expectSnapshot(lines, named: "class-presenter-revealed-\(w)x\(h)")
        }
    }

    /// The package's examples/ folder.
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples").path

    @Test(
        "The lesson sent on joining: a built-in one by name, a file with the weights it names (read as any file, never from disk)"
    )
    func lessons() throws {
        let builtin = try ClassLesson.lesson(from: ClassLesson(builtin: "vanishing", seed: 9).encoded(), limit: 1 << 20)
        #expect(builtin.name == "vanishing" && builtin.seed == 9)
        let path = Self.examples + "/lstm.yaml"
        let sent = try ClassLesson(file: path).encoded()
        let received = try ClassLesson.lesson(from: sent, limit: 8 << 20)
        let local = try Lesson.load(contentsOf: path)
        #expect(received == local)
        #expect(received.weights != nil)
        // The follower's copy resolves the weights from the message alone: without them, the reader says so.
        var json = try #require(JSONSerialization.jsonObject(with: sent) as? [String: Any])
        json["files"] = [String: String]()
        let stripped = try JSONSerialization.data(withJSONObject: json)
        #expect(throws: ClassStateError.self) { try ClassLesson.lesson(from: stripped, limit: 8 << 20) }
        do { _ = try ClassLesson.lesson(from: stripped, limit: 8 << 20) } catch {
            #expect(
                error.message.hasPrefix("the presenter's lesson has problems:\n")
                    && error.message.contains("weights: no such file"))
        }
        #expect(throws: ClassStateError("a lesson of \(sent.count) bytes, over the limit of 1000")) {
            try ClassLesson.lesson(from: sent, limit: 1000)
        }
        #expect(throws: ClassStateError("the presenter's lesson 'nope' is not built into this unroll")) {
            try ClassLesson.lesson(from: ClassLesson(builtin: "nope").encoded(), limit: 1000)
        }
        #expect(throws: ClassStateError("the presenter sent something that is not a lesson")) {
            try ClassLesson.lesson(from: Data("[1]".utf8), limit: 1000)
        }
    }

    @Test("Names from the network reach the screen cleaned as scenario text: no escape sequence, no control character")
    func namesCleaned() throws {
        var f = try Self.follower()
        var state = try Self.presenter().state
        state.presenter = "\u{1B}]0;pwned\u{07}\u{1B}[2Jmallory\u{202E}"
        f.receive(try ClassState.decode(state.encoded(), for: f.session, limit: classStateLimit))
        let line = try #require(Screen.render(f.session, theme: colour, width: 100, height: 30).lines().last)
        #expect(line.hasPrefix(" following mallory · room 7Q4K-M2XD │"))
        var p = try Self.presenter([.last, .stepForward])
        p.update(
            .init(
                joined: 2, question: try #require(p.session.questionHere).index, waitingFor: ["\u{1B}[31mbob\u{9B}1m"]))
        let status = try #require(Screen.render(p.session, theme: colour, width: 100, height: 30).lines().last)
        #expect(status.contains("waiting for: bob │"))
    }

    @Test(
        "500 states with random fields at and beyond their edges: each refused with a message, or followed and drawn at 80x24"
    )
    func randomStates() throws {
        var rng = SeededGenerator(seed: 15)
        let edges = [-1_000_000_000, -3, -2, -1, 0, 1, 2, 3, 5, 7, 8, 11, 12, 13, 23, 24, 25, 4096, Int(Int32.max)]
        let base = try Self.presenter([.last, .stepForward, .stepForward]).state
        var accepted = 0, refused = 0
        for _ in 0..<500 {
            var f = try Self.follower()
            var state = base
            func pick() -> Int { edges[Int(rng.next() % UInt64(edges.count))] }
            for _ in 0..<(1 + Int(rng.next() % 3)) {
                switch rng.next() % 11 {
                case 0: state.position = pick()
                case 1: state.layer = pick()
                case 2: state.column = rng.next() % 2 == 0 ? nil : pick()
                case 3: state.unit = rng.next() % 2 == 0 ? nil : pick()
                case 4: state.skip = rng.next() % 2 == 0 ? nil : pick()
                case 5: state.gradient = GradientMode(wire: pick())
                case 6: state.question = rng.next() % 2 == 0 ? nil : pick()
                case 7: state.revealed = (0..<Int(rng.next() % 3)).map { _ in pick() }
                case 8: state.histogram = (0..<Int(rng.next() % 5)).map { _ in pick() }
                case 9: state.cell = ["rnn", "lstm", "gru", "RNN", ""][Int(rng.next() % 5)]
                default: state.scale = [0, 1e-7, 1e-6, 0.5, 1, 1e6, 2e6, 1e308][Int(rng.next() % 8)]
                }
            }
            do {
                f.receive(try ClassState.decode(state.encoded(), for: f.session, limit: classStateLimit))
                let lines = Screen.render(f.session, theme: mono, width: 80, height: 24).lines()
                #expect(lines.count == 24 && f.session.position == state.position)
                accepted += 1
            } catch {
                #expect(!error.message.isEmpty)
                refused += 1
            }
        }
        // Both outcomes happen: the edges straddle the lesson's ranges.
        #expect(accepted > 20 && refused > 200, "accepted \(accepted), refused \(refused)")
    }
}

extension ClassTests {
    /// Two seats as a room reports them (12:03:04 and 12:05:00 local time, today).
    static func seats() throws -> [PresenterSession.Seat] {
        let day = Calendar.current.startOfDay(for: Date())
        return [
            .init(id: 3, address: "address 10.0.0.7", name: "mallory (claimed)", joined: day + 12 * 3600 + 184),
            .init(id: 9, address: "address 10.0.0.8", name: "bob (claimed)", joined: day + 12 * 3600 + 300)
        ]
    }

    @Test("S shows the seats; ↓ chooses the next, d drops it (the room is told its id), Esc closes; q does not quit")
    func seatListKeys() throws {
        var p = try Self.presenter()
        let positionBefore = p.session.position
        #expect(p.handle(.action(.toggleSeats)).isEmpty)
        #expect(p.session.classBoard?.seatsShown == true)
        _ = p.handle(.roomCounts(.init(joined: 2, seats: try Self.seats())))
        #expect(p.seatList?.seats.map(\.id) == [3, 9] && p.seatList?.chosen == 0)
        // While the list is shown, keys are the list's: → does not step, q closes the list (not the class).
        #expect(p.handle(.action(.stepForward)).isEmpty && p.session.position == positionBefore)
        _ = p.handle(.action(.selectDown))
        #expect(p.seatList?.chosen == 1)
        _ = p.handle(.action(.selectDown))
        #expect(p.seatList?.chosen == 1, "the last row stays chosen")
        #expect(p.handle(.action(.dropSeat)) == [.dropSeat(id: 9)])
        #expect(p.seatList?.seats.map(\.id) == [3] && p.seatList?.chosen == 0)
        #expect(p.session.notice == "dropped bob (claimed) (address 10.0.0.8)")
        _ = p.handle(.action(.quit))
        #expect(p.seatList == nil && !p.session.wantsQuit)
        #expect(p.session.classBoard?.seatsShown == false)
        // Outside a presenter's class the keys only say what they are for.
        var lone = try Session(lesson: try #require(Self.vanishing), asksQuestions: true)
        lone.handle(.toggleSeats)
        #expect(lone.notice == "S lists the seats of a class, d drops one: only in unroll present")
    }

    @Test("The seat list fits 80x24 and 120x40: each row whole or cut after a word, the chosen one marked")
    func seatListScreen() throws {
        var p = try Self.presenter([.toggleSeats])
        _ = p.handle(.roomCounts(.init(joined: 2, seats: try Self.seats())))
        for (width, height) in [(80, 24), (120, 40)] {
            let lines = p.render(theme: colour, width: width, height: height).lines()
            let title = try #require(lines.first { $0.contains("Seats: ↑ ↓ choose · d drops · Esc closes") })
            #expect(title.count <= width)
            #expect(lines.contains { $0.contains("› 12:03:04  address 10.0.0.7  mallory (claimed)") }, "\(lines)")
            #expect(lines.contains { $0.contains("  12:05:00  address 10.0.0.8  bob (claimed)") })
        }
        // A row longer than the box is cut after its last whole word, with an ellipsis.
        #expect(SeatListView.fit("12:03:04  address 10.0.0.7  a-very-long-name (claimed)", width: 40)
            == "12:03:04  address 10.0.0.7…")
        let ascii = Theme(colorMode: .monochrome, glyphs: .ascii)
        let plain = p.render(theme: ascii, width: 80, height: 24).lines()
        #expect(plain.contains { $0.contains("Seats: Up Down choose - d drops - Esc closes") }, "\(plain)")
        #expect(plain.contains { $0.contains("> 12:03:04  address 10.0.0.7  mallory (claimed)") })
    }
}
