import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where a room's Unix socket lives and the checks that keep anyone else from replacing it (docs/reliability.md,
/// "Class protocol"). The layout is `DIRECTORY/NAME/room.sock`: DIRECTORY is shared (created 1733: anyone may add a
/// room, nobody may list, rename or remove another's), NAME is the code's public room id (`JoinCode.roomName`, random, independent of its secret), the room
/// folder belongs to the presenter and is writable by nobody else (0755, or 0750 for a group), the socket belongs to
/// the presenter. A follower checks all of it with lstat, then the peer's uid with SO_PEERCRED.
enum RoomFolder {
    /// Why a user outside a room's group cannot join it.
    static let groupOnly = "this room is open to one group only, and you are not in it"

    /// The file name of the socket inside a room folder.
    static let socketName = "room.sock"

    /// The room folder and socket paths of `code` under `directory`.
    static func paths(_ directory: String, _ code: JoinCode) -> (folder: String, socket: String) {
        let folder = (directory as NSString).appendingPathComponent(code.roomName)
        return (folder, (folder as NSString).appendingPathComponent(socketName))
    }

    /// `code`, or the same secret under another random room id when a folder of that id is already there (another
    /// room, a stale one, or a user who made folders of ids in advance): at most `tries` ids are tried, then the
    /// last is returned (opening it then says what is wrong with its folder).
    static func freeRoom(_ directory: String, _ code: JoinCode, tries: Int = 16) -> JoinCode {
        var candidate = code
        for _ in 0..<tries where Posix.status(paths(directory, candidate).folder) != nil {
            candidate = candidate.withNewRoom()
        }
        return candidate
    }

    /// Why `socket` (a room's socket path, DIRECTORY/NAME/room.sock) cannot be a Unix socket's address, nil when it
    /// can: a `sockaddr_un` holds at most `Posix.socketPathLimit` bytes of path. Checked before anything is created
    /// or connected, so a long UNROLL_CLASS_DIR is refused with its numbers, never cut short.
    static func tooLong(_ socket: String) -> String? {
        let length = socket.utf8.count
        let limit = Posix.socketPathLimit
        guard length > limit else { return nil }
        let room =
            length - ((socket as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent.utf8.count
        return
            "the room's socket path \(socket) is \(length) bytes, more than the \(limit) a Unix socket path can hold; "
            + "set UNROLL_CLASS_DIR to a shorter folder (at most \(limit - room) bytes, e.g. /tmp/unroll-class)"
    }

    /// The mode bits that matter (permissions, sticky).
    private static func mode(_ info: stat) -> mode_t { info.st_mode & 0o7777 }
    private static func isDirectory(_ info: stat) -> Bool { info.st_mode & S_IFMT == S_IFDIR }

    /// Checks the shared folder: a real directory (not a link), owned by root or `owner`, and sticky when others
    /// may write to it (so nobody can rename or remove another user's room).
    static func checkShared(_ directory: String, owner: uid_t, _ credentials: Credentials) throws(ClassError) {
        guard let info = Posix.status(directory) else { throw .unsafeRoom("\(directory) does not exist") }
        guard isDirectory(info) else { throw .unsafeRoom("\(directory) is not a folder (a link or a file)") }
        let holder = credentials.owner(directory, info)
        guard holder == 0 || holder == owner else {
            throw .unsafeRoom(
                "\(directory) belongs to \(Posix.userName(holder) ?? "uid \(holder)"), who "
                    + "could replace rooms in it; create it as root (sudo install -d -m 1733 \(directory)) "
                    + "or set UNROLL_CLASS_DIR")
        }
        guard mode(info) & 0o022 == 0 || mode(info) & S_ISVTX != 0 else {
            throw .unsafeRoom("\(directory) is writable by others without the sticky bit (chmod +t \(directory))")
        }
    }

    /// Checks a room folder: a real directory owned by `owner` that nobody else may write to.
    static func checkRoom(_ folder: String, owner: uid_t, _ credentials: Credentials) throws(ClassError) {
        guard let info = Posix.status(folder), isDirectory(info) else {
            throw .unsafeRoom("\(folder) is not a folder (a link or a file)")
        }
        let holder = credentials.owner(folder, info)
        guard holder == owner else {
            throw .unsafeRoom("\(folder) belongs to \(Posix.userName(holder) ?? "uid \(holder)")")
        }
        guard mode(info) & 0o022 == 0 else { throw .unsafeRoom("\(folder) is writable by other users") }
    }

    /// The presenter's side: makes (or reuses a stale) room folder for `code`, listens on its socket with the
    /// permissions `group` asks for, and returns the socket's path and descriptor.
    static func open(_ options: RoomOptions, _ code: JoinCode) throws(ClassError) -> (path: String, fd: Int32) {
        let credentials = options.credentials
        let me = credentials.me
        let (folder, socket) = paths(options.directory, code)
        if let reason = tooLong(socket) { throw .cannotListen(reason) }
        var groupID: gid_t?
        if let group = options.group {
            guard let found = Posix.groupID(group) else { throw .cannotListen("no Unix group named \"\(group)\"") }
            groupID = found
        }
        if Posix.status(options.directory) == nil {
            guard mkdir(options.directory, 0o700) == 0 || errno == EEXIST else {
                throw .cannotListen("cannot create \(options.directory): \(Posix.lastError)")
            }
            if let info = Posix.status(options.directory), credentials.owner(options.directory, info) == me {
                _ = chmod(options.directory, 0o1733)
            }
        }
        try checkShared(options.directory, owner: me, credentials)
        if Posix.status(folder) != nil {
            try checkRoom(folder, owner: me, credentials)
            if let fd = Posix.connectUnix(socket).fd {
                close(fd)
                throw .cannotListen("a room with the code \(code) is already open")
            }
            _ = unlink(socket)
        } else if mkdir(folder, 0o700) != 0 {
            throw .cannotListen("cannot create \(folder): \(Posix.lastError)")
        }
        try checkRoom(folder, owner: me, credentials)
        if let groupID {
            guard chown(folder, uid_t.max, groupID) == 0 else {
                throw .cannotListen("cannot give \(folder) to the group \(options.group ?? ""): \(Posix.lastError)")
            }
        }
        // The socket gets its mode while the folder is still closed to everyone else.
        let fd = try Posix.listenUnix(socket)
        if let groupID { _ = chown(socket, uid_t.max, groupID) }
        _ = chmod(socket, groupID == nil ? 0o666 : 0o660)
        _ = chmod(folder, groupID == nil ? 0o755 : 0o750)
        return (socket, fd)
    }

    /// Removes a room's socket and folder (the presenter's side, on closing).
    static func remove(socket: String) {
        _ = unlink(socket)
        _ = rmdir((socket as NSString).deletingLastPathComponent)
    }

    /// The follower's side: checks the room of `code` under `directory` and connects to it.
    /// - Returns: the connected descriptor and the presenter's uid.
    static func connect(
        _ directory: String, _ code: JoinCode,
        _ credentials: Credentials = .real
    ) throws(ClassError) -> (fd: Int32, owner: uid_t) {
        let (folder, socket) = paths(directory, code)
        if let reason = tooLong(socket) { throw .connectionFailed(reason) }
        guard let folderInfo = Posix.status(folder) else { throw .noSuchRoom(code) }
        let owner = credentials.owner(folder, folderInfo)
        try checkRoom(folder, owner: owner, credentials)
        try checkShared(directory, owner: owner, credentials)
        guard let socketInfo = Posix.status(socket) else {
            if errno == EACCES { throw .connectionFailed(groupOnly) }
            throw .noSuchRoom(code)
        }
        guard socketInfo.st_mode & S_IFMT == S_IFSOCK, credentials.owner(socket, socketInfo) == owner else {
            throw .unsafeRoom("\(socket) is not a socket of the room's owner")
        }
        let connected = Posix.connectUnix(socket)
        if let fd = connected.fd {
            guard credentials.peer(fd) == owner else {
                close(fd)
                throw .unsafeRoom("the process behind \(socket) is not the room's owner")
            }
            return (fd, owner)
        }
        switch connected.failure {
        case ENOENT, ECONNREFUSED: throw .noSuchRoom(code)
        case EACCES: throw .connectionFailed(groupOnly)
        case let failure: throw .connectionFailed("\(socket): \(String(cString: strerror(failure)))")
        }
    }
}

/// Whose files and connections these are, as class mode decides it: this process's uid, a file's owner, the uid
/// behind a Unix socket. `real` asks the kernel (getuid, lstat's st_uid, SO_PEERCRED); a test may hand in a view in
/// which a folder, a socket or a peer belongs to another user, which only root could otherwise arrange.
struct Credentials: Sendable {
    /// The uid a presenter opens rooms as.
    var me: uid_t
    /// The owner of the entry at a path, given its lstat.
    var owner: @Sendable (_ path: String, _ info: stat) -> uid_t
    /// The uid of the process at the other end of a connected Unix socket.
    var peer: @Sendable (_ fd: Int32) -> uid_t?

    /// The kernel's answers.
    static var real: Credentials {
        Credentials(me: getuid(), owner: { _, info in info.st_uid }, peer: { Posix.peerUID($0) })
    }
}
