import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few POSIX calls class mode needs, each returning a Swift value or an error message.
enum Posix {
    /// The text of the current `errno`.
    static var lastError: String { String(cString: strerror(errno)) }

    /// Makes `fd` non-blocking and close-on-exec.
    static func prepare(_ fd: Int32) {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    }

    /// A non-blocking pipe (read end, write end), used to wake a thread blocked in poll().
    static func wakePipe() throws(ClassError) -> (read: Int32, write: Int32) {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw .cannotListen("pipe: \(lastError)") }
        prepare(ends[0])
        prepare(ends[1])
        return (ends[0], ends[1])
    }

    /// Writes one byte to a wake pipe (a full pipe already wakes the reader).
    static func poke(_ fd: Int32) {
        var byte: UInt8 = 1
        _ = write(fd, &byte, 1)
    }

    /// Empties a wake pipe.
    static func drain(_ fd: Int32) {
        var bytes = [UInt8](repeating: 0, count: 64)
        while read(fd, &bytes, bytes.count) > 0 {}
    }

    /// Sends what it can of `bytes` without blocking and without SIGPIPE; the count sent, 0 when the buffer is
    /// full, nil when the connection is broken.
    static func send(_ fd: Int32, _ bytes: ArraySlice<UInt8>) -> Int? {
        let sent = bytes.withUnsafeBytes {
            Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
        }
        if sent >= 0 { return sent }
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : nil
    }

    /// Reads what is there (at most `limit` bytes); empty at end of stream, nil on an error other than "try again"
    /// (then `wouldBlock` tells whether it was only that).
    static func receive(_ fd: Int32, limit: Int = 65536) -> (bytes: [UInt8], wouldBlock: Bool)? {
        var bytes = [UInt8](repeating: 0, count: limit)
        let count = recv(fd, &bytes, limit, Int32(MSG_DONTWAIT))
        if count >= 0 { return (Array(bytes.prefix(count)), false) }
        if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return ([], true) }
        return nil
    }

    /// Waits until `fd` can be read or `deadline` passes; false at the deadline.
    static func waitReadable(_ fd: Int32, until deadline: ContinuousClock.Instant) -> Bool {
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { return false }
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(min(left / .milliseconds(1), 60_000).rounded(.up))
            let ready = poll(&entry, 1, milliseconds)
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { return true }
        }
    }

    /// The longest path (in bytes) a `sockaddr_un` holds: its `sun_path` (108 bytes on Linux) less the closing NUL.
    static let socketPathLimit = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1

    /// A `sockaddr_un` for `path`, nil when the path is too long for one.
    static func unixAddress(_ path: String) -> sockaddr_un? {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count <= socketPathLimit else { return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        return address
    }

    /// A listening, non-blocking Unix socket at `path`.
    static func listenUnix(_ path: String) throws(ClassError) -> Int32 {
        guard var address = unixAddress(path) else { throw .cannotListen("the socket path \(path) is too long") }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw .cannotListen("socket: \(lastError)") }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            let reason = lastError
            close(fd)
            throw .cannotListen("\(path): \(reason)")
        }
        prepare(fd)
        return fd
    }

    /// A blocking connection to the Unix socket at `path`: the descriptor, or nil and the errno of the failure.
    static func connectUnix(_ path: String) -> (fd: Int32?, failure: Int32) {
        guard var address = unixAddress(path) else { return (nil, ENAMETOOLONG) }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return (nil, errno) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else {
            let failure = errno
            close(fd)
            return (nil, failure)
        }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        return (fd, 0)
    }

    /// "HOST:PORT" ("[::1]:PORT" for IPv6) split, nil when it is not of that form with a port in 0...65535.
    static func hostAndPort(_ text: String) -> (host: String, port: UInt16)? {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else {
            return nil
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        return (host, port)
    }

    /// A TCP socket on the first address `text` ("HOST:PORT") resolves to, for listening (`passive`) or
    /// connecting, that `use` can set up: each address in turn gets a new socket, which `use` binds or connects
    /// and which is closed when `use` returns a reason it failed.
    /// - Returns: the socket, or why none could be had: the resolver's reason ("HOST: …"), else "HOST:PORT: " and
    ///   the last address's reason ("no address" when there was none).
    private static func firstSocket(
        _ text: String, passive: Bool,
        _ use: (Int32, addrinfo) -> String?
    ) -> Result<Int32, SocketFailure> {
        guard let (host, port) = hostAndPort(text) else {
            return .failure(SocketFailure("\"\(text)\" is not HOST:PORT"))
        }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = (passive ? AI_PASSIVE : 0) | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let list else {
            return .failure(SocketFailure("\(host): \(String(cString: gai_strerror(status)))"))
        }
        defer { freeaddrinfo(list) }
        var reason = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = list
        while let info = entry?.pointee {
            entry = info.ai_next
            let fd = socket(info.ai_family, info.ai_socktype, info.ai_protocol)
            guard fd >= 0 else {
                reason = lastError
                continue
            }
            if let failure = use(fd, info) {
                reason = failure
                close(fd)
                continue
            }
            return .success(fd)
        }
        return .failure(SocketFailure("\(text): \(reason)"))
    }

    /// Why ``firstSocket(_:passive:_:)`` found no socket.
    private struct SocketFailure: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// A listening, non-blocking TCP socket on `text` ("HOST:PORT"), and the address it got ("HOST:PORT", with the
    /// port chosen when it was 0).
    static func listenTCP(_ text: String) throws(ClassError) -> (fd: Int32, address: String) {
        let opened = firstSocket(text, passive: true) { fd, info in
            var one: Int32 = 1
            _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            guard bind(fd, info.ai_addr, info.ai_addrlen) == 0, listen(fd, 64) == 0 else { return lastError }
            return nil
        }
        switch opened {
        case .failure(let failure): throw .cannotListen(failure.reason)
        case .success(let fd):
            prepare(fd)
            return (fd, localAddress(fd) ?? text)
        }
    }

    /// A blocking TCP connection to `text` ("HOST:PORT").
    static func connectTCP(_ text: String) throws(ClassError) -> Int32 {
        let connected = firstSocket(text, passive: false) { fd, info in
            let flags = fcntl(fd, F_GETFL)
            _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
            if let failure = connectWithin(fd, info.ai_addr, info.ai_addrlen, connectTimeout) { return failure }
            _ = fcntl(fd, F_SETFL, flags)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            return nil
        }
        switch connected {
        case .failure(let failure): throw .connectionFailed(failure.reason)
        case .success(let fd): return fd
        }
    }

    /// How long a TCP connection may take to open.
    static let connectTimeout = Duration.seconds(5)

    /// Connects the non-blocking `fd` within `timeout`; nil when connected, else why not.
    private static func connectWithin(
        _ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t,
        _ timeout: Duration
    ) -> String? {
        if connect(fd, address, length) == 0 { return nil }
        guard errno == EINPROGRESS else { return lastError }
        var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        guard poll(&entry, 1, Int32(timeout / .milliseconds(1))) == 1 else { return "no answer within \(timeout)" }
        var failure: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &failure, &size) == 0 else { return lastError }
        return failure == 0 ? nil : String(cString: strerror(failure))
    }

    /// The "HOST:PORT" a socket is bound to.
    static func localAddress(_ fd: Int32) -> String? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let found = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard found == 0 else { return nil }
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        var port = [CChar](repeating: 0, count: Int(NI_MAXSERV))
        let named = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getnameinfo(
                    $0, length, &host, socklen_t(host.count), &port, socklen_t(port.count),
                    NI_NUMERICHOST | NI_NUMERICSERV)
            }
        }
        guard named == 0 else { return nil }
        let hostText = text(host)
        return hostText.contains(":") ? "[\(hostText)]:\(text(port))" : "\(hostText):\(text(port))"
    }

    /// The numeric host of a connected socket's peer (getpeername), nil when it has none.
    static func peerHost(_ fd: Int32) -> String? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let found = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) }
        }
        guard found == 0 else { return nil }
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let named = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getnameinfo($0, length, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST)
            }
        }
        return named == 0 ? text(host) : nil
    }

    /// A NUL-terminated C buffer as text.
    static func text(_ characters: [CChar]) -> String {
        String(decoding: characters.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Linux's `struct ucred` (Glibc's module does not export it without _GNU_SOURCE): the peer's pid, uid and gid.
    private struct PeerCredentials {
        var pid: pid_t = 0
        var uid: uid_t = 0
        var gid: gid_t = 0
    }

    /// The user id of the process at the other end of a Unix socket (SO_PEERCRED).
    static func peerUID(_ fd: Int32) -> uid_t? {
        var credentials = PeerCredentials()
        var length = socklen_t(MemoryLayout<PeerCredentials>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0 else { return nil }
        return credentials.uid
    }

    /// The user name of `uid` (getpwuid_r), nil when it has none.
    static func userName(_ uid: uid_t) -> String? {
        var entry = passwd()
        var found: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &found) == 0, found != nil, let name = entry.pw_name
        else { return nil }
        return String(cString: name)
    }

    /// The id of the group `name` (getgrnam_r), nil when there is none.
    static func groupID(_ name: String) -> gid_t? {
        var entry = group()
        var found: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 16384)
        guard getgrnam_r(name, &entry, &buffer, buffer.count, &found) == 0, found != nil else { return nil }
        return entry.gr_gid
    }

    /// lstat(2): the entry itself, never what a symbolic link points to; nil when it does not exist.
    static func status(_ path: String) -> stat? {
        var info = stat()
        return lstat(path, &info) == 0 ? info : nil
    }
}
