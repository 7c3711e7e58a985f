import Foundation

/// Every failure of class mode, each with a clear one-line message (`description`); the command exits 2 with it.
public enum ClassError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text is not a join code (the text, sanitised).
    case malformedCode(String)
    /// Wrong or expired code: no live room under it (no socket, or a stale one nobody listens on).
    case noSuchRoom(JoinCode)
    /// Over TCP: the room answered, but the code does not match.
    case wrongCode
    /// The room already has `limit` followers.
    case roomFull(limit: Int)
    /// Over TCP: the follower's address already has `limit` followers in the room.
    case addressFull(limit: Int)
    /// The two sides speak different protocol versions.
    case incompatibleVersion(ours: Int, theirs: Int)
    /// The socket or its folder is not owned by whom it should be, or is writable by others.
    case unsafeRoom(String)
    /// Binding or listening failed: address in use, a bad HOST:PORT, permissions…
    case cannotListen(String)
    /// Connecting failed (other than "no such room").
    case connectionFailed(String)
    /// The other side sent something the protocol does not allow.
    case protocolViolation(String)

    /// One line for the user.
    public var description: String {
        switch self {
        case .malformedCode(let text):
            "not a join code: \"\(Wire.printable(text, limit: 40))\" (a code is 12 letters and digits, e.g. K7QD-7Q4K-M2XD)"
        case .noSuchRoom(let code):
            "no class is running under the code \(code): check the code with the presenter (it changes each time a class starts)"
        case .wrongCode:
            "the room refused the join code: check it with the presenter"
        case .roomFull(let limit):
            "the room is full (at most \(limit) followers); the presenter can raise the limit"
        case .addressFull(let limit):
            "the room already has \(limit) followers from this address (the presenter's --per-address)"
        case .incompatibleVersion(let ours, let theirs):
            "the presenter runs class protocol version \(theirs), this unroll speaks version \(ours): use the same unroll version"
        case .unsafeRoom(let reason):
            "unsafe room, refused: \(reason)"
        case .cannotListen(let reason):
            "cannot open the room: \(reason)"
        case .connectionFailed(let reason):
            "cannot join the room: \(reason)"
        case .protocolViolation(let reason):
            "the other side broke the class protocol: \(reason)"
        }
    }
}

/// Why a follower's connection ended.
public enum ClassEnd: Sendable, Equatable {
    /// The presenter closed the room cleanly ("the presenter ended the class").
    case presenterEnded
    /// The connection broke without a goodbye (the presenter's session crashed, the network failed); the reason.
    case connectionLost(String)
    /// The room dropped this follower, with its reason (e.g. flooding, a malformed message).
    case dropped(String)
}
