import Foundation
import Testing

@testable import UnrollClass

@Suite("Class protocol: join codes and frames")
struct WireTests {
    @Test(
        "codes parse case-insensitively, ignoring spaces and dashes",
        arguments: [
            ("K7QD-7Q4K-M2XD", "K7QD-7Q4K-M2XD"), ("k7qd7q4km2xd", "K7QD-7Q4K-M2XD"),
            (" k7qd 7q4k m2xd ", "K7QD-7Q4K-M2XD"), ("K-7-Q-D-7-Q-4-K-M-2-X-D", "K7QD-7Q4K-M2XD")
        ])
    func codesParse(_ text: String, _ printed: String) throws {
        #expect(try #require(JoinCode(text)).description == printed)
    }

    @Test(
        "malformed codes",
        arguments: [
            "", "K7QD-7Q4K-M2X", "K7QD-7Q4K-M2XDA", "7Q4K-M2XD", "K7QD-0Q4K-M2XD", "K7QD-IQ4K-M2XD", "K7QD-7Q4K_M2XD",
            "K7QD-7Q4K-M2XÐ"
        ]
    )
    func malformedCodes(_ text: String) {
        #expect(JoinCode(text) == nil)
        #expect(throws: ClassError.malformedCode(text)) { try JoinCode.parse(text) }
    }

    @Test func malformedCodeMessagesAreSanitised() {
        #expect(
            ClassError.malformedCode("ab\u{1B}c").description
                == "not a join code: \"ab?c\" (a code is 12 letters and digits, e.g. K7QD-7Q4K-M2XD)")
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

    /// RFC 4231's test cases 1 and 2 (its published HMAC-SHA-256 values).
    @Test func hmacMatchesRFC4231() {
        func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
        #expect(
            hex(HMAC.sha256(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8)))
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        #expect(
            hex(HMAC.sha256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func theProofIsTheCodesHMACOfTheNonceAndIsCheckedExactly() throws {
        let code = try #require(JoinCode("K7QD-7Q4K-M2XD"))
        let nonce = [UInt8](0..<16)
        // From the definition in docs/reliability.md, computed with Python's hmac module: hmac.new(
        // b"unroll-class-v3:K7QD7Q4KM2XD", b"unroll-class-v3" + bytes(range(16)), hashlib.sha256).hexdigest()
        let hex = "3a5158725415259da33ce7761c3bd6d0ebda93b393b8526dd7c27e847d717815"
        let expected = stride(from: 0, to: hex.count, by: 2).map {
            UInt8(hex.dropFirst($0).prefix(2), radix: 16) ?? 0
        }
        try #require(expected.count == 32)
        #expect(code.proof(nonce) == expected)
        #expect(code.accepts(nonce + expected))
        // Another nonce, another secret or room id, a cut or padded proof, the code itself: refused.
        #expect(!code.accepts([UInt8](1..<17) + expected))
        #expect(!code.accepts(nonce + (try #require(JoinCode("K7QD-7Q4K-M2XE")).proof(nonce))))
        #expect(!code.accepts(nonce + (try #require(JoinCode("K7QE-7Q4K-M2XD")).proof(nonce))))
        #expect(!code.accepts(nonce + expected.dropLast()))
        #expect(!code.accepts(nonce + expected + [0]))
        #expect(!code.accepts([]))
        #expect(!code.accepts(Array("K7QD7Q4KM2XD".utf8)))
        // A hello's proof: a fresh nonce each time, and its MAC.
        let a = code.helloProof(), b = code.helloProof()
        #expect(a.count == 48 && a.prefix(16) != b.prefix(16) && code.accepts(a) && code.accepts(b))
        #expect(Array(a.suffix(32)) == code.proof(Array(a.prefix(16))))
    }

    @Test func aRoomAcceptsEachProofOnceAndForgetsTheOldestBeyondItsCapacity() {
        var ledger = ProofLedger()
        let first = [UInt8](repeating: 1, count: 48)
        let new = ledger.admit(first)
        let replay = ledger.admit(first)
        // The same nonce with another MAC is the same hello replayed.
        let sameNonce = ledger.admit([UInt8](repeating: 1, count: 16) + [UInt8](repeating: 2, count: 32))
        #expect(new && !replay && !sameNonce)
        var refused = 0
        for n in 0..<ProofLedger.capacity {
            let nonce = withUnsafeBytes(of: UInt64(n + 1000).bigEndian) { Array($0) } + [UInt8](repeating: 7, count: 8)
            if !ledger.admit(nonce + [UInt8](repeating: 0, count: 32)) { refused += 1 }
        }
        #expect(refused == 0, "distinct nonces are all new")
        // 65,536 newer proofs later, the first has been forgotten.
        let forgotten = ledger.admit(first)
        #expect(forgotten)
    }

    @Test func theRoomIdIsTheFirstFourSymbolsAndIndependentOfTheSecret() throws {
        let code = try #require(JoinCode("K7QD-7Q4K-M2XD"))
        #expect(code.roomName == "K7QD")
        let moved = code.withNewRoom()
        #expect(moved.symbols.dropFirst(4) == code.symbols.dropFirst(4))
        // 200 random codes: room ids are drawn apart from secrets (many ids, never a function of the secret).
        let codes = (0..<200).map { _ in JoinCode.random() }
        #expect(Set(codes.map(\.roomName)).count > 190)
    }

    @Test func framesHaveTheDocumentedHeader() {
        #expect(
            FollowerMessage.answer(question: 258, choice: 3).frame
                == Array("UNRC".utf8) + [0, 3, 2, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 1, 2, 3])
        #expect(
            FollowerMessage.hello(proof: Array("AB".utf8), name: "é").frame
                == Array("UNRC".utf8) + [0, 3, 1, 0, 0, 0, 0, 6, 2, 65, 66, 2, 0xC3, 0xA9])
        #expect(
            RoomMessage.state(sequence: 5, state: Data([7])).frame
                == Array("UNRC".utf8) + [0, 3, 17, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 5, 7])

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
        (Array("UNRC".utf8) + [0, 3, 1, 1, 0, 0, 0, 0], "malformed message header"),
        (Array("UNRC".utf8) + [0, 3, 9, 0, 0, 0, 0, 0], "unexpected message kind 9"),
        (Array("UNRC".utf8) + [0, 3, 17, 0, 0, 0, 0, 0], "unexpected message kind 17"),
        (Array("UNRC".utf8) + [0, 3, 2, 0, 0, 0, 1, 1], "a answer message of 257 bytes (at most 256)")
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
        (.hello, [], "malformed hello (proof)"),
        (.hello, [49] + [UInt8](repeating: 65, count: 50), "malformed hello (proof)"),
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
            Array("UNRC".utf8) + [0, 3, 17] + [0] + Wire.bigEndian(UInt64(8 + ClassLimits.state + 1), bytes: 4))
        #expect(
            throws: ClassError.protocolViolation("a state message of \(8 + 65536 + 1) bytes (at most \(8 + 65536))")
        ) {
            try reader.next()
        }
    }
}
