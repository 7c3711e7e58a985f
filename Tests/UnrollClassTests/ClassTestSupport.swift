import Foundation
import Testing
import UnrollEngine
@testable import UnrollClass
#if canImport(Glibc)
import Glibc
#endif

/// A private folder for one test's rooms (mkdtemp, 0700, owned by the test's user), removed at the end.
final class TempFolder {
    let path: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "unroll-class-test-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) != nil }
        try #require(made)
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
        while let frame = try reader.next() { messages.append(try RoomMessage(kind: frame.kind, payload: frame.payload)) }
        return messages
    }

    func close() { Glibc.close(fd) }
}

/// A hello frame for `code` (its symbols), claiming `name`.
func helloFrame(_ code: String, name: String = "someone") -> [UInt8] {
    FollowerMessage.hello(code: Array(code.utf8), name: name).frame
}

/// The name of the user running the tests, from the environment's account database (not from the code under test).
var testUserName: String { NSUserName() }
