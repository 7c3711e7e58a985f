import Foundation
import Testing
@testable import UnrollClass

/// Tests/Corpus/class, the fuzzer's seeds: the first byte chooses the reader (even: the room's), the rest is what a
/// peer sends. Each file's outcome, as the room or the follower would see it.
@Suite("Class protocol corpus")
struct ClassCorpusTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Corpus/class")

    /// What reading a file gives: the messages read, then the error that stopped it (nil: none).
    static func read(_ name: String) throws -> (messages: [String], error: ClassError?) {
        let bytes = try [UInt8](Data(contentsOf: folder.appendingPathComponent(name)))
        let first = try #require(bytes.first)
        var reader = FrameReader(readByRoom: first & 1 == 0)
        reader.append(bytes.dropFirst())
        var messages: [String] = []
        do {
            while let frame = try reader.next() {
                if first & 1 == 0 {
                    messages.append("\(try FollowerMessage(kind: frame.kind, payload: frame.payload))")
                } else {
                    messages.append("\(try RoomMessage(kind: frame.kind, payload: frame.payload))")
                }
            }
        } catch { return (messages, error) }
        return (messages, nil)
    }

    static let expected: [(String, [String], ClassError?)] = [
        ("room-hello-answer-bye.bin", ["hello(code: [55, 81, 52, 75, 77, 50, 88, 68], name: \"alice\")",
                                       "answer(question: 3, choice: 1)", "bye"], nil),
        ("room-garbage.bin", [], .protocolViolation("not a class message")),
        ("room-oversize.bin", [], .protocolViolation("a hello message of 2147483647 bytes (at most 256)")),
        ("room-version-2.bin", [], .incompatibleVersion(ours: 1, theirs: 2)),
        ("room-half-answer.bin", ["hello(code: [55, 81, 52, 75, 77, 50, 88, 68], name: \"alice\")"], nil),
        ("follower-refusals.bin", ["refused(UnrollClass.Refusal.roomFull, value: 100)"], nil),
        ("follower-goodbye.bin", ["goodbye"], nil),
        ("follower-dropped.bin", ["dropped(\"too chatty \\u{1B}[2J\")"], nil),
    ]

    @Test("each seed reads as the room or the follower would", arguments: expected)
    func seed(_ name: String, _ messages: [String], _ error: ClassError?) throws {
        let read = try Self.read(name)
        #expect(read.messages == messages)
        #expect(read.error == error)
    }

    @Test func theFloodSeedIsThirtyOneWellFormedMessages() throws {
        let read = try Self.read("room-flood.bin")
        #expect(read.messages.count == 31 && read.error == nil)
    }
}
