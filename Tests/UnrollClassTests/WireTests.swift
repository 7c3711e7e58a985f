import Foundation
import Testing

@testable import UnrollClass

@Suite("Class protocol: join codes and frames")
struct WireTests {
    @Test(
        "codes parse case-insensitively, ignoring spaces and dashes",
        arguments: [
            ("7Q4K-M2XD", "7Q4K-M2XD"), ("7q4km2xd", "7Q4K-M2XD"), (" 7q4k m2xd ", "7Q4K-M2XD"),
            ("7-Q-4-K-M-2-X-D", "7Q4K-M2XD")
        ])
    func codesParse(_ text: String, _ printed: String) throws {
        #expect(try #require(JoinCode(text)).description == printed)
    }

    @Test(
        "malformed codes", arguments: ["", "7Q4K-M2X", "7Q4K-M2XDA", "0Q4K-M2XD", "IQ4K-M2XD", "7Q4K_M2XD", "7Q4K-M2XÐ"]
    )
    func malformedCodes(_ text: String) {
        #expect(JoinCode(text) == nil)
        #expect(throws: ClassError.malformedCode(text)) { try JoinCode.parse(text) }
    }

    @Test func malformedCodeMessagesAreSanitised() {
        #expect(
            ClassError.malformedCode("ab\u{1B}c").description
                == "not a join code: \"ab?c\" (a code is 8 letters and digits, e.g. 7Q4K-M2XD)")
    }

    @Test func randomCodesParseBackAndDiffer() throws {
        let codes = (0..<200).map { _ in JoinCode.random() }
        for code in codes { #expect(JoinCode(code.description) == code) }
        #expect(Set(codes).count == 200)
    }

    /// FIPS 180-4 example digests (NIST's published values).
    @Test func sha256MatchesTheStandardsVectors() {
        func hex(_ text: String) -> String { SHA256.hash(Array(text.utf8)).map { String(format: "%02x", $0) }.joined() }
        #expect(hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func theCodeComparisonIsExact() throws {
        let code = try #require(JoinCode("7Q4K-M2XD"))
        #expect(code.matches(Array("7Q4KM2XD".utf8)))
        #expect(!code.matches(Array("7Q4KM2XE".utf8)))
        #expect(!code.matches(Array("7Q4KM2X".utf8)))
        #expect(!code.matches(Array("7Q4KM2XDD".utf8)))
        #expect(!code.matches([]))
        #expect(!code.matches(Array("7Q4KM2XD".utf8) + [UInt8](repeating: 0, count: 256)))
    }

    @Test func framesHaveTheDocumentedHeader() {
        #expect(
            FollowerMessage.answer(question: 258, choice: 3).frame
                == Array("UNRC".utf8) + [0, 2, 2, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 1, 2, 3])
        #expect(
            FollowerMessage.hello(code: Array("AB".utf8), name: "é").frame
                == Array("UNRC".utf8) + [0, 2, 1, 0, 0, 0, 0, 6, 2, 65, 66, 2, 0xC3, 0xA9])
        #expect(
            RoomMessage.state(sequence: 5, state: Data([7])).frame
                == Array("UNRC".utf8) + [0, 2, 17, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 5, 7])
    }

    @Test func aLimitBeyondFourBytesIsSentAsTheLargestItCanSay() throws {
        var reader = FrameReader(readByRoom: false)
        reader.append(RoomMessage.refused(.roomFull, value: Int(UInt32.max) + 5).frame)
        let frame = try #require(try reader.next())
        #expect(try RoomMessage(kind: frame.kind, payload: frame.payload) == .refused(.roomFull, value: 4_294_967_295))
    }

    @Test func framesReadBackByteByByte() throws {
        let messages: [RoomMessage] = [
            .welcome(presenter: "ada", lesson: Data("lesson".utf8)),
            .state(sequence: 1, state: Data([1, 2])), .refused(.roomFull, value: 100),
            .dropped("why"), .goodbye
        ]
        var reader = FrameReader(readByRoom: false)
        var read: [RoomMessage] = []
        for byte in messages.flatMap(\.frame) {
            reader.append([byte])
            if let frame = try reader.next() { read.append(try RoomMessage(kind: frame.kind, payload: frame.payload)) }
        }
        #expect(read == messages)
        #expect(!reader.isMidMessage)
    }

    static let rejectedByRoom: [([UInt8], String)] = [
        (Array("XNRC".utf8), "not a class message"),
        (Array("UNRC".utf8) + [0, 2, 1, 1, 0, 0, 0, 0], "malformed message header"),
        (Array("UNRC".utf8) + [0, 2, 9, 0, 0, 0, 0, 0], "unexpected message kind 9"),
        (Array("UNRC".utf8) + [0, 2, 17, 0, 0, 0, 0, 0], "unexpected message kind 17"),
        (Array("UNRC".utf8) + [0, 2, 2, 0, 0, 0, 1, 1], "a answer message of 257 bytes (at most 256)")
    ]

    @Test("the room's reader rejects what a follower may not send", arguments: rejectedByRoom)
    func roomReaderRejects(_ bytes: [UInt8], _ reason: String) {
        var reader = FrameReader(readByRoom: true)
        reader.append(bytes)
        #expect(throws: ClassError.protocolViolation(reason)) { try reader.next() }
    }

    static let invalidFollowerMessages: [(Wire.Kind, [UInt8], String)] = [
        (Wire.Kind.answer, [UInt8](repeating: 0, count: 8), "malformed answer"),
        (.answer, [0, 0, 0, 0, 0x80, 0, 0, 0, 0], "answer out of range"),
        (.answer, [0, 0, 0, 0, 0, 0, 0, 1, 4], "answer out of range"),
        (.hello, [], "malformed hello (code)"),
        (.hello, [17] + [UInt8](repeating: 65, count: 18), "malformed hello (code)"),
        (.hello, [1, 65, 2, 0xFF, 0xFE], "malformed hello (name)"),
        (.hello, [1, 65, 1, 66, 67], "malformed hello (name)"),
        (.bye, [0], "malformed bye")
    ]

    @Test("follower messages are validated field by field", arguments: invalidFollowerMessages)
    func followerMessagesValidated(_ kind: Wire.Kind, _ payload: [UInt8], _ reason: String) {
        #expect(throws: ClassError.protocolViolation(reason)) { try FollowerMessage(kind: kind, payload: payload) }
    }

    @Test func aStateLargerThanTheLimitIsRejectedFromItsHeader() {
        var reader = FrameReader(readByRoom: false)
        reader.append(
            Array("UNRC".utf8) + [0, 2, 17] + [0] + Wire.bigEndian(UInt64(8 + ClassLimits.state + 1), bytes: 4))
        #expect(
            throws: ClassError.protocolViolation("a state message of \(8 + 65536 + 1) bytes (at most \(8 + 65536))")
        ) {
            try reader.next()
        }
    }
}
