import Foundation
import Testing

/// `unroll present` and `unroll join` in tmux: a lecturer and students on this machine, each in a room folder of
/// its own (UNROLL_CLASS_DIR), on the vanishing lesson (12 steps; its question at backward step 12, right: 1).
@Suite("Class mode, end to end")
struct ClassEndToEndTests {
    /// A fresh folder for a test's room sockets, inside a private folder made under /tmp (never $TMPDIR, whose length
    /// is anyone's: a room's socket path must fit in 107 bytes); removed by the caller.
    static func classDirectory() throws -> (parent: String, dir: String) {
        var template = Array("/tmp/unroll-class-e2e-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) != nil }
        try #require(made, "mkdtemp under /tmp: \(String(cString: strerror(errno)))")
        let parent = String(cString: template)
        return (parent, parent + "/rooms")
    }

    /// A loopback port nobody listened on a moment ago: the one the kernel gives a socket bound to port 0.
    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        try #require(bound, "binding 127.0.0.1:0: \(String(cString: strerror(errno)))")
        let port = UInt16(bigEndian: address.sin_port)
        try #require(port != 0)
        return port
    }

    /// `unroll present ARGUMENTS --listen 127.0.0.1:PORT` on a free port, with another port if that one was taken
    /// between learning it and listening on it (at most 5 tries); the presenter, its code and its address.
    static func presentListening(
        _ arguments: String, environment: [String: String]
    ) throws -> (Tmux, code: String, address: String) {
        var last = ""
        for _ in 0..<5 {
            let address = "127.0.0.1:\(try freePort())"
            let p = try Tmux(
                wrapped("present \(arguments) --listen \(address)"), width: 100, height: 30, environment: environment)
            last = try p.wait(for: "the join code or an exit") { $0.contains(" joined") || $0.contains("EXIT-") }
            if last.contains(" joined") { return (p, try code(on: last), address) }
            guard last.contains("Address already in use") else { break }
        }
        Issue.record("the presenter did not listen on a loopback port; its screen:\n\(last)")
        throw NotListening()
    }

    /// The presenter could not listen on any port tried.
    struct NotListening: Error {}

    /// A join code other than `code` (its last symbol changed, still within the alphabet).
    static func otherCode(_ code: String) -> String {
        String(code.dropLast()) + (code.hasSuffix("A") ? "B" : "A")
    }

    /// The join code on a presenter's screen ("class K7QD-7Q4K-M2XD · …").
    static func code(on screen: String) throws -> String {
        let range = try #require(screen.range(of: #"class [0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}"#, options: .regularExpression))
        return String(screen[range].dropFirst(6))
    }

    /// `unroll ARGUMENTS` (a presenter) in tmux at `width`×30, and the join code once its status line shows it.
    static func present(
        _ arguments: String, width: Int = 100, environment: [String: String]
    ) throws -> (Tmux, String) {
        let p = try Tmux(wrapped(arguments), width: width, height: 30, environment: environment)
        return (p, try code(on: try p.wait(for: "the join code") { $0.contains(" joined") }))
    }

    @Test(
        "A class: present, two students at 80x24 and 120x40, step, a question answered by both, the reveal's histogram, leaving and f, the presenter quits"
    )
    func wholeClass() throws {
        let (parent, dir) = try Self.classDirectory()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        // $USER is a claim anyone can make (D6): the students see the room socket's verified owner, the account.
        let env = ["UNROLL_CLASS_DIR": dir, "USER": "the_real_prof"]
        let lecturer = try #require(getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) })
        // Both students are this test's user, who holds one seat over the Unix socket (issue 24, D3): the second
        // joins over TCP on loopback, a seat of its own, where the presenter's name is marked as claimed.
        let results = parent + "/answers.csv"
        let (p, code, address) = try Self.presentListening("vanishing --results \(results)", environment: env)
        let a = try Tmux(wrapped("join \(code.lowercased())"), width: 80, height: 24, environment: env)
        let b = try Tmux(wrapped("join \(code) --connect \(address)"), width: 120, height: 40, environment: env)
        for (s, shown) in [(a, lecturer), (b, "\(lecturer) (claimed)")] {
            let screen = try s.wait(for: "following \(shown) · room \(code)")
            #expect(!screen.contains("the_real_prof"), "\(screen)")
        }
        try p.wait(for: "2 joined")
        // Stepping: both students see the presenter's step, at their own size.
        try p.send("l", "l", "l")
        for s in [a, b] { try s.wait(for: "FORWARD") { $0.contains("step 4/12") } }
        // The question: the presenter sees the counts, the students answer with their keys.
        try p.send("End", "l")
        try p.wait(for: "0/2 answered")
        for s in [a, b] { try s.wait(for: "? Going back from the loss") }
        try a.send("2")
        try b.send("1")
        try p.wait(for: "2/2 answered")
        let asked = try a.wait(for: "2) step 5 [your answer]")
        #expect(!asked.contains("[right"), "nothing revealed before the presenter reveals")
        // The reveal (→ twice, as always): a histogram beside the right answer, on every screen.
        try p.send("l")
        try p.send("l")
        let revealed = try p.wait(for: "the class answered: 2 answers")
        #expect(
            revealed.range(of: #"1\) step 1 \[right\]\s+1\s+50% █{15}(?!█)"#, options: .regularExpression) != nil,
            "\(revealed)")
        #expect(revealed.range(of: #"2\) step 5\s+1\s+50% █{15}(?!█)"#, options: .regularExpression) != nil)
        // --results: written at the reveal, one row per choice (a chose 2, b chose 1; 1 is right).
        let rows = try String(contentsOfFile: results, encoding: .utf8).split(separator: "\n").map(String.init)
        try #require(rows.count == 5, "\(rows)")
        #expect(rows[0] == "caption,question,choice,text,right,count,percent")
        for (row, end) in zip(
            rows.dropFirst(),
            [",1,step 1,yes,1,50", ",2,step 5,no,1,50", ",3,step 11,no,0,0", ",4,the same at every step,no,0,0"])
        {
            #expect(row.hasSuffix(end) && row.contains("\"Going back from the loss at step 12,"), "\(row)")
        }
        try a.wait(for: "2) step 5 [your answer]") { $0.contains("[right]") && $0.contains("2) step 5 [your answer]") }
        try b.wait(for: "1) step 1 [right: your answer]")
        // A student leaves to explore, stays put while the presenter steps on, and f brings them back at once.
        try a.send("h")
        try a.wait(for: "exploring on your own — f follows again")
        try a.wait(for: "FORWARD") { $0.contains("FORWARD") && $0.contains("step 12/12") }
        try p.send("l", "l")
        try b.wait(for: "step 10/12") { $0.contains("BACKWARD") && $0.contains("step 10/12") }
        #expect(try a.screen().contains("FORWARD"))
        try a.send("f")
        try a.wait(for: "following again") {
            $0.contains("following \(lecturer)") && $0.contains("BACKWARD") && $0.contains("step 10/12")
        }
        // A model key: every student's lab computes the presenter's model (LSTM).
        try p.send("c")
        for s in [a, b] {
            try s.wait(for: "the presenter's LSTM") {
                $0.contains("LSTM · H=8") && $0.contains("following \(lecturer)")
            }
        }
        // The presenter quits: every student's terminal is restored, with the message, exit 0.
        try p.send("q")
        for s in [a, b] {
            let end = try s.wait(for: "EXIT-")
            #expect(
                end.contains("the presenter ended the class") && end.contains("TERMINAL-RESTORED")
                    && end.contains("EXIT-0"), "\(end)")
        }
        let summary = try p.wait(for: "EXIT-")
        #expect(summary.contains("EXIT-0"))
        // The end of the class: every question asked, on one screen.
        #expect(
            summary.contains("1 question asked:") && summary.contains("2 answers, 50% right")
                && summary.contains("  1) step 1 [right]: 1") && summary.contains("  2) step 5: 1")
                && summary.contains("answers written to \(results)"), "\(summary)")
    }

    @Test("The presenter crashing leaves the student with a restored terminal and 'lost the connection', exit 1")
    func presenterKilled() throws {
        let (parent, dir) = try Self.classDirectory()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let env = ["UNROLL_CLASS_DIR": dir]
        let (p, code) = try Self.present("present memory", environment: env)
        let a = try Tmux(wrapped("join \(code)"), width: 80, height: 24, environment: env)
        try a.wait(for: "following")
        kill(try #require(try p.unrollPID(), "no unroll present in its tmux session"), SIGKILL)
        let end = try a.wait(for: "EXIT-")
        #expect(
            end.contains("unroll: lost the connection to the presenter: ") && end.contains("TERMINAL-RESTORED")
                && end.contains("EXIT-1"), "\(end)")
    }

    @Test(
        "SIGTERM or SIGHUP to the presenter ends the class cleanly: the student hears the goodbye (exit 0), the room is removed (D8)",
        arguments: [SIGTERM, SIGHUP])
    func presenterSignalled(_ signal: Int32) throws {
        let (parent, dir) = try Self.classDirectory()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let env = ["UNROLL_CLASS_DIR": dir]
        let (p, code) = try Self.present("present memory", environment: env)
        let a = try Tmux(wrapped("join \(code)"), width: 80, height: 24, environment: env)
        try a.wait(for: "following")
        try p.wait(for: "1 joined")
        let rooms = try FileManager.default.contentsOfDirectory(atPath: dir)
        try #require(rooms.count == 1, "one room folder in \(dir): \(rooms)")
        kill(try #require(try p.unrollPID(), "no unroll present in its tmux session"), signal)
        let end = try a.wait(for: "EXIT-")
        #expect(
            end.contains("the presenter ended the class") && end.contains("TERMINAL-RESTORED")
                && end.contains("EXIT-0"), "\(end)")
        // The presenter still dies by the signal (128 + its number), its terminal restored.
        let gone = try p.wait(for: "EXIT-")
        #expect(gone.contains("EXIT-\(128 + signal)") && gone.contains("TERMINAL-RESTORED"), "\(gone)")
        let left = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(left.isEmpty, "the room folder and socket are removed: \(left)")
    }

    @Test(
        "A student applies the memory limit to the lesson sent (UNROLL_MEMORY_LIMIT, --memory-limit): refused before building, exit 2 (D5)"
    )
    func followerMemoryLimit() throws {
        let (parent, dir) = try Self.classDirectory()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let env = ["UNROLL_CLASS_DIR": dir]
        let (p, code) = try Self.present("present memory", environment: env)
        // 16 KiB is below the memory lesson's estimate (`unroll lesson memory --memory-limit 16KiB` refuses it).
        let byVariable = try run([unrollBinary, "join", code], environment: env.merging(["UNROLL_MEMORY_LIMIT": "16k"]) { $1 })
        let byFlag = try run([unrollBinary, "join", code, "--memory-limit", "16KiB"], environment: env)
        for refused in [byVariable, byFlag] {
            #expect(
                refused.status == 2 && refused.err.hasPrefix("unroll: lesson 'memory' would need about ")
                    && refused.err.contains("more than the memory limit of 16 KiB")
                    && refused.err.split(separator: "\n").count == 1, "\(refused)")
        }
        let bad = try run([unrollBinary, "join", code, "--memory-limit", "lots"], environment: env)
        #expect(bad.status != 0 && bad.err.contains("--memory-limit: 'lots' is not a memory size"), "\(bad)")
        try p.send("q")
        #expect(try p.wait(for: "EXIT-").contains("EXIT-0"))
    }

    @Test("Joining refuses a malformed code, a wrong one, a bad --connect and a full room: one message each, exit 2")
    func joinRefusals() throws {
        let (parent, dir) = try Self.classDirectory()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let env = ["UNROLL_CLASS_DIR": dir]
        let malformed = try run([unrollBinary, "join", "not-a-code!"], environment: env)
        #expect(
            malformed.status == 2 && malformed.err.hasPrefix("unroll: not a join code")
                && malformed.err.split(separator: "\n").count == 1, "\(malformed)")
        let wrong = try run([unrollBinary, "join", "AAAA-AAAA-AAAA"], environment: env)
        #expect(
            wrong.status == 2 && wrong.err.hasPrefix("unroll: no class is running under the code AAAA-AAAA-AAAA")
                && wrong.err.split(separator: "\n").count == 1, "\(wrong)")
        let connect = try run([unrollBinary, "join", "AAAA-AAAA-AAAA", "--connect", "no port here"], environment: env)
        #expect(
            connect.status == 2 && connect.err == "unroll: cannot join the room: \"no port here\" is not HOST:PORT\n",
            "\(connect)")
        // A room of one: the second student (over TCP: over the Unix socket this same user would take back the
        // seat they hold) is refused.
        let (p, code, address) = try Self.presentListening("memory --limit 1", environment: env)
        let a = try Tmux(wrapped("join \(code)"), width: 80, height: 24, environment: env)
        try a.wait(for: "following")
        try p.wait(for: "1 joined")
        let full = try run([unrollBinary, "join", code, "--connect", address], environment: env)
        #expect(full.status == 2 && full.err.hasPrefix("unroll: the room is full (at most 1 followers)"), "\(full)")
        try p.send("q")
        try a.wait(for: "EXIT-0")
    }

    @Test("Over TCP on loopback: --listen and --connect join with the code; a wrong code is refused, exit 2")
    func overTCP() throws {
        let (parent, dir) = try Self.classDirectory()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let env = ["UNROLL_CLASS_DIR": dir, "USER": "lecturer"]
        let (p, code, address) = try Self.presentListening("memory", environment: env)
        // The student's own room folder is elsewhere: only TCP can find the room.
        let a = try Tmux(
            wrapped("join \(code) --connect \(address)"), width: 80, height: 24,
            environment: ["UNROLL_CLASS_DIR": parent + "/nothing-here"])
        try a.wait(for: "room \(code)") { $0.contains("following") && $0.contains("room \(code)") }
        try p.wait(for: "1 joined")
        let wrong = try run([unrollBinary, "join", Self.otherCode(code), "--connect", address])
        #expect(
            wrong.status == 2 && wrong.err == "unroll: the room refused the join code: check it with the presenter\n",
            "\(wrong)")
        try p.send("l", "l")
        try a.wait(for: "step 3/") { $0.contains("step 3/") }
        #expect(try p.screen().contains("1 joined"), "the refused student never joined")
        try p.send("q")
        let end = try a.wait(for: "EXIT-")
        #expect(
            end.contains("the presenter ended the class") && end.contains("TERMINAL-RESTORED")
                && end.contains("EXIT-0"), "\(end)")
    }

    @Test("--names: the presenter's status line lists who has not answered, by the account's user name")
    func namesOfWhoHasNotAnswered() throws {
        let (parent, dir) = try Self.classDirectory()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        // $USER is set to a name no account has: the name shown is the account database's (getpwuid), not $USER.
        let env = ["UNROLL_CLASS_DIR": dir, "USER": "not-the-account", "LOGNAME": "not-the-account"]
        let account = try #require(getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) })
        let (p, code) = try Self.present("present vanishing --names", width: 120, environment: env)
        let a = try Tmux(wrapped("join \(code)"), width: 80, height: 24, environment: env)
        try a.wait(for: "following")
        try p.wait(for: "1 joined")
        #expect(!(try p.screen().contains("waiting for:")), "no question yet, nobody is waited for")
        try p.send("End", "l")
        try p.wait(for: "0/1 answered · waiting for: \(account)")
        try a.wait(for: "? Going back from the loss")
        try a.send("1")
        let answered = try p.wait(for: "1/1 answered")
        #expect(!answered.contains("waiting for:"), "\(answered)")
        try p.send("q")
        try a.wait(for: "EXIT-0")
    }

    @Test(
        "R during a class without --results: the answers so far go to unroll-results-LESSON.csv in the current folder, kept up to date at each reveal and named at the end; a student's R only says so"
    )
    func resultsKey() throws {
        let (parent, dir) = try Self.classDirectory()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let env = ["UNROLL_CLASS_DIR": dir]
        let p = try Tmux("cd \(parent) && " + wrapped("present vanishing"), width: 100, height: 30, environment: env)
        let code = try Self.code(on: try p.wait(for: "the join code") { $0.contains(" joined") })
        let a = try Tmux(wrapped("join \(code)"), width: 80, height: 24, environment: env)
        try a.wait(for: "following")
        try p.wait(for: "1 joined")
        let file = parent + "/unroll-results-vanishing.csv"
        // Before any question: the file is made, with its header alone.
        try p.send("R")
        try p.wait(for: "answers saved to unroll-results-vanishing.csv")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "caption,question,choice,text,right,count,percent\n")
        // A student's R writes nothing and keeps following.
        try a.send("R")
        try a.wait(for: "R saves answers: presenter only")
        #expect(try a.screen().contains("following"))
        // The question, answered 2 by the student and revealed: the file the key made is written again.
        try p.send("End", "l")
        try a.wait(for: "? Going back from the loss")
        try a.send("2")
        try p.wait(for: "1/1 answered")
        try p.send("l")
        try p.send("l")
        try p.wait(for: "the class answered: 1 answer")
        let rows = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init)
        try #require(rows.count == 5, "\(rows)")
        #expect(rows[1].hasSuffix(",1,step 1,yes,0,0") && rows[2].hasSuffix(",2,step 5,no,1,100"), "\(rows)")
        try p.send("R")
        try p.wait(for: "answers saved to unroll-results-vanishing.csv")
        try p.send("q")
        let summary = try p.wait(for: "EXIT-")
        #expect(summary.contains("answers written to unroll-results-vanishing.csv") && summary.contains("EXIT-0"), "\(summary)")
        try a.wait(for: "EXIT-0")
    }

    @Test("--group: the room folder is 0750 and its socket 0660, both of the group named; a member joins")
    func groupRoom() throws {
        let (parent, dir) = try Self.classDirectory()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let env = ["UNROLL_CLASS_DIR": dir]
        // The test user's own primary group, from the group database (getent group GID).
        let group = try #require(getgrgid(getgid()).map { String(cString: $0.pointee.gr_name) })
        let (p, code) = try Self.present("present memory --group \(group)", environment: env)
        let rooms = try FileManager.default.contentsOfDirectory(atPath: dir)
        try #require(rooms.count == 1, "one room folder in \(dir): \(rooms)")
        let folder = dir + "/" + rooms[0]
        let folderMode = try run(["stat", "-c", "%a %G %F", folder])
        #expect(folderMode.out == "750 \(group) directory\n", "\(folderMode)")
        let socketMode = try run(["stat", "-c", "%a %G %F", folder + "/room.sock"])
        #expect(socketMode.out == "660 \(group) socket\n", "\(socketMode)")
        let a = try Tmux(wrapped("join \(code)"), width: 80, height: 24, environment: env)
        try a.wait(for: "following")
        try p.wait(for: "1 joined")
        try p.send("q")
        try a.wait(for: "EXIT-0")
        let gone = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(gone.isEmpty, "the room folder is removed when the class ends: \(gone)")
    }

    @Test(
        "A room folder too long for a Unix socket: present and join refuse with the path, its length and the limit, exit 2"
    )
    func socketPathTooLong() throws {
        let (parent, _) = try Self.classDirectory()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        // 93 bytes: the socket path DIR/ROOM/room.sock is 108 bytes, one more than sun_path's 107 (man 7 unix).
        let long = parent + "/" + String(repeating: "x", count: 93 - parent.utf8.count - 1)
        try #require(long.utf8.count == 93)
        let env = ["UNROLL_CLASS_DIR": long]
        let limits =
            "more than the 107 a Unix socket path can hold; set UNROLL_CLASS_DIR to a shorter folder (at most 92 bytes, e.g. /tmp/unroll-class)"
        // K7QD, the room id of K7QD-7Q4K-M2XD (its first four symbols): the room folder's name.
        let join = try run([unrollBinary, "join", "K7QD-7Q4K-M2XD"], environment: env)
        #expect(join.status == 2, "\(join)")
        #expect(
            join.err
                == "unroll: cannot join the room: the room's socket path \(long)/K7QD/room.sock is 108 bytes, \(limits)\n"
        )
        let errors = parent + "/present.err"
        let p = try Tmux(wrapped("present memory 2>\(errors)"), width: 100, height: 30, environment: env)
        let end = try p.wait(for: "EXIT-")
        #expect(end.contains("TERMINAL-RESTORED") && end.contains("EXIT-2"), "\(end)")
        let said = try String(contentsOfFile: errors, encoding: .utf8)
        #expect(said.hasPrefix("unroll: cannot open the room: the room's socket path \(long)/"), "\(said)")
        #expect(
            said.hasSuffix("/room.sock is 108 bytes, \(limits)\n") && said.split(separator: "\n").count == 1, "\(said)")
        #expect(!FileManager.default.fileExists(atPath: long), "nothing made")
    }

    @Test("Presenting refuses bad room options and lessons that cannot be presented: exit 2")
    func presentRefusals() throws {
        let limit = try run([unrollBinary, "present", "memory", "--limit", "0"])
        #expect(limit.status == 2 && limit.err.contains("--limit must be from 1 to 10000, found 0"))
        let without = try run([unrollBinary, "lesson", "memory", "--names"])
        #expect(without.status == 2 && without.err.contains("--group, --listen, --limit, --names, --per-address and --results need --present"))
        let unknown = try run([unrollBinary, "present", "nosuchlesson"])
        #expect(
            unknown.status == 2
                && unknown.err.contains("'nosuchlesson' is neither a lesson (see `unroll lessons`) nor a file"))
        // D4: a group closes the Unix socket only; with --listen anyone who has the code joins over TCP.
        let both = try run([unrollBinary, "present", "memory", "--group", "staff", "--listen", "127.0.0.1:0"])
        #expect(
            both.status == 2 && both.err.contains("--group and --listen cannot be used together"), "\(both)")
        let versus = try run([unrollBinary, "present", "memory", "--versus", "lstm"])
        #expect(versus.status == 2 && versus.err.contains("--versus cannot be presented to a class"))
    }

    @Test("--help and the committed man page list present and join")
    func documented() throws {
        let page = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("docs/man/unroll.1"), encoding: .utf8)
        let help = try run([unrollBinary, "--help"]).out
        for command in ["present", "join"] {
            #expect(help.contains("  \(command) "), "--help lacks \(command)")
            #expect(page.contains(command), "docs/man/unroll.1 lacks \(command)")
        }
        #expect(page.contains("Fl -names") && page.contains("Fl -connect") && page.contains("Fl -present"))
    }
}
