import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where and how a presenter's room listens.
public struct RoomOptions: Sendable {
    /// The folder for the room's Unix socket; default `ClassDefaults.directory` ("/tmp/unroll-class", or $UNROLL_CLASS_DIR).
    public var directory: String
    /// The Unix group allowed to join; nil: every user of the machine (docs/teaching.md, "Permissions").
    public var group: String?
    /// An optional TCP listener "HOST:PORT" (join code = shared secret); nil: no TCP at all. Port 0 picks a free port
    /// (`ClassRoom.tcpAddress` tells which).
    public var listen: String?
    /// At most this many followers at once (default 100; over Unix one per user, however many times it joins); one
    /// more gets `ClassError.roomFull`.
    public var limit: Int
    /// Whether followers' Unix user names are collected, for "not answered yet" (--names).
    public var names: Bool
    /// Over TCP: at most this many seats, and answers per question, from one address (default 8; --per-address).
    public var perAddress: Int
    /// How long a new connection may take to say hello before it is dropped (default `ClassLimits.helloTimeout`).
    public var helloTimeout: Duration
    /// Whose files and peers these are (the kernel's view; tests hand in another user's).
    var credentials = Credentials.real

    /// Options for a room; every parameter is the property of the same name.
    public init(
        directory: String = ClassDefaults.directory, group: String? = nil, listen: String? = nil, limit: Int = 100,
        names: Bool = false, helloTimeout: Duration = ClassLimits.helloTimeout, perAddress: Int = 8
    ) {
        self.perAddress = perAddress
        self.directory = directory
        self.group = group
        self.listen = listen
        self.limit = limit
        self.names = names
        self.helloTimeout = helloTimeout
    }
}

/// Where a follower looks for a room.
public struct JoinOptions: Sendable {
    /// The folder of the rooms' Unix sockets; default `ClassDefaults.directory`.
    public var directory: String
    /// "HOST:PORT": join over TCP instead of the Unix socket; nil: the Unix socket.
    public var connect: String?
    /// Whose files and peers these are (the kernel's view; tests hand in another user's).
    var credentials = Credentials.real

    /// Options for joining; every parameter is the property of the same name.
    public init(directory: String = ClassDefaults.directory, connect: String? = nil) {
        self.directory = directory
        self.connect = connect
    }
}

/// The protocol's limits (docs/reliability.md, "Class protocol"): every message is size-limited, every peer rate-limited.
public enum ClassLimits {
    /// The largest lesson a room sends on joining (8 MiB).
    public static let lesson = 8 << 20
    /// The largest state a room publishes (64 KiB).
    public static let state = 64 << 10
    /// The largest message a follower may send (256 bytes of payload).
    public static let followerMessage = 256
    /// A follower sending more messages than this within one second is dropped.
    public static let messagesPerSecond = 20
    /// At most this many connections may be waiting to say hello; a new one beyond it evicts the oldest of the peer
    /// with the most waiting.
    public static let pendingConnections = 32
    /// At most this many connections of one peer (a uid over Unix, an address over TCP) may be waiting to say hello;
    /// a new one beyond it evicts that peer's oldest.
    public static let pendingPerPeer = 8
    /// At most this many wrong codes per peer (a uid over Unix, an address over TCP) a second; beyond it the peer's
    /// hellos are refused unread for the rest of that second.
    public static let wrongCodesPerSecond = 2
    /// With half of `pendingConnections` waiting, a new connection has this long to say hello.
    public static let helloTimeoutUnderPressure = Duration.seconds(1)
    /// A connection that has not said hello within this time is dropped.
    public static let helloTimeout = Duration.seconds(5)
    /// A claimed (TCP) user name keeps at most this many characters.
    public static let nameCharacters = 32
    /// A room sends a heartbeat to every follower it has sent nothing else for this long.
    public static let heartbeat = Duration.seconds(1)
    /// A follower that has heard nothing from the room for this long says so and joins again (the same code, the
    /// same way), every this long until it hears the room.
    public static let presenterSilence = Duration.seconds(3)
    /// A follower that has heard nothing from the room for this long gives up: the connection is lost.
    public static let presenterGone = Duration.seconds(60)
}

/// Defaults shared by the presenter and the followers.
public enum ClassDefaults {
    /// The folder of the rooms' Unix sockets: $UNROLL_CLASS_DIR when set and not empty, else "/tmp/unroll-class".
    public static var directory: String {
        if let folder = ProcessInfo.processInfo.environment["UNROLL_CLASS_DIR"], !folder.isEmpty { return folder }
        return "/tmp/unroll-class"
    }

    /// This process's account name (getpwuid, never $USER, which anyone can set), or "uid N" without one: the
    /// presenter's name in its states, as a Unix socket's owner is shown.
    public static var userName: String {
        let uid = getuid()
        return Posix.userName(uid) ?? "uid \(uid)"
    }
}
