import Foundation
import UnrollSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The presenter's side: accepts followers on a background thread, sends each the lesson at once and then the newest
/// state (coalesced: a slow follower skips to the newest, never queues), and counts answers, one per follower per
/// question.
///
/// One thread per room blocks in poll() over the listening sockets, every connection and a wake pipe; all sockets are
/// non-blocking, so no follower can hold the room up (docs/reliability.md, "Class protocol").
public final class ClassRoom: Sendable {
    /// The room's join code.
    public let code: JoinCode
    /// The path of the room's Unix socket.
    public let socketPath: String
    /// The TCP listener's "HOST:PORT" (the port actually bound), nil without RoomOptions.listen.
    public let tcpAddress: String?
    private let shared: Monitor<RoomShared>
    private let wakeWrite: Int32

    /// Opens the room under `code`, or without one under a new random code whose room id no folder has yet
    /// (`RoomFolder.freeRoom`). `lesson` (≤ ClassLimits.lesson bytes) is sent to each follower on joining, with the
    /// newest state.
    /// `wake` is called (from the room's thread) whenever `status` changes, to redraw the presenter's screen.
    /// - Throws: `ClassError.cannotListen` (bad group, HOST:PORT, address in use, lesson too large),
    ///   `ClassError.unsafeRoom` (the shared folder is not safe to use).
    public init(
        options: RoomOptions, code given: JoinCode? = nil, lesson: Data,
        wake: @escaping @Sendable () -> Void
    ) throws(ClassError) {
        guard lesson.count <= ClassLimits.lesson else {
            throw .cannotListen("the lesson is \(lesson.count) bytes, more than a room sends (\(ClassLimits.lesson))")
        }
        guard options.limit >= 1 else {
            throw .cannotListen("the room limit must be at least 1 (got \(options.limit))")
        }
        let code = given ?? RoomFolder.freeRoom(options.directory, .random())
        var tcp: (fd: Int32, address: String)?
        if let listen = options.listen { tcp = try Posix.listenTCP(listen) }
        let unix: (path: String, fd: Int32)
        do { unix = try RoomFolder.open(options, code) } catch {
            if let tcp { Glibc.close(tcp.fd) }
            throw error
        }
        let pipe: (read: Int32, write: Int32)
        do { pipe = try Posix.wakePipe() } catch {
            if let tcp { Glibc.close(tcp.fd) }
            Glibc.close(unix.fd)
            RoomFolder.remove(socket: unix.path)
            throw error
        }
        self.code = code
        socketPath = unix.path
        tcpAddress = tcp?.address
        wakeWrite = pipe.write
        let shared = Monitor(RoomShared())
        self.shared = shared
        let welcome = RoomMessage.welcome(presenter: Posix.userName(getuid()) ?? "", lesson: lesson).frame
        let listeners = [(unix.fd, false)] + (tcp.map { [($0.fd, true)] } ?? [])
        let setup = RoomLoop.Setup(
            code: code, options: options, welcome: welcome, listeners: listeners,
            wakeRead: pipe.read, socketPath: unix.path)
        Monitor<RoomShared>.startThread(name: "unroll-class-room") {
            let loop = RoomLoop(setup, shared: shared, wake: wake)
            loop.run()
            Glibc.close(pipe.write)
        }
    }

    /// Where followers connect: the socket path, then " and HOST:PORT" when listening on TCP.
    public var address: String { tcpAddress.map { "\(socketPath) and \($0)" } ?? socketPath }

    /// Publishes the newest state (≤ ClassLimits.state bytes; a larger one is not sent) to every follower; returns at
    /// once. A follower still busy with an older state gets only the newest.
    public func publish(state: Data) {
        guard state.count <= ClassLimits.state else { return }
        shared.withLock { room in
            guard !room.closing else { return }
            room.sequence += 1
            room.state = Array(state)
            Posix.poke(wakeWrite)
        }
    }

    /// Opens question `id` (0...2³¹−1, what followers can send) with `choices` choices (2...4): answers for it are
    /// counted from now; any other id is dropped. Opening the same id again keeps its answers.
    public func openQuestion(id: Int, choices: Int) {
        shared.withLock { room in
            room.question = id
            room.isOpen = true
            room.choices[id] = min(4, max(2, choices))
        }
    }

    /// Stops accepting answers for the open question (the presenter revealed it); its tally stays in `status`.
    public func closeQuestion() {
        shared.withLock { $0.isOpen = false }
    }

    /// Followers, answers and the histogram now.
    public var status: RoomStatus { shared.withLock { $0.status } }

    /// Every follower joined now, in the order they joined: where from, the name, when.
    public var seats: [SeatInfo] { shared.withLock { $0.seatList.values.sorted { $0.id < $1.id } } }

    /// The notice a follower the presenter dropped receives.
    public static let droppedByPresenter = "the presenter removed you from the class"

    /// Drops the follower of seat `id` (`SeatInfo.id`): it is sent `droppedByPresenter` and disconnected, and its
    /// seat is freed (its answers stay counted). Returns at once; an unknown id does nothing.
    public func drop(seat id: Int) {
        shared.withLock { room in
            guard room.seatList[id] != nil, !room.closing else { return }
            room.drops.insert(id)
            Posix.poke(wakeWrite)
        }
    }

    /// Every question opened so far, in order of id, with its answers (names only with RoomOptions.names).
    public var results: [QuestionResult] { shared.withLock { $0.results } }

    /// Says goodbye to every follower ("the presenter ended the class"), closes every connection, removes the socket.
    /// Also called by deinit. Idempotent. Waits (at most about a second) for the room's thread to finish, unless
    /// called from it (from `wake`).
    public func close() {
        let onRoomThread = shared.withLock { room -> Bool in
            if !room.closing && !room.finished {
                room.closing = true
                Posix.poke(wakeWrite)
            }
            return room.thread.map { pthread_equal($0, pthread_self()) != 0 } ?? false
        }
        guard !onRoomThread else { return }
        _ = shared.wait(until: { $0.finished }, deadline: .now + .seconds(2)) { _ in }
    }

    deinit { close() }
}

/// One connection as the room's thread sees it.
private struct Connection {
    let fd: Int32
    let id: Int
    let isTCP: Bool
    /// The peer's uid (Unix sockets), from SO_PEERCRED.
    let peerUID: uid_t?
    /// Who is behind it, for the caps per peer: "uid N" over Unix, the numeric address over TCP.
    let peer: String
    /// Whether it has sent any byte (a connection that has not is silent, the first evicted).
    var spoke = false
    var reader = FrameReader(readByRoom: true)
    /// Whether the hello was accepted.
    var joined = false
    /// How long it has to say hello, and when it is dropped without one.
    let helloTimeout: Duration
    let helloDeadline: ContinuousClock.Instant
    /// Frames to send; the first is sent from `sent`.
    var outbox: [[UInt8]] = []
    var sent = 0
    /// The sequence of the newest state queued for it.
    var stateSequence: UInt64 = 0
    /// Messages received in the current one-second window, and when the window began.
    var windowStart: ContinuousClock.Instant
    var windowCount = 0
    /// Set when the connection is to be closed at the end of this round.
    var done = false
    /// Set when the presenter dropped it: nothing new is queued, and it closes once its notice is sent or at this
    /// time, whichever comes first.
    var closeBy: ContinuousClock.Instant?
}

/// The room's thread: owns every socket; shares only `RoomShared` with the presenter.
private final class RoomLoop {
    /// What the thread needs from the presenter's thread (all of it Sendable).
    struct Setup: Sendable {
        let code: JoinCode
        let options: RoomOptions
        let welcome: [UInt8]
        /// Listening sockets and whether each is TCP.
        let listeners: [(Int32, Bool)]
        let wakeRead: Int32
        let socketPath: String
    }

    let setup: Setup
    let shared: Monitor<RoomShared>
    let wake: @Sendable () -> Void
    var connections: [Connection] = []
    var nextID = 1
    /// The newest state frame, built once per sequence and shared by every follower's outbox.
    var stateFrame: (sequence: UInt64, frame: [UInt8]) = (0, [])
    /// Until when the listeners are not polled (after accept ran out of descriptors).
    var acceptPausedUntil = ContinuousClock.now
    /// When the next heartbeat goes to the followers that have nothing else to receive.
    var nextHeartbeat = ContinuousClock.now + ClassLimits.heartbeat
    /// The heartbeat frame, the same for everyone.
    let heartbeatFrame = RoomMessage.heartbeat.frame
    /// The nonces of the proofs accepted so far (a replayed hello is refused).
    var ledger = ProofLedger()
    /// Wrong codes per peer in the current one-second window, and when the window began.
    var guesses: [String: (start: ContinuousClock.Instant, count: Int)] = [:]

    init(_ setup: Setup, shared: Monitor<RoomShared>, wake: @escaping @Sendable () -> Void) {
        self.setup = setup
        self.shared = shared
        self.wake = wake
    }

    func run() {
        shared.withLock { $0.thread = pthread_self() }
        while true {
            var entries = [pollfd(fd: setup.wakeRead, events: Int16(POLLIN), revents: 0)]
            let listening = ContinuousClock.now >= acceptPausedUntil
            entries += setup.listeners.map { pollfd(fd: $0.0, events: listening ? Int16(POLLIN) : 0, revents: 0) }
            entries += connections.map {
                pollfd(fd: $0.fd, events: Int16(POLLIN) | ($0.outbox.isEmpty ? 0 : Int16(POLLOUT)), revents: 0)
            }
            let ready = poll(&entries, nfds_t(entries.count), timeout())
            if ready < 0 && errno != EINTR { break }
            if entries[0].revents != 0 { Posix.drain(setup.wakeRead) }
            if shared.withLock({ $0.closing }) { break }
            var changed = false
            // What the connections sent first, so a hello that arrived is read before new connections can evict it.
            let first = 1 + setup.listeners.count
            for index in 0..<min(connections.count, entries.count - first) where entries[first + index].revents != 0 {
                changed = receive(&connections[index]) || changed
            }
            for (index, listener) in setup.listeners.enumerated() where entries[1 + index].revents != 0 {
                changed = accept(listener.0, isTCP: listener.1) || changed
            }
            let now = ContinuousClock.now
            for index in connections.indices
            where !connections[index].joined && !connections[index].done && now >= connections[index].helloDeadline {
                refuse(&connections[index], .dropped("no hello within \(connections[index].helloTimeout)"))
            }
            let drops = shared.withLock { room -> Set<Int> in
                defer { room.drops.removeAll() }
                return room.drops
            }
            for index in connections.indices where drops.contains(connections[index].id) {
                dropByPresenter(&connections[index])
                changed = true
            }
            let (sequence, state) = shared.withLock { ($0.sequence, $0.state) }
            if sequence != stateFrame.sequence {
                stateFrame = (sequence, RoomMessage.state(sequence: sequence, state: Data(state)).frame)
            }
            if now >= nextHeartbeat {
                nextHeartbeat = now + ClassLimits.heartbeat
                for index in connections.indices
                where connections[index].joined && connections[index].outbox.isEmpty
                    && connections[index].closeBy == nil && connections[index].stateSequence >= stateFrame.sequence
                {
                    connections[index].outbox.append(heartbeatFrame)
                }
            }
            for index in connections.indices { flush(&connections[index]) }
            changed = removeDone() || changed
            if changed { wake() }
        }
        finish()
    }

    /// Milliseconds until the earliest hello deadline, the end of an accept pause or, with a follower joined, the
    /// next heartbeat; -1 (forever) when there is none.
    func timeout() -> Int32 {
        let pause = ContinuousClock.now < acceptPausedUntil ? [acceptPausedUntil] : []
        let beat = connections.contains(where: \.joined) ? [nextHeartbeat] : []
        let drops = connections.compactMap(\.closeBy)
        guard let earliest = (connections.filter({ !$0.joined }).map(\.helloDeadline) + pause + beat + drops).min()
        else {
            return -1
        }
        let left = ContinuousClock.now.duration(to: earliest)
        return left <= .zero ? 0 : Int32(min(left / .milliseconds(1), 60_000).rounded(.up))
    }

    /// Accepts the waiting connections (at most 64 a round, so a storm of connections cannot starve the class) and
    /// reads at once what each sent (a follower's hello is usually there already). Connections that have not said
    /// hello are capped, and a new one is never the one refused (docs/reliability.md, "Threat model"): when its
    /// peer (uid, or TCP address) already has `ClassLimits.pendingPerPeer` waiting, that peer's oldest is dropped;
    /// when `ClassLimits.pendingConnections` are waiting in all, the oldest of the peer with the most is. From half
    /// that many on, a new connection has `ClassLimits.helloTimeoutUnderPressure` to say hello. True when the
    /// status changed.
    func accept(_ listener: Int32, isTCP: Bool) -> Bool {
        var changed = false
        for _ in 0..<64 {
            let fd = Glibc.accept(listener, nil, nil)
            guard fd >= 0 else {
                // Out of descriptors (EMFILE, ENFILE…): the listener stays readable, so stop polling it for a
                // moment instead of spinning.
                if ![EAGAIN, EWOULDBLOCK, EINTR, ECONNABORTED].contains(errno) {
                    acceptPausedUntil = .now + .milliseconds(200)
                }
                return changed
            }
            Posix.prepare(fd)
            let uid = isTCP ? nil : setup.options.credentials.peer(fd)
            let peer = isTCP ? "address \(Posix.peerHost(fd) ?? "unknown")" : "uid \(uid.map(String.init) ?? "unknown")"
            let waiting = connections.indices.filter { !connections[$0].joined && !connections[$0].done }
            let mine = waiting.filter { connections[$0].peer == peer }
            if mine.count >= ClassLimits.pendingPerPeer {
                changed = evictOldest(of: mine) || changed
            } else if waiting.count >= ClassLimits.pendingConnections {
                let counts = Dictionary(grouping: waiting, by: { connections[$0].peer })
                if let most = counts.values.max(by: { $0.count < $1.count }) {
                    changed = evictOldest(of: most) || changed
                }
            }
            let now = ContinuousClock.now
            let pressed = waiting.count >= ClassLimits.pendingConnections / 2
            let timeout =
                pressed
                ? min(setup.options.helloTimeout, ClassLimits.helloTimeoutUnderPressure) : setup.options.helloTimeout
            connections.append(
                Connection(
                    fd: fd, id: nextID, isTCP: isTCP, peerUID: uid, peer: peer,
                    helloTimeout: timeout, helloDeadline: now + timeout, windowStart: now))
            nextID += 1
            changed = receive(&connections[connections.count - 1]) || changed
        }
        return changed
    }

    /// Drops the connection among `indices` (all waiting for a hello) that has waited longest, a silent one first.
    /// What the silent ones sent since they were accepted is read first: a hello that arrived meanwhile joins (or
    /// ends) its connection, which frees a place, so nobody is dropped. True when the status changed.
    func evictOldest(of indices: [Int]) -> Bool {
        var changed = false
        for index in indices where !connections[index].spoke { changed = receive(&connections[index]) || changed }
        let still = indices.filter { !connections[$0].joined && !connections[$0].done }
        guard still.count == indices.count else { return changed }
        let silent = still.filter { !connections[$0].spoke }
        guard let oldest = (silent.isEmpty ? still : silent).min(by: { connections[$0].id < connections[$1].id })
        else { return changed }
        refuse(&connections[oldest], .dropped(Wire.evicted))
        return changed
    }

    /// Reads what a connection sent and handles each whole message; true when the status changed.
    func receive(_ connection: inout Connection) -> Bool {
        guard let received = Posix.receive(connection.fd, limit: 4096) else {
            connection.done = true
            return false
        }
        if received.wouldBlock { return false }
        if received.bytes.isEmpty {
            connection.done = true
            return false
        }
        connection.spoke = true
        connection.reader.append(received.bytes)
        var changed = false
        while !connection.done {
            let message: FollowerMessage
            do {
                guard let frame = try connection.reader.next() else { break }
                message = try FollowerMessage(kind: frame.kind, payload: frame.payload)
            } catch .incompatibleVersion {
                refuse(&connection, .refused(.version, value: 0))
                break
            } catch {
                if case .protocolViolation(let reason) = error { refuse(&connection, .dropped(reason)) }
                break
            }
            let now = ContinuousClock.now
            if now - connection.windowStart >= .seconds(1) {
                connection.windowStart = now
                connection.windowCount = 0
            }
            connection.windowCount += 1
            guard connection.windowCount <= ClassLimits.messagesPerSecond else {
                refuse(&connection, .dropped("more than \(ClassLimits.messagesPerSecond) messages a second"))
                break
            }
            changed = handle(message, from: &connection) || changed
        }
        return changed
    }

    /// Handles one valid message; true when the status changed.
    func handle(_ message: FollowerMessage, from connection: inout Connection) -> Bool {
        switch message {
        case .hello(let proof, let claimed):
            guard !connection.joined else {
                refuse(&connection, .dropped("a second hello"))
                return false
            }
            // Guessing the code online: at most `ClassLimits.wrongCodesPerSecond` wrong codes a second per peer;
            // beyond them no code of that peer is even compared until the second is over.
            let now = ContinuousClock.now
            var window: (start: ContinuousClock.Instant, count: Int) =
                guesses[connection.peer].flatMap { now - $0.start < .seconds(1) ? $0 : nil } ?? (now, 0)
            guard window.count < ClassLimits.wrongCodesPerSecond else {
                refuse(&connection, .dropped("too many wrong codes: wait a second"))
                return false
            }
            // The proof must be the code's, and new: a recorded hello replayed is refused like a wrong code.
            guard setup.code.accepts(proof), ledger.admit(proof) else {
                window.count += 1
                guesses[connection.peer] = window
                if guesses.count > 4096 { guesses = guesses.filter { now - $0.value.start < .seconds(1) } }
                refuse(&connection, .refused(.wrongCode, value: 0))
                return false
            }
            let (limit, perAddress) = (setup.options.limit, setup.options.perAddress)
            let id = connection.id
            let shown = userName(connection, claimed: claimed)
            let name = setup.options.names ? shown : ""
            // A student counts once: over Unix the seat is the uid's (a rejoin takes it back, with its answers);
            // over TCP each connection is a seat, at most `perAddress` of them per address.
            let (isTCP, peer) = (connection.isTCP, connection.peer)
            let seat = isTCP ? "\(peer) #\(id)" : peer
            let refusal = shared.withLock { room -> RoomMessage? in
                let seats = Set(room.seats.values)
                if !seats.contains(seat) {
                    if isTCP, seats.count(where: { $0.hasPrefix(peer + " #") }) >= perAddress {
                        return .refused(.addressFull, value: perAddress)
                    }
                    guard seats.count < limit else { return .refused(.roomFull, value: limit) }
                }
                room.joined[id] = name
                room.seats[id] = seat
                room.seatList[id] = SeatInfo(id: id, address: peer, name: shown, joined: Date())
                if room.seatNames[seat] == nil { room.seatNames[seat] = name }
                return nil
            }
            if let refusal {
                refuse(&connection, refusal)
                return false
            }
            connection.joined = true
            connection.outbox.append(setup.welcome)
            return true
        case .answer(let question, let choice):
            guard connection.joined else {
                refuse(&connection, .dropped("an answer before hello"))
                return false
            }
            let (id, peer, isTCP, perAddress) = (connection.id, connection.peer, connection.isTCP, setup.options.perAddress)
            return shared.withLock { room -> Bool in
                // One answer per seat; over TCP at most `perAddress` per address and question, however often an
                // address joins, answers and leaves.
                guard room.isOpen, room.question == question, choice < room.choices[question] ?? 0,
                    let seat = room.seats[id], room.answers[question]?[seat] == nil,
                    !isTCP
                        || (room.answers[question]?.keys.count(where: { $0.hasPrefix(peer + " #") }) ?? 0) < perAddress
                else { return false }
                room.answers[question, default: [:]][seat] = choice
                return true
            }
        case .bye:
            connection.done = true
            return false
        }
    }

    /// The name shown for a follower: its Unix user name from the peer's credentials, or over TCP the name it
    /// claims, sanitised and marked as claimed.
    func userName(_ connection: Connection, claimed: String) -> String {
        if let uid = connection.peerUID { return Posix.userName(uid) ?? "uid \(uid)" }
        return Wire.claimed(claimed)
    }

    /// Drops a joined follower for the presenter: what it was sending is cut short after the frame under way, the
    /// notice is queued after it, and the connection closes (after at most the usual flush) at the end of the round.
    func dropByPresenter(_ connection: inout Connection) {
        guard connection.joined, !connection.done, connection.closeBy == nil else { return }
        connection.outbox = Array(connection.outbox.prefix(connection.sent > 0 ? 1 : 0))
        connection.outbox.append(RoomMessage.dropped(ClassRoom.droppedByPresenter).frame)
        connection.closeBy = .now + .seconds(1)
        flush(&connection)
    }

    /// Sends `message` if the socket takes it now (never waits), then marks the connection for closing.
    func refuse(_ connection: inout Connection, _ message: RoomMessage) {
        if connection.sent == 0 { _ = Posix.send(connection.fd, message.frame[...]) }
        connection.done = true
    }

    /// Queues the newest state for a joined follower that has nothing left to send, then sends what the socket takes.
    func flush(_ connection: inout Connection) {
        guard !connection.done else { return }
        if let closeBy = connection.closeBy {
            // Dropped by the presenter: only the notice goes out, then the connection closes.
            if connection.outbox.isEmpty || ContinuousClock.now >= closeBy {
                connection.done = true
                return
            }
        } else if connection.joined && connection.outbox.isEmpty
            && connection.stateSequence < stateFrame.sequence
        {
            connection.outbox.append(stateFrame.frame)
            connection.stateSequence = stateFrame.sequence
        }
        while let frame = connection.outbox.first {
            guard let count = Posix.send(connection.fd, frame[connection.sent...]) else {
                connection.done = true
                return
            }
            connection.sent += count
            guard connection.sent == frame.count else { return }
            connection.outbox.removeFirst()
            connection.sent = 0
            if connection.outbox.isEmpty && connection.closeBy != nil {
                connection.done = true
                return
            }
            if connection.outbox.isEmpty && connection.joined && connection.stateSequence < stateFrame.sequence {
                connection.outbox.append(stateFrame.frame)
                connection.stateSequence = stateFrame.sequence
            }
        }
    }

    /// Closes the connections marked done; true when a joined follower left.
    func removeDone() -> Bool {
        let leaving = connections.filter(\.done)
        guard !leaving.isEmpty else { return false }
        for connection in leaving { Glibc.close(connection.fd) }
        connections.removeAll(where: \.done)
        let ids = leaving.filter(\.joined).map(\.id)
        guard !ids.isEmpty else { return false }
        shared.withLock { room in
            for id in ids {
                room.joined[id] = nil
                room.seats[id] = nil
                room.seatList[id] = nil
            }
        }
        return true
    }

    /// The end: each joined follower gets the rest of the frame it was sending and a goodbye (for at most half a
    /// second in all), then every socket is closed and the room's socket and folder removed.
    func finish() {
        for listener in setup.listeners { Glibc.close(listener.0) }
        RoomFolder.remove(socket: setup.socketPath)
        let goodbye = RoomMessage.goodbye.frame
        for index in connections.indices where connections[index].joined {
            connections[index].outbox = Array(connections[index].outbox.prefix(connections[index].sent > 0 ? 1 : 0))
            connections[index].outbox.append(goodbye)
            connections[index].joined = false
        }
        let deadline = ContinuousClock.now + .milliseconds(500)
        while ContinuousClock.now < deadline {
            for index in connections.indices { flush(&connections[index]) }
            let waiting = connections.filter { !$0.done && !$0.outbox.isEmpty }
            guard !waiting.isEmpty else { break }
            var entries = waiting.map { pollfd(fd: $0.fd, events: Int16(POLLOUT), revents: 0) }
            _ = poll(&entries, nfds_t(entries.count), 50)
        }
        for connection in connections { Glibc.close(connection.fd) }
        connections.removeAll()
        Glibc.close(setup.wakeRead)
        shared.withLock { room in
            room.joined.removeAll()
            room.seats.removeAll()
            room.seatList.removeAll()
            room.finished = true
        }
        wake()
    }
}
