import Foundation
import UnrollSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A student's side: connects, receives the lesson, then the newest state; sends answers.
///
/// One thread per follower blocks in poll() on the connection and a wake pipe (an idle follower costs no CPU).
public final class ClassFollower: Sendable {
    /// The lesson bytes the presenter sent on joining.
    public let lesson: Data
    /// The presenter's name: over a Unix socket the account of the socket's owner, checked with SO_PEERCRED; over
    /// TCP what the room says, sanitised, cut and marked "(claimed)" (at most `ClassLimits.nameCharacters` in all).
    public let presenter: String
    private let shared: Monitor<FollowerShared>
    private let wakeWrite: Int32

    /// How long joining waits for the room's whole answer (the welcome, with up to 8 MiB of lesson).
    static let answerTimeout = Duration.seconds(30)

    private init(lesson: Data, presenter: String, wakeWrite: Int32, shared: Monitor<FollowerShared>) {
        self.lesson = lesson
        self.presenter = presenter
        self.wakeWrite = wakeWrite
        self.shared = shared
    }

    /// Connects to the room of `code` as `options` say, says hello and reads the welcome within `timeout`: the
    /// connected descriptor, the reader holding what came after the welcome, the presenter's name (the socket
    /// owner's account over Unix, claimed over TCP) and the lesson. A room under a flood of silent connections may
    /// drop this one before its hello is read (`Wire.evicted`): then it connects again, after 10, 20, 40… ms, until
    /// `timeout`. When the drop comes before its notice can be read (the hello's send fails, or the connection closes
    /// without a word), it connects again too, at most `unexplainedRetries` times, so that a room that closes every
    /// connection is reported within a second.
    private static func connect(
        code: JoinCode, options: JoinOptions, timeout: Duration
    ) throws(ClassError) -> (fd: Int32, reader: FrameReader, presenter: String, lesson: Data) {
        let deadline = ContinuousClock.now + timeout
        var pause = Duration.milliseconds(10)
        var unexplained = 0
        while true {
            do throws(ClassError) {
                return try connectOnce(code: code, options: options, until: deadline, timeout: timeout)
            } catch .connectionFailed(let reason) where ContinuousClock.now + pause < deadline {
                if reason != droppedBecause(Wire.evicted) {
                    guard reason == helloNotTaken || reason == closedWithoutWord, unexplained < unexplainedRetries
                    else { throw .connectionFailed(reason) }
                    unexplained += 1
                }
                Thread.sleep(forTimeInterval: Double(pause / .microseconds(1)) / 1e6)
                pause = min(pause * 2, .milliseconds(320))
            }
        }
    }

    /// How often `connect` tries again after a connection ended before the welcome without a reason.
    static let unexplainedRetries = 5
    /// Why `connectOnce` failed when the room's end closed before it took the hello.
    static let helloNotTaken = "the room did not take the hello"
    /// Why `connectOnce` failed when the connection ended before any message of the room.
    static let closedWithoutWord = "the room closed the connection"

    /// What `connectionFailed` says when the room dropped the connection for `reason`.
    private static func droppedBecause(_ reason: String) -> String { "the room dropped the connection: \(reason)" }

    /// One attempt of `connect`. The hello is made before connecting, so it follows the connection at once.
    private static func connectOnce(
        code: JoinCode, options: JoinOptions, until deadline: ContinuousClock.Instant, timeout: Duration
    ) throws(ClassError) -> (fd: Int32, reader: FrameReader, presenter: String, lesson: Data) {
        // The hello proves the code (a fresh nonce and its MAC); the code itself is never sent.
        let hello = FollowerMessage.hello(proof: code.helloProof(), name: Posix.userName(getuid()) ?? "")
        let fd: Int32
        var owner: String?
        if let address = options.connect {
            fd = try Posix.connectTCP(address)
        } else {
            let connected = try RoomFolder.connect(options.directory, code, options.credentials)
            fd = connected.fd
            owner = Posix.userName(connected.owner) ?? "uid \(connected.owner)"
        }
        do throws(ClassError) {
            var reader = FrameReader(readByRoom: false)
            guard Posix.send(fd, hello.frame[...]) == hello.frame.count else {
                throw ClassError.connectionFailed(helloNotTaken)
            }
            let (presenter, lesson) = try readWelcome(fd, &reader, until: deadline, timeout: timeout)
            return (fd, reader, owner ?? Wire.claimed(presenter), lesson)
        } catch {
            Glibc.close(fd)
            throw error
        }
    }

    /// Connects and reads the room's welcome (with the lesson) before returning. `wake` is called (from the follower's
    /// thread) when a new state arrives, the room falls silent or is heard again, or the connection ends.
    /// - Throws: `ClassError.noSuchRoom` (wrong or expired code), `.wrongCode` (TCP), `.roomFull`,
    ///   `.incompatibleVersion`, `.unsafeRoom` (the room's folder or socket is not safely the presenter's),
    ///   `.connectionFailed`, `.protocolViolation`.
    public static func join(
        code: JoinCode, options: JoinOptions = JoinOptions(),
        wake: @escaping @Sendable () -> Void
    ) throws(ClassError) -> ClassFollower {
        let joined = try connect(code: code, options: options, timeout: answerTimeout)
        let pipe: (read: Int32, write: Int32)
        do { pipe = try Posix.wakePipe() } catch {
            Glibc.close(joined.fd)
            throw error
        }
        let shared = Monitor(FollowerShared(fd: joined.fd))
        let follower = ClassFollower(
            lesson: joined.lesson, presenter: joined.presenter, wakeWrite: pipe.write, shared: shared)
        let start = joined.reader
        // Joining again after a silence: the same code, the same way, a shorter wait for the welcome.
        let rejoin: @Sendable () throws(ClassError) -> (fd: Int32, reader: FrameReader) = {
            let again = try connect(code: code, options: options, timeout: ClassLimits.presenterSilence)
            return (again.fd, again.reader)
        }
        Monitor<FollowerShared>.startThread(name: "unroll-class-follower", stackSize: 1 << 20) {
            var loop = FollowerLoop(
                wakeRead: pipe.read, wakeWrite: pipe.write, reader: start, shared: shared, rejoin: rejoin,
                wake: wake)
            loop.run()
        }
        return follower
    }

    /// Reads until the welcome: its presenter name and lesson; a refusal becomes its error.
    private static func readWelcome(
        _ fd: Int32, _ reader: inout FrameReader, until deadline: ContinuousClock.Instant, timeout: Duration
    ) throws(ClassError) -> (String, Data) {
        while true {
            if let frame = try reader.next() {
                switch try RoomMessage(kind: frame.kind, payload: frame.payload) {
                case .welcome(let presenter, let lesson): return (presenter, lesson)
                case .refused(.wrongCode, _): throw .wrongCode
                case .refused(.roomFull, let limit): throw .roomFull(limit: limit)
                case .refused(.addressFull, let limit): throw .addressFull(limit: limit)
                case .refused(.version, _): throw .incompatibleVersion(ours: Wire.version, theirs: Wire.version)
                case .dropped(let reason):
                    throw .connectionFailed(droppedBecause(Wire.printable(reason, limit: 200)))
                case .goodbye: throw .connectionFailed("the presenter ended the class")
                case .state: throw .protocolViolation("a state before the welcome")
                case .heartbeat: continue
                }
            }
            guard Posix.waitReadable(fd, until: deadline) else {
                throw .connectionFailed("the room did not answer within \(timeout)")
            }
            guard let received = Posix.receive(fd) else { throw .connectionFailed(closedWithoutWord) }
            if received.wouldBlock { continue }
            guard !received.bytes.isEmpty else { throw .connectionFailed(closedWithoutWord) }
            reader.append(received.bytes)
        }
    }

    /// The newest state received and its sequence number (increasing); nil before the first.
    public var latest: (sequence: UInt64, state: Data)? { shared.withLock { $0.latest } }

    /// Sends this follower's answer to question `id` (0-based choice); the room keeps the first answer per question.
    /// Never blocks; an answer the socket cannot take now, after the connection ended, or that the protocol cannot
    /// carry (a question id outside 0...2³¹−1, a choice outside 0...3) is not sent.
    public func answer(question: Int, choice: Int) {
        guard (0...Int(Int32.max)).contains(question), (0..<4).contains(choice) else { return }
        send(FollowerMessage.answer(question: question, choice: choice).frame)
    }

    /// Sends a frame while the connection is open (under the lock, so the thread cannot close it meanwhile).
    private func send(_ frame: [UInt8]) {
        shared.withLock { state in
            guard !state.closed else { return }
            _ = Posix.send(state.fd, frame[...])
        }
    }

    /// How long the room has been silent (nothing, not even a heartbeat) once that is `ClassLimits.presenterSilence`
    /// or more: the follower is joining again meanwhile. Nil while the room is heard.
    public var silence: Duration? {
        shared.withLock { $0.silentSince }.map { $0.duration(to: .now) }
    }

    /// How many times the follower joined again after a silence.
    public var rejoins: Int { shared.withLock { $0.rejoins } }

    /// Why the connection ended; nil while connected (and after `leave`, which is not an end the room caused).
    public var ended: ClassEnd? { shared.withLock { $0.ended } }

    /// Closes the connection (saying bye to the room). Idempotent; also deinit. Safe from any thread, `wake` included.
    public func leave() {
        shared.withLock { state in
            guard !state.closed, !state.leaving else { return }
            state.leaving = true
            _ = Posix.send(state.fd, FollowerMessage.bye.frame[...])
            Posix.poke(wakeWrite)
        }
    }

    deinit { leave() }
}

/// The follower's state shared between the student's thread and the follower's thread.
struct FollowerShared {
    /// The connection to the room (replaced when the follower joins again after a silence).
    var fd: Int32
    var latest: (sequence: UInt64, state: Data)?
    /// When the room was last heard, once it has been silent for `ClassLimits.presenterSilence`; nil while heard.
    var silentSince: ContinuousClock.Instant?
    /// How many times the follower joined again.
    var rejoins = 0
    var ended: ClassEnd?
    /// Set by leave(): the thread ends.
    var leaving = false
    /// Set by the thread when it has closed the socket and the pipe: nobody may use them any more.
    var closed = false
}

/// The follower's thread: reads frames until the room ends, the connection breaks or the student leaves. A room
/// silent for `ClassLimits.presenterSilence` (it sends a heartbeat every `ClassLimits.heartbeat`) is said to be
/// (`silentSince`) and joined again every so long; after `ClassLimits.presenterGone` the connection is lost.
private struct FollowerLoop {
    let wakeRead: Int32
    let wakeWrite: Int32
    var reader: FrameReader
    let shared: Monitor<FollowerShared>
    let rejoin: @Sendable () throws(ClassError) -> (fd: Int32, reader: FrameReader)
    let wake: @Sendable () -> Void
    /// When the room was last heard.
    var heard = ContinuousClock.now
    /// When the follower next joins again while the room is silent.
    var nextTry: ContinuousClock.Instant?
    /// Set on joining again: the room's first state may be the one already shown (same sequence), once.
    var rejoined = false

    mutating func run() {
        var end: ClassEnd?
        var fd = shared.withLock { $0.fd }
        // Frames that arrived with the welcome come first.
        end = drainFrames()
        while end == nil {
            var entries = [
                pollfd(fd: fd, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)
            ]
            let due = nextTry ?? heard + ClassLimits.presenterSilence
            let left = ContinuousClock.now.duration(to: due)
            let ready = poll(&entries, 2, left <= .zero ? 0 : Int32(min(left / .milliseconds(1), 60_000).rounded(.up)))
            if ready < 0 && errno != EINTR {
                end = .connectionLost("poll: \(Posix.lastError)")
                break
            }
            if shared.withLock({ $0.leaving }) { break }
            guard entries[0].revents != 0 else {
                if ContinuousClock.now >= due { end = silent(&fd) }
                continue
            }
            guard let received = Posix.receive(fd) else {
                end = .connectionLost("the connection to the presenter broke (\(Posix.lastError))")
                break
            }
            if received.wouldBlock { continue }
            if received.bytes.isEmpty {
                end = .connectionLost(
                    reader.isMidMessage
                        ? "the presenter's session stopped in the middle of a message"
                        : "the presenter's session closed without ending the class (did it crash?)")
                break
            }
            heard = .now
            if nextTry != nil {
                nextTry = nil
                shared.withLock { $0.silentSince = nil }
                wake()
            }
            reader.append(received.bytes)
            end = drainFrames()
        }
        let ending = end
        shared.withLock { state in
            if !state.leaving { state.ended = ending }
            state.closed = true
            Glibc.close(state.fd)
            Glibc.close(wakeRead)
            Glibc.close(wakeWrite)
        }
        if ending != nil { wake() }
    }

    /// The room has been silent until now: says so, joins again (the new connection replaces `fd`), or gives up
    /// after `ClassLimits.presenterGone`.
    mutating func silent(_ fd: inout Int32) -> ClassEnd? {
        let silence = heard.duration(to: .now)
        guard silence < ClassLimits.presenterGone else {
            let seconds = Int(silence / .seconds(1))
            return .connectionLost("the presenter has been silent for \(seconds) s; joining again did not help")
        }
        let since = heard
        shared.withLock { $0.silentSince = since }
        wake()
        nextTry = .now + ClassLimits.presenterSilence
        guard let again = try? rejoin() else { return nil }
        let old = fd
        fd = again.fd
        shared.withLock { state in
            state.fd = again.fd
            state.rejoins += 1
            state.silentSince = nil
        }
        Glibc.close(old)
        reader = again.reader
        heard = .now
        nextTry = nil
        rejoined = true
        wake()
        return drainFrames()
    }

    /// Handles every whole frame read so far; the end they bring, if any.
    mutating func drainFrames() -> ClassEnd? {
        var fresh = false
        defer { if fresh { wake() } }
        while true {
            let message: RoomMessage
            do {
                guard let frame = try reader.next() else { return nil }
                message = try RoomMessage(kind: frame.kind, payload: frame.payload)
            } catch {
                return .connectionLost(error.description)
            }
            switch message {
            case .state(let sequence, let state):
                let again = rejoined
                rejoined = false
                let newer = shared.withLock { follower -> Bool in
                    let seen = follower.latest?.sequence ?? 0
                    // After joining again the room starts with its newest state: the one shown, or a newer one.
                    if again && sequence == seen { return true }
                    guard sequence > seen else { return false }
                    follower.latest = (sequence, state)
                    return true
                }
                guard newer else { return .connectionLost("the presenter sent an old state") }
                fresh = true
            case .goodbye:
                return .presenterEnded
            case .heartbeat:
                continue
            case .dropped(let reason):
                return .dropped(Wire.printable(reason, limit: 200))
            case .welcome, .refused:
                return .connectionLost("the presenter sent a second welcome")
            }
        }
    }
}
