import ArgumentParser
import UnrollClass

/// The presenter's room options, shared by `present` and by `lesson`/`open` with `--present`.
struct RoomFlags: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "With a class: the Unix group allowed to join (default: every user of the machine; docs/teaching.md).",
            valueName: "group"))
    var group: String?

    @Option(
        help: ArgumentHelp(
            "With a class: also listen on TCP at HOST:PORT, the join code as the shared secret (default: no TCP).",
            valueName: "host:port"))
    var listen: String?

    @Option(help: "With a class: at most this many students at once.")
    var limit = 100

    @Flag(help: "With a class: show the Unix user names of the students who have not answered yet.")
    var names = false

    @Option(help: "With --listen: at most this many students, and answers per question, from one TCP address.")
    var perAddress = 8

    @Option(
        help: ArgumentHelp(
            "With a class: write each question's answers to this CSV file at every reveal, at R and at the end (names only with --names). Without it, R saves to unroll-results-LESSON.csv in the current folder.",
            valueName: "file.csv"))
    var results: String?

    func validate() throws {
        guard (1...10_000).contains(limit) else {
            throw ValidationError("--limit must be from 1 to 10000, found \(limit)")
        }
        // A group closes only the Unix socket: over TCP anyone who has the code joins, so the two together would
        // promise what the room cannot keep (issue 24, D4).
        if group != nil && listen != nil {
            throw ValidationError(
                "--group and --listen cannot be used together: the group limits who may use this machine's socket, "
                    + "but over TCP anyone who has the code can join")
        }
        guard (1...10_000).contains(perAddress) else {
            throw ValidationError("--per-address must be from 1 to 10000, found \(perAddress)")
        }
    }

    /// Whether any option was given (they need a class).
    var isSet: Bool { group != nil || listen != nil || limit != 100 || names || perAddress != 8 || results != nil }

    /// The room's options (its folder from `ClassDefaults`, i.e. $UNROLL_CLASS_DIR or /tmp/unroll-class).
    var room: RoomOptions {
        RoomOptions(group: group, listen: listen, limit: limit, names: names, perAddress: perAddress)
    }
}
