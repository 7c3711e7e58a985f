import Foundation
import Testing

@testable import UnrollClass

/// Tests/Corpus/class, the fuzzer's seeds (Fuzz/FuzzClassProtocol): the first byte chooses the reader (even: the
/// room's, odd: the follower's) and the size of each read ((byte >> 2) + 1 bytes), the rest is what a peer sends.
/// Each file's outcome, as the room or the follower would see it, read in the same pieces as the fuzzer reads it.
/// Every expectation was written from the file's bytes (`xxd FILE`), frame by frame: magic "UNRC", version (2
/// bytes), kind, 0, length (4 bytes), payload.
@Suite("Class protocol corpus")
struct ClassCorpusTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Corpus/class")

    /// What a seed must read as.
    enum Outcome: Sendable, CustomStringConvertible {
        /// Read by the room: these follower messages, then this error (nil: none; half a frame left is not one).
        case room([FollowerMessage], ClassError?)
        /// Read by a follower: these room messages, then this error.
        case follower([RoomMessage], ClassError?)

        var description: String {
            switch self {
            case .room(let messages, let error):
                "room reads \(messages.count) messages, error \(String(describing: error))"
            case .follower(let messages, let error):
                "follower reads \(messages.count) messages, error \(String(describing: error))"
            }
        }
    }

    /// A seed read as the fuzzer reads it: which reader its first byte chose, the messages read, the error that
    /// stopped it (nil: none).
    static func read(_ name: String) throws -> Outcome {
        let bytes = try [UInt8](Data(contentsOf: folder.appendingPathComponent(name)))
        let first = try #require(bytes.first, "\(name) is empty")
        let byRoom = first & 1 == 0
        let chunk = Int(first >> 2) + 1
        var reader = FrameReader(readByRoom: byRoom)
        var room: [FollowerMessage] = []
        var follower: [RoomMessage] = []
        var stop: ClassError?
        var offset = 1
        reading: while offset < bytes.count {
            let end = min(bytes.count, offset + chunk)
            reader.append(bytes[offset..<end])
            offset = end
            do {
                while let frame = try reader.next() {
                    if byRoom {
                        room.append(try FollowerMessage(kind: frame.kind, payload: frame.payload))
                    } else {
                        follower.append(try RoomMessage(kind: frame.kind, payload: frame.payload))
                    }
                }
            } catch {
                stop = error
                break reading
            }
        }
        return byRoom ? .room(room, stop) : .follower(follower, stop)
    }

    /// The proof in every room seed's hello: a nonce of 16 zero bytes, then its MAC, HMAC-SHA256 of
    /// "unroll-class-v3" + the nonce keyed with "unroll-class-v3:K7QD7Q4KM2XD", as Python's hmac module computes it
    /// (3c340fc7…4b156522).
    static let proof: [UInt8] = [UInt8](repeating: 0, count: 16) + [
        0x3c, 0x34, 0x0f, 0xc7, 0x7b, 0x7f, 0xc4, 0xde, 0x6c, 0x1f, 0x95, 0xcf, 0x5a, 0xd8, 0x28, 0xdb,
        0xcf, 0x29, 0x16, 0xdd, 0xa6, 0x80, 0xed, 0xc5, 0x89, 0x93, 0xa9, 0x23, 0x4b, 0x15, 0x65, 0x22
    ]
    static let hello = FollowerMessage.hello(proof: proof, name: "alice")
    /// payload 00 00 00 00 00 00 00 03 01: question 3 (8 bytes), choice 1.
    static let answer = FollowerMessage.answer(question: 3, choice: 1)

    /// Every file in Tests/Corpus/class and what it must read as.
    static let expected: [String: Outcome] = [
        // Every header is version 00 03 (protocol 3).
        // 00; hello (kind 1, 55 bytes: 30, the 48-byte proof, 05 "alice"), answer (kind 2, 9 bytes), bye (kind 3,
        // 0 bytes).
        "room-hello-answer-bye.bin": .room([hello, answer, .bye], nil),
        // 3c: even, (0x3c >> 2) + 1 = 16-byte reads; the same hello and answer cut across reads, no bye.
        "room-hello-chunks-of-16.bin": .room([hello, answer], nil),
        // 00; hello, then 30 answers of 21 bytes each (1 + 67 + 30 * 21 = 698 bytes, the file's size).
        "room-flood.bin": .room([hello] + Array(repeating: answer, count: 30), nil),
        // 00; "GET / HTTP/1.1": no magic.
        "room-garbage.bin": .room([], .protocolViolation("not a class message")),
        // 00; a hello header with length 7f ff ff ff and no payload: refused from the header alone.
        "room-oversize.bin": .room([], .protocolViolation("a hello message of 2147483647 bytes (at most 256)")),
        // 00; a header of version 00 04 (this build speaks 00 03).
        "room-version-4.bin": .room([], .incompatibleVersion(ours: 3, theirs: 4)),
        // 00; a hello, then 7 bytes of an answer's header: half a frame is waiting, not an error.
        "room-half-answer.bin": .room([hello], nil),
        // 01: odd, 1-byte reads; refused (kind 18, 5 bytes: 02 = room full, 00 00 00 64 = 100).
        "follower-refusals.bin": .follower([.refused(.roomFull, value: 100)], nil),
        // 05: odd, 2-byte reads; goodbye (kind 19, 0 bytes).
        "follower-goodbye.bin": .follower([.goodbye], nil),
        // 01; dropped (kind 20, 15 bytes): "too chatty " ESC "[2J", kept as sent (made printable only when shown).
        "follower-dropped.bin": .follower([.dropped("too chatty \u{1B}[2J")], nil),
        // 01; refused (kind 18, 5 bytes: 04 = address full, 00 00 00 08 = 8), then a refusal of reason 05 (none).
        "follower-refused-address.bin": .follower(
            [.refused(.addressFull, value: 8)], .protocolViolation("malformed refusal")),
        // 01; two heartbeats (kind 21, 0 bytes), then a heartbeat header claiming 1 byte: refused from the header.
        "follower-heartbeat.bin": .follower(
            [.heartbeat, .heartbeat], .protocolViolation("a heartbeat message of 1 bytes (at most 0)")),
        // 01; welcome (kind 16, 18 bytes: 05 "carol" "lesson bytes"), state (kind 17, 13 bytes: sequence
        // 00 00 00 00 00 00 00 01, "state").
        "follower-welcome-state.bin": .follower(
            [
                .welcome(presenter: "carol", lesson: Data("lesson bytes".utf8)),
                .state(sequence: 1, state: Data("state".utf8))
            ], nil)
    ]

    /// The files in Tests/Corpus/class.
    static func files() throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") })
    }

    @Test("each seed reads as the room or the follower would", arguments: expected.keys.sorted())
    func seed(_ name: String) throws {
        let want = try #require(Self.expected[name])
        switch (try Self.read(name), want) {
        case (.room(let messages, let error), .room(let wantMessages, let wantError)):
            #expect(messages == wantMessages, "\(name)")
            #expect(error == wantError, "\(name)")
        case (.follower(let messages, let error), .follower(let wantMessages, let wantError)):
            #expect(messages == wantMessages, "\(name)")
            #expect(error == wantError, "\(name)")
        case (let read, _):
            Issue.record("\(name): read as \(read), expected \(want)")
        }
    }

    @Test func everySeedHasAnExpectationAndEveryExpectationASeed() throws {
        let files = try Self.files()
        // Equal sets and seeds present: the parameterised test above ran once per seed, never zero times.
        try #require(!files.isEmpty, "no seeds in \(Self.folder.path)")
        let unexpected = files.subtracting(Self.expected.keys)
        #expect(unexpected.isEmpty, "seeds without an expectation in ClassCorpusTests.expected: \(unexpected.sorted())")
        let missing = Set(Self.expected.keys).subtracting(files)
        #expect(missing.isEmpty, "expectations for files not in Tests/Corpus/class: \(missing.sorted())")
    }
}
