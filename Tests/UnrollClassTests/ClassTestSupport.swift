import Foundation
import Testing
import UnrollSupport

@testable import UnrollClass

#if canImport(Glibc)
    import Glibc
#endif

/// A private folder for one test's rooms (mkdtemp, 0700, owned by the test's user), removed at the end.
///
/// It is made under /tmp, never under $TMPDIR: a room's socket path (FOLDER/16 hex/room.sock) must fit a Unix
/// socket address (107 bytes), and $TMPDIR may be of any length. "/tmp/unroll-class-test-XXXXXX" is 29 bytes.
final class TempFolder {
    /// Where every test's folder is made: fixed, short, present on every Linux machine.
    static let root = "/tmp"

    let path: String

    init() throws {
        var template = Array((Self.root + "/unroll-class-test-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) != nil }
        try #require(made, "mkdtemp under \(Self.root): \(String(cString: strerror(errno)))")
        path = Posix.text(template)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Counts `wake` calls and lets a test wait, with a deadline, until a condition holds after one of them.
final class Wakes: Sendable {
    private let count = Monitor(0)

    /// The closure to hand to a room or follower.
    var wake: @Sendable () -> Void { { [count] in count.withLock { $0 += 1 } } }

    /// Waits until `condition` holds (checked now and after every wake), at most `seconds`; whether it held.
    func wait(seconds: Double = 5, until condition: () -> Bool) -> Bool {
        count.wait(until: { _ in condition() }, deadline: .now + .seconds(seconds)) { _ in true } ?? false
    }
}

/// A raw client socket, for hand-made frames.
struct RawPeer {
    let fd: Int32

    /// Connects to a Unix socket.
    init(unix path: String) throws {
        fd = try #require(Posix.connectUnix(path).fd)
    }

    /// Connects to "HOST:PORT".
    init(tcp address: String) throws {
        fd = try Posix.connectTCP(address)
    }

    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads until the room closes the connection (or `seconds` pass): every byte it sent, and whether it closed.
    func readUntilClosed(seconds: Double = 5) -> (bytes: [UInt8], closed: Bool) {
        var bytes: [UInt8] = []
        let deadline = ContinuousClock.now + .seconds(seconds)
        while Posix.waitReadable(fd, until: deadline) {
            guard let received = Posix.receive(fd) else { return (bytes, true) }
            if received.wouldBlock { continue }
            if received.bytes.isEmpty { return (bytes, true) }
            bytes += received.bytes
        }
        return (bytes, false)
    }

    /// The room's messages in `bytes`, decoded.
    static func messages(_ bytes: [UInt8]) throws -> [RoomMessage] {
        var reader = FrameReader(readByRoom: false)
        reader.append(bytes)
        var messages: [RoomMessage] = []
        while let frame = try reader.next() {
            messages.append(try RoomMessage(kind: frame.kind, payload: frame.payload))
        }
        return messages
    }

    func close() { Glibc.close(fd) }
}

extension RawPeer {
    /// A hello frame proving `code` (a fresh nonce and its MAC), claiming `name`.
    func hello(_ code: String, name: String = "someone") throws -> [UInt8] {
        FollowerMessage.hello(proof: try #require(JoinCode(code)).helloProof(), name: name).frame
    }
}

/// The name of the user running the tests, from the account database (getpwuid, not the code under test, nor
/// $USER); "uid N" for a uid without an account, as docs/reliability.md says a room shows it.
var testUserName: String { accountName(getuid()) }

/// The account database's name of `uid` (getent passwd UID), or "uid N" when it has none.
func accountName(_ uid: uid_t) -> String {
    getpwuid(uid).map { String(cString: $0.pointee.pw_name) } ?? "uid \(uid)"
}

/// A uid other than the one running the tests, that no test process runs as (65534, "nobody", unless the tests run
/// as 65534 themselves).
let otherUID: uid_t = getuid() == 65534 ? 65533 : 65534

extension Credentials {
    /// The kernel's view, except that every entry at `folder` or under it belongs to `uid` (as `chown -R` would
    /// make it, which only root can).
    static func view(under folder: String, belongingTo uid: uid_t) -> Credentials {
        var view = Credentials.real
        view.owner = { path, info in path == folder || path.hasPrefix(folder + "/") ? uid : info.st_uid }
        return view
    }

    /// The kernel's view, except that the entries at exactly `paths` belong to `uid`.
    static func view(paths: Set<String>, belongingTo uid: uid_t) -> Credentials {
        var view = Credentials.real
        view.owner = { path, info in paths.contains(path) ? uid : info.st_uid }
        return view
    }

    /// The kernel's view, except that the process behind each Unix socket is another user (a uid from its
    /// descriptor): followers joined from this one test user count as different students.
    static var everyConnectionAnotherUser: Credentials {
        var view = Credentials.real
        view.peer = { fd in uid_t(2_000_000) + uid_t(fd) }
        return view
    }

    /// The kernel's view, except that the process behind every Unix socket is `uid`'s.
    static func view(peersAre uid: uid_t) -> Credentials {
        var view = Credentials.real
        view.peer = { _ in uid }
        return view
    }
}

extension RawPeer {
    /// Reads the room's messages until `done` holds for them, the room closes, or `seconds` pass.
    func messages(
        seconds: Double = 5, until done: ([RoomMessage]) -> Bool
    ) throws -> (messages: [RoomMessage], closed: Bool) {
        var reader = FrameReader(readByRoom: false)
        var messages: [RoomMessage] = []
        let deadline = ContinuousClock.now + .seconds(seconds)
        while !done(messages), Posix.waitReadable(fd, until: deadline) {
            guard let received = Posix.receive(fd) else { return (messages, true) }
            if received.wouldBlock { continue }
            if received.bytes.isEmpty { return (messages, true) }
            reader.append(received.bytes)
            while let frame = try reader.next() {
                messages.append(try RoomMessage(kind: frame.kind, payload: frame.payload))
            }
        }
        return (messages, false)
    }
}

/// A hand-made room at the real room's place for `code`: it accepts one follower, reads its hello, sends `reply`,
/// then closes the connection (without a goodbye) when `hangUp`.
func fakeRoom(_ folder: String, _ code: JoinCode, reply: [UInt8], hangUp: Bool) throws {
    let listener = try RoomFolder.open(RoomOptions(directory: folder), code)
    Monitor<Int>.startThread(name: "fake-room") {
        defer { Glibc.close(listener.fd) }
        guard Posix.waitReadable(listener.fd, until: .now + .seconds(10)) else { return }
        let fd = Glibc.accept(listener.fd, nil, nil)
        guard fd >= 0 else { return }
        _ = Posix.waitReadable(fd, until: .now + .seconds(10))
        _ = Posix.receive(fd)
        _ = reply.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if hangUp {
            Glibc.close(fd)
        } else {
            _ = Posix.waitReadable(fd, until: .now + .seconds(10))
            Glibc.close(fd)
        }
    }
}
