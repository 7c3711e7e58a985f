import Foundation

/// The class protocol's wire format (docs/reliability.md, "Class protocol"). Every message is one frame: a fixed
/// 12-byte header (magic "UNRC", protocol version as a big-endian UInt16, kind, a zero byte, payload length as a
/// big-endian UInt32) and a payload no longer than its kind's limit. The header's layout never changes between
/// versions, so each side can tell a peer of another version from garbage.
public enum Wire {
    /// The protocol version this build speaks.
    /// Version 2 (issue 24) added the heartbeat; in version 3 the hello carries a proof of the code
    /// (`JoinCode.helloProof`) instead of the code. Peers of another version are told "use the same unroll version".
    public static let version = 3
    /// Why a room drops a connection that has not said hello to make room for a new one; a follower dropped for
    /// this before its welcome tries again (`ClassFollower.join`).
    static let evicted = "too many connections waiting to say hello"
    /// The first four bytes of every frame.
    static let magic: [UInt8] = Array("UNRC".utf8)
    /// The header's size in bytes.
    public static let headerSize = 12
    /// The longest proof a hello may carry (a 16-byte nonce and its 32-byte HMAC-SHA256).
    static let proofBytes = 48
    /// The longest name (UTF-8 bytes) a hello or welcome may carry.
    static let nameBytes = 128
    /// The longest reason (UTF-8 bytes) a drop notice may carry.
    static let reasonBytes = 200

    /// What a frame is; followers send 1–3, rooms 16–21.
    public enum Kind: UInt8, Sendable, CaseIterable {
        /// Follower: version (in the header), the proof of the join code (`JoinCode.helloProof`), the user name
        /// it claims.
        case hello = 1
        /// Follower: an answer (question id, 0-based choice).
        case answer = 2
        /// Follower: leaving.
        case bye = 3
        /// Room: the presenter's user name and the lesson, once, first.
        case welcome = 16
        /// Room: a state with its sequence number.
        case state = 17
        /// Room: the hello is refused (wrong code, full room, other version); the connection closes.
        case refused = 18
        /// Room: the presenter ended the class; the connection closes.
        case goodbye = 19
        /// Room: this follower is dropped, with the reason; the connection closes.
        case dropped = 20
        /// Room: nothing new, the presenter is still there (sent after `ClassLimits.heartbeat` of silence).
        case heartbeat = 21
    }

    /// The largest payload a side accepts for a kind; nil: that side never receives that kind.
    static func payloadLimit(_ kind: Kind, readByRoom: Bool) -> Int? {
        switch kind {
        case .hello, .answer, .bye: readByRoom ? ClassLimits.followerMessage : nil
        case .welcome: readByRoom ? nil : 1 + nameBytes + ClassLimits.lesson
        case .state: readByRoom ? nil : 8 + ClassLimits.state
        case .refused: readByRoom ? nil : 5
        case .goodbye, .heartbeat: readByRoom ? nil : 0
        case .dropped: readByRoom ? nil : reasonBytes
        }
    }

    /// A whole frame: the header for `kind` and `payload`, then the payload.
    public static func frame(_ kind: Kind, _ payload: [UInt8] = [], version: Int = Wire.version) -> [UInt8] {
        var bytes = magic
        bytes += [UInt8(truncatingIfNeeded: version >> 8), UInt8(truncatingIfNeeded: version), kind.rawValue, 0]
        bytes += bigEndian(UInt64(payload.count), bytes: 4)
        return bytes + payload
    }

    /// `value`'s low `bytes` bytes, most significant first.
    static func bigEndian(_ value: UInt64, bytes: Int) -> [UInt8] {
        (0..<bytes).map { UInt8(truncatingIfNeeded: value >> UInt64(8 * (bytes - 1 - $0))) }
    }

    /// The unsigned number in `bytes`, most significant first.
    static func number(_ bytes: ArraySlice<UInt8>) -> UInt64 { bytes.reduce(0) { $0 << 8 | UInt64($1) } }

    /// The marker after a name only its sender vouches for (a name sent over TCP).
    static let claimedMarker = " (claimed)"

    /// A name only its sender vouches for, as shown: trimmed, made printable and cut so that, with the marker
    /// added after the cut, it is at most `ClassLimits.nameCharacters` characters ("anonymous" when empty).
    public static func claimed(_ name: String) -> String {
        let room = ClassLimits.nameCharacters - claimedMarker.count - 1
        let shown = printable(name.trimmingCharacters(in: .whitespaces), limit: room)
        return (shown.isEmpty ? "anonymous" : shown) + claimedMarker
    }

    /// `text` safe to show on one line: control and other non-printing characters become "?", at most `limit`
    /// characters (an ellipsis marks a cut).
    public static func printable(_ text: String, limit: Int) -> String {
        var kept = ""
        for (count, scalar) in text.unicodeScalars.enumerated() {
            if count == limit { return kept + "…" }
            let shown = scalar.properties.generalCategory
            let printing =
                !(scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value))
                && ![.control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator]
                    .contains(shown)
            kept.unicodeScalars.append(printing ? scalar : "?")
        }
        return kept
    }
}

/// Cuts a byte stream into frames, checking each header as soon as it arrives: the magic, the reserved byte, the
/// version, the kind (for the side that reads) and the length (against the kind's limit, before any payload is
/// buffered). The room and the follower use it on every byte they read; so does the fuzzer.
public struct FrameReader: Sendable {
    private var buffer: [UInt8] = []
    private let readByRoom: Bool

    /// A reader for the room (it reads followers' kinds) or for a follower (rooms' kinds).
    public init(readByRoom: Bool) { self.readByRoom = readByRoom }

    /// Adds bytes read from the peer.
    public mutating func append(_ bytes: some Sequence<UInt8>) { buffer.append(contentsOf: bytes) }

    /// Whether part of a frame is waiting for the rest (a peer that ends here disconnected mid-message).
    public var isMidMessage: Bool { !buffer.isEmpty }

    /// The next whole frame, nil when more bytes are needed.
    /// - Throws: `ClassError.incompatibleVersion` for a well-formed header of another version (its payload is not
    ///   read), `ClassError.protocolViolation` for anything else that is not a frame this side accepts.
    public mutating func next() throws(ClassError) -> (kind: Wire.Kind, payload: [UInt8])? {
        guard buffer.count >= Wire.headerSize else {
            // Reject garbage as early as its first bytes show it.
            let start = min(buffer.count, Wire.magic.count)
            if !buffer.prefix(start).elementsEqual(Wire.magic.prefix(start)) {
                throw .protocolViolation("not a class message")
            }
            return nil
        }
        guard buffer[0..<4].elementsEqual(Wire.magic) else { throw .protocolViolation("not a class message") }
        let version = Int(Wire.number(buffer[4..<6]))
        guard version == Wire.version else { throw .incompatibleVersion(ours: Wire.version, theirs: version) }
        guard buffer[7] == 0 else { throw .protocolViolation("malformed message header") }
        guard let kind = Wire.Kind(rawValue: buffer[6]),
            let limit = Wire.payloadLimit(kind, readByRoom: readByRoom)
        else {
            throw .protocolViolation("unexpected message kind \(buffer[6])")
        }
        let length = Wire.number(buffer[8..<12])
        guard length <= UInt64(limit) else {
            throw .protocolViolation("a \(kind) message of \(length) bytes (at most \(limit))")
        }
        let end = Wire.headerSize + Int(length)
        guard buffer.count >= end else { return nil }
        let payload = Array(buffer[Wire.headerSize..<end])
        buffer.removeSubrange(0..<end)
        return (kind, payload)
    }
}

/// A message a follower sends to the room, validated field by field.
public enum FollowerMessage: Sendable, Equatable {
    /// The first message: the proof of the join code (`JoinCode.helloProof`: a nonce and its MAC) and the user
    /// name the follower claims (trusted only over TCP).
    case hello(proof: [UInt8], name: String)
    /// An answer to question `question` (≥ 0), 0-based `choice` (0...3).
    case answer(question: Int, choice: Int)
    /// The follower leaves.
    case bye

    /// Validates a frame's payload.
    /// - Throws: `ClassError.protocolViolation` naming the first field that is wrong.
    public init(kind: Wire.Kind, payload: [UInt8]) throws(ClassError) {
        switch kind {
        case .hello:
            guard let codeCount = payload.first, Int(codeCount) <= Wire.proofBytes, payload.count >= 2 + Int(codeCount)
            else { throw .protocolViolation("malformed hello (proof)") }
            let nameCount = Int(payload[1 + Int(codeCount)])
            let nameStart = 2 + Int(codeCount)
            guard nameCount <= Wire.nameBytes, payload.count == nameStart + nameCount,
                let name = String(validating: payload[nameStart...], as: UTF8.self)
            else { throw .protocolViolation("malformed hello (name)") }
            self = .hello(proof: Array(payload[1..<1 + Int(codeCount)]), name: name)
        case .answer:
            guard payload.count == 9 else { throw .protocolViolation("malformed answer") }
            let question = Wire.number(payload[0..<8])
            guard question <= UInt64(Int32.max), payload[8] < 4 else { throw .protocolViolation("answer out of range") }
            self = .answer(question: Int(question), choice: Int(payload[8]))
        case .bye:
            guard payload.isEmpty else { throw .protocolViolation("malformed bye") }
            self = .bye
        default:
            throw .protocolViolation("a follower sent a room's message")
        }
    }

    /// The whole frame (header and payload). Fields longer than the protocol allows are cut to fit.
    public var frame: [UInt8] {
        switch self {
        case .hello(let proof, let name):
            let code = Array(proof.prefix(Wire.proofBytes))
            let name = Array(Wire.cutUTF8(name, to: Wire.nameBytes))
            return Wire.frame(.hello, [UInt8(code.count)] + code + [UInt8(name.count)] + name)
        case .answer(let question, let choice):
            return Wire.frame(
                .answer,
                Wire.bigEndian(UInt64(clamping: max(0, question)), bytes: 8)
                    + [UInt8(clamping: max(0, choice))])
        case .bye:
            return Wire.frame(.bye)
        }
    }
}

/// Why a room refused a hello.
public enum Refusal: UInt8, Sendable, Equatable {
    /// The code does not match.
    case wrongCode = 1
    /// The room is full (the frame carries the limit).
    case roomFull = 2
    /// The hello's version is not the room's (the frame's header carries the room's).
    case version = 3
    /// Over TCP: the follower's address already has the most seats it may have (the frame carries that number).
    case addressFull = 4
}

/// A message a room sends to a follower, validated field by field.
public enum RoomMessage: Sendable, Equatable {
    /// First: the presenter's user name and the lesson.
    case welcome(presenter: String, lesson: Data)
    /// A state and its sequence number.
    case state(sequence: UInt64, state: Data)
    /// The hello is refused; `value` is the limit for `.roomFull`, else 0.
    case refused(Refusal, value: Int)
    /// The presenter ended the class.
    case goodbye
    /// The room dropped this follower, and why.
    case dropped(String)
    /// The presenter is still there.
    case heartbeat

    /// Validates a frame's payload.
    /// - Throws: `ClassError.protocolViolation` naming the first field that is wrong.
    public init(kind: Wire.Kind, payload: [UInt8]) throws(ClassError) {
        switch kind {
        case .welcome:
            guard let nameCount = payload.first, Int(nameCount) <= Wire.nameBytes, payload.count >= 1 + Int(nameCount),
                let name = String(validating: payload[1..<1 + Int(nameCount)], as: UTF8.self),
                payload.count - 1 - Int(nameCount) <= ClassLimits.lesson
            else { throw .protocolViolation("malformed welcome") }
            self = .welcome(presenter: name, lesson: Data(payload[(1 + Int(nameCount))...]))
        case .state:
            guard payload.count >= 8, payload.count - 8 <= ClassLimits.state else {
                throw .protocolViolation("malformed state")
            }
            self = .state(sequence: Wire.number(payload[0..<8]), state: Data(payload[8...]))
        case .refused:
            guard payload.count == 5, let reason = Refusal(rawValue: payload[0]) else {
                throw .protocolViolation("malformed refusal")
            }
            self = .refused(reason, value: Int(Wire.number(payload[1..<5])))
        case .goodbye:
            guard payload.isEmpty else { throw .protocolViolation("malformed goodbye") }
            self = .goodbye
        case .heartbeat:
            guard payload.isEmpty else { throw .protocolViolation("malformed heartbeat") }
            self = .heartbeat

        case .dropped:
            guard let reason = String(validating: payload, as: UTF8.self) else {
                throw .protocolViolation("malformed drop notice")
            }
            self = .dropped(reason)
        default:
            throw .protocolViolation("a room sent a follower's message")
        }
    }

    /// The whole frame (header and payload). Fields longer than the protocol allows are cut to fit.
    public var frame: [UInt8] {
        switch self {
        case .welcome(let presenter, let lesson):
            let name = Array(Wire.cutUTF8(presenter, to: Wire.nameBytes))
            return Wire.frame(.welcome, [UInt8(name.count)] + name + Array(lesson.prefix(ClassLimits.lesson)))
        case .state(let sequence, let state):
            return Wire.frame(.state, Wire.bigEndian(sequence, bytes: 8) + Array(state.prefix(ClassLimits.state)))
        case .refused(let reason, let value):
            return Wire.frame(.refused, [reason.rawValue] + Wire.bigEndian(UInt64(UInt32(clamping: value)), bytes: 4))
        case .goodbye:
            return Wire.frame(.goodbye)
        case .heartbeat:
            return Wire.frame(.heartbeat)

        case .dropped(let reason):
            return Wire.frame(.dropped, Array(Wire.cutUTF8(reason, to: Wire.reasonBytes)))
        }
    }
}

extension Wire {
    /// `text`'s UTF-8 bytes, cut at a character boundary to at most `limit` bytes.
    static func cutUTF8(_ text: String, to limit: Int) -> String.UTF8View {
        var cut = ""
        for character in text {
            guard cut.utf8.count + String(character).utf8.count <= limit else { break }
            cut.append(character)
        }
        return cut.utf8
    }
}
