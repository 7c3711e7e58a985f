import Foundation
import Testing

@testable import UnrollClass

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Class rooms: TCP and the room folder's permissions")
struct ClassTransportTests {
    static let code = "K7QD-7Q4K-M2XD"

    static func tcpRoom(_ folder: TempFolder, names: Bool = false) throws -> (ClassRoom, Wakes) {
        let wakes = Wakes()
        let room = try ClassRoom(
            options: RoomOptions(directory: folder.path, listen: "127.0.0.1:0", names: names),
            code: try #require(JoinCode(code)), lesson: Data("tcp lesson".utf8), wake: wakes.wake)
        return (room, wakes)
    }

    @Test func tcpWithTheRightCodeJoinsAndTheWrongOneIsRefused() throws {
        let folder = try TempFolder()
        let (room, roomWakes) = try Self.tcpRoom(folder, names: true)
        defer { room.close() }
        let address = try #require(room.tcpAddress)
        #expect(address.hasPrefix("127.0.0.1:") && address != "127.0.0.1:0")
        #expect(room.address == "\(room.socketPath) and \(address)")
        room.publish(state: Data("over tcp".utf8))
        let wakes = Wakes()
        let follower = try ClassFollower.join(
            code: try #require(JoinCode(Self.code)),
            options: JoinOptions(directory: "/nonexistent", connect: address),
            wake: wakes.wake)
        defer { follower.leave() }
        #expect(follower.lesson == Data("tcp lesson".utf8))
        // Over TCP the presenter's name is only what the room says: marked as claimed (D6).
        #expect(follower.presenter == "\(testUserName) (claimed)")
        #expect(wakes.wait { follower.latest?.state == Data("over tcp".utf8) })
        #expect(roomWakes.wait { room.status.joined == 1 })
        room.openQuestion(id: 1, choices: 2)
        // Over TCP the name is only what the follower says: marked as claimed.
        #expect(room.status.waitingFor == ["\(testUserName) (claimed)"])
        var wrong: ClassError?
        do {
            _ = try ClassFollower.join(
                code: try #require(JoinCode("K7QD-7Q4K-M2XE")),
                options: JoinOptions(connect: address), wake: {})
        } catch { wrong = error as? ClassError }
        #expect(wrong == .wrongCode)
        #expect(room.status.joined == 1)
        room.close()
        #expect(wakes.wait { follower.ended != nil })
        #expect(follower.ended == .presenterEnded)
    }

    @Test func claimedNamesAreSanitisedAndCut() throws {
        let folder = try TempFolder()
        let (room, roomWakes) = try Self.tcpRoom(folder, names: true)
        defer { room.close() }
        let peer = try RawPeer(tcp: try #require(room.tcpAddress))
        defer { peer.close() }
        peer.send(try peer.hello("K7QD7Q4KM2XD", name: "evil\u{1B}[2Jname-that-is-way-too-long-for-the-limit"))
        #expect(roomWakes.wait { room.status.joined == 1 })
        room.openQuestion(id: 0, choices: 2)
        // Cut first, then marked: 21 characters, the ellipsis and " (claimed)" make the 32 a screen keeps, so the
        // marker is never cut off (D7).
        #expect(room.status.waitingFor == ["evil?[2Jname-that-is-… (claimed)"])
        let shown = try #require(room.status.waitingFor.first)
        #expect(shown.count == ClassLimits.nameCharacters)
    }

    @Test func aTCPAddressNobodyListensOnFailsClearly() throws {
        let folder = try TempFolder()
        let (room, _) = try Self.tcpRoom(folder)
        let address = try #require(room.tcpAddress)
        room.close()
        var failure: ClassError?
        do {
            _ = try ClassFollower.join(code: room.code, options: JoinOptions(connect: address), wake: {})
        } catch { failure = error }
        #expect(failure == .connectionFailed("\(address): Connection refused"))
        #expect(failure?.description == "cannot join the room: \(address): Connection refused")
    }

    @Test func noTCPUnlessAsked() throws {
        let folder = try TempFolder()
        let room = try ClassRoom(
            options: RoomOptions(directory: folder.path),
            code: try #require(JoinCode(Self.code)), lesson: Data(), wake: {})
        defer { room.close() }
        #expect(room.tcpAddress == nil)
        #expect(room.address == room.socketPath)
    }

    @Test(
        "bad listen addresses are refused", arguments: ["localhost", "127.0.0.1:99999", ":80", "no.such.host.invalid:1"]
    )
    func badListenAddress(_ listen: String) throws {
        let folder = try TempFolder()
        var failure: ClassError?
        do {
            _ = try ClassRoom(options: RoomOptions(directory: folder.path, listen: listen), lesson: Data(), wake: {})
        } catch { failure = error }
        guard case .cannotListen = try #require(failure) else {
            Issue.record("expected cannotListen, got \(String(describing: failure))")
            return
        }
    }

    @Test func aWritableRoomFolderIsRefusedByTheFollower() throws {
        let folder = try TempFolder()
        let room = try ClassRoom(
            options: RoomOptions(directory: folder.path),
            code: try #require(JoinCode(Self.code)), lesson: Data(), wake: {})
        defer { room.close() }
        let roomFolder = (room.socketPath as NSString).deletingLastPathComponent
        var info = stat()
        #expect(lstat(roomFolder, &info) == 0 && info.st_mode & 0o777 == 0o755)
        #expect(lstat(room.socketPath, &info) == 0 && info.st_mode & 0o777 == 0o666)
        chmod(roomFolder, 0o777)
        var refused: ClassError?
        do { _ = try ClassFollower.join(code: room.code, options: JoinOptions(directory: folder.path), wake: {}) } catch
        { refused = error }
        #expect(refused == .unsafeRoom("\(roomFolder) is writable by other users"))
        chmod(roomFolder, 0o755)
    }

    @Test func aRoomFolderThatIsALinkIsRefused() throws {
        let folder = try TempFolder()
        let elsewhere = try TempFolder()
        let code = try #require(JoinCode(Self.code))
        let room = try ClassRoom(options: RoomOptions(directory: elsewhere.path), code: code, lesson: Data(), wake: {})
        defer { room.close() }
        let roomFolder = (room.socketPath as NSString).deletingLastPathComponent
        let link = (folder.path as NSString).appendingPathComponent((roomFolder as NSString).lastPathComponent)
        #expect(symlink(roomFolder, link) == 0)
        var refused: ClassError?
        do { _ = try ClassFollower.join(code: code, options: JoinOptions(directory: folder.path), wake: {}) } catch {
            refused = error
        }
        #expect(refused == .unsafeRoom("\(link) is not a folder (a link or a file)"))
    }

    @Test func aSharedFolderWritableByAllWithoutTheStickyBitIsRefused() throws {
        let folder = try TempFolder()
        chmod(folder.path, 0o777)
        var refused: ClassError?
        do { _ = try ClassRoom(options: RoomOptions(directory: folder.path), lesson: Data(), wake: {}) } catch {
            refused = error
        }
        #expect(
            refused
                == .unsafeRoom("\(folder.path) is writable by others without the sticky bit (chmod +t \(folder.path))"))
        chmod(folder.path, 0o1777)
        let room = try ClassRoom(options: RoomOptions(directory: folder.path), lesson: Data(), wake: {})
        room.close()
    }

    @Test func aMissingSharedFolderIsCreatedListableByNobodyElse() throws {
        let folder = try TempFolder()
        let shared = (folder.path as NSString).appendingPathComponent("class")
        let room = try ClassRoom(options: RoomOptions(directory: shared), lesson: Data(), wake: {})
        defer { room.close() }
        var info = stat()
        #expect(lstat(shared, &info) == 0 && info.st_mode & 0o7777 == 0o1733)
        // The room folder's name does not show the code's secret.
        #expect(!room.socketPath.contains(String(room.code.symbols.dropFirst(JoinCode.roomLength))))
    }

    @Test func aGroupRoomIsClosedToOthers() throws {
        let folder = try TempFolder()
        let groupName = try #require(getgrgid(getgid()).map { String(cString: $0.pointee.gr_name) })
        let room = try ClassRoom(
            options: RoomOptions(directory: folder.path, group: groupName),
            code: try #require(JoinCode(Self.code)), lesson: Data(), wake: {})
        defer { room.close() }
        let roomFolder = (room.socketPath as NSString).deletingLastPathComponent
        var info = stat()
        #expect(lstat(roomFolder, &info) == 0 && info.st_mode & 0o777 == 0o750 && info.st_gid == getgid())
        #expect(lstat(room.socketPath, &info) == 0 && info.st_mode & 0o777 == 0o660 && info.st_gid == getgid())
        var failure: ClassError?
        do {
            _ = try ClassRoom(
                options: RoomOptions(directory: folder.path, group: "no-such-group-xyz"), lesson: Data(), wake: {})
        } catch { failure = error }
        #expect(failure == .cannotListen("no Unix group named \"no-such-group-xyz\""))
    }
}

/// Rooms that look like another user's, for any user: the checks see the kernel's answers through a view
/// (`Credentials`) in which a folder, a socket or a peer belongs to `otherUID`, as only root could arrange for real
/// (`ClassImpostorRootTests` does, as root). The sockets, folders and connections are real.
@Suite("Class rooms: impostors (any user)")
struct ClassImpostorTests {
    /// A live room socket of this process, under `code`, in `folder`.
    static func liveRoom(_ folder: TempFolder, _ code: JoinCode) throws -> (folder: String, socket: String, fd: Int32) {
        let opened = try RoomFolder.open(RoomOptions(directory: folder.path), code)
        return ((opened.path as NSString).deletingLastPathComponent, opened.path, opened.fd)
    }

    @Test func theRealChecksSeeThisUser() throws {
        // The view the other tests change starts from the kernel's: this process, its files, its own peers.
        let folder = try TempFolder()
        let code = try #require(JoinCode("K7QD-7Q4K-M2XD"))
        let room = try Self.liveRoom(folder, code)
        defer { close(room.fd) }
        let real = Credentials.real
        #expect(real.me == getuid())
        var info = stat()
        #expect(lstat(room.socket, &info) == 0)
        #expect(real.owner(room.socket, info) == getuid() && info.st_uid == getuid())
        let peer = try RawPeer(unix: room.socket)
        defer { peer.close() }
        #expect(real.peer(peer.fd) == getuid(), "SO_PEERCRED of a connection this process made")
        #expect(otherUID != getuid())
    }

    @Test func aSocketServedByAnotherUserThanTheFoldersOwnerIsRefused() throws {
        // The folder and socket look like otherUID's (chown -R); the process serving the socket is this one.
        let folder = try TempFolder()
        let code = try #require(JoinCode("K7QD-7Q4K-M2XD"))
        let room = try Self.liveRoom(folder, code)
        defer { close(room.fd) }
        var options = JoinOptions(directory: folder.path)
        options.credentials = .view(under: folder.path, belongingTo: otherUID)
        var refused: ClassError?
        do { _ = try ClassFollower.join(code: code, options: options, wake: {}) } catch { refused = error }
        #expect(refused == .unsafeRoom("the process behind \(room.socket) is not the room's owner"))
    }

    @Test func aPeerOfAnotherUserThanTheFoldersOwnerIsRefused() throws {
        // The files are this user's; the process behind the socket looks like otherUID's.
        let folder = try TempFolder()
        let code = try #require(JoinCode("K7QD-7Q4K-M2XD"))
        let room = try Self.liveRoom(folder, code)
        defer { close(room.fd) }
        var options = JoinOptions(directory: folder.path)
        options.credentials = .view(peersAre: otherUID)
        var refused: ClassError?
        do { _ = try ClassFollower.join(code: code, options: options, wake: {}) } catch { refused = error }
        #expect(refused == .unsafeRoom("the process behind \(room.socket) is not the room's owner"))
    }

    @Test func aSocketOwnedByAnotherUserThanTheFoldersOwnerIsRefused() throws {
        let folder = try TempFolder()
        let code = try #require(JoinCode("K7QD-7Q4K-M2XD"))
        let room = try Self.liveRoom(folder, code)
        defer { close(room.fd) }
        var options = JoinOptions(directory: folder.path)
        options.credentials = .view(paths: [room.socket], belongingTo: otherUID)
        var refused: ClassError?
        do { _ = try ClassFollower.join(code: code, options: options, wake: {}) } catch { refused = error }
        #expect(refused == .unsafeRoom("\(room.socket) is not a socket of the room's owner"))
    }

    @Test func aRoomFolderOfAnotherUserIsRefusedByThePresenter() throws {
        // A stale room folder for the code, left by another user: the presenter does not reuse it.
        let folder = try TempFolder()
        let code = try #require(JoinCode("K7QD-7Q4K-M2XD"))
        let roomFolder = folder.path + "/K7QD" // the room id of K7QD-7Q4K-M2XD: its first four symbols
        #expect(mkdir(roomFolder, 0o755) == 0)
        var options = RoomOptions(directory: folder.path)
        options.credentials = .view(paths: [roomFolder], belongingTo: otherUID)
        var refused: ClassError?
        do { _ = try ClassRoom(options: options, code: code, lesson: Data(), wake: {}) } catch { refused = error }
        #expect(refused == .unsafeRoom("\(roomFolder) belongs to \(accountName(otherUID))"))
    }

    @Test func aSharedFolderOfAnotherUserIsRefusedByThePresenter() throws {
        let folder = try TempFolder()
        var options = RoomOptions(directory: folder.path)
        options.credentials = .view(paths: [folder.path], belongingTo: otherUID)
        var refused: ClassError?
        do { _ = try ClassRoom(options: options, lesson: Data(), wake: {}) } catch { refused = error }
        #expect(
            refused
                == .unsafeRoom(
                    "\(folder.path) belongs to \(accountName(otherUID)), who could replace rooms in it; "
                        + "create it as root (sudo install -d -m 1733 \(folder.path)) or set UNROLL_CLASS_DIR"))
    }

    @Test func aSharedFolderOfAThirdUserIsRefusedByTheFollower() throws {
        // The room is this user's, the shared folder above it another's (not root's): that user could swap rooms.
        let folder = try TempFolder()
        let code = try #require(JoinCode("K7QD-7Q4K-M2XD"))
        let room = try Self.liveRoom(folder, code)
        defer { close(room.fd) }
        var options = JoinOptions(directory: folder.path)
        options.credentials = .view(paths: [folder.path], belongingTo: otherUID)
        var refused: ClassError?
        do { _ = try ClassFollower.join(code: code, options: options, wake: {}) } catch { refused = error }
        #expect(
            refused
                == .unsafeRoom(
                    "\(folder.path) belongs to \(accountName(otherUID)), who could replace rooms in it; "
                        + "create it as root (sudo install -d -m 1733 \(folder.path)) or set UNROLL_CLASS_DIR"))
    }
}

/// The same impostors for real: only root can give files away, so these need root (the lab machine's tests run as
/// root); `ClassImpostorTests` checks the same decisions as any user.
@Suite(
    "Class rooms: impostors (as root, files really given away)",
    .enabled(if: getuid() == 0, "needs root to chown; ClassImpostorTests covers the same checks as any user"))
struct ClassImpostorRootTests {
    static let nobody: uid_t = 65534

    /// A live room socket of this (root) process, under `code`, in `folder`.
    static func rootRoom(_ folder: TempFolder, _ code: JoinCode) throws -> (folder: String, socket: String, fd: Int32) {
        try ClassImpostorTests.liveRoom(folder, code)
    }

    @Test func aSocketServedByAnotherUserThanTheFoldersOwnerIsRefused() throws {
        let folder = try TempFolder()
        let code = try #require(JoinCode("K7QD-7Q4K-M2XD"))
        let room = try Self.rootRoom(folder, code)
        defer { close(room.fd) }
        #expect(chown(room.folder, Self.nobody, gid_t.max) == 0 && chown(room.socket, Self.nobody, gid_t.max) == 0)
        var refused: ClassError?
        do { _ = try ClassFollower.join(code: code, options: JoinOptions(directory: folder.path), wake: {}) } catch {
            refused = error
        }
        #expect(refused == .unsafeRoom("the process behind \(room.socket) is not the room's owner"))
    }

    @Test func aSocketOwnedByAnotherUserThanTheFoldersOwnerIsRefused() throws {
        let folder = try TempFolder()
        let code = try #require(JoinCode("K7QD-7Q4K-M2XD"))
        let room = try Self.rootRoom(folder, code)
        defer { close(room.fd) }
        #expect(chown(room.socket, Self.nobody, gid_t.max) == 0)
        var refused: ClassError?
        do { _ = try ClassFollower.join(code: code, options: JoinOptions(directory: folder.path), wake: {}) } catch {
            refused = error
        }
        #expect(refused == .unsafeRoom("\(room.socket) is not a socket of the room's owner"))
    }

    @Test func aSharedFolderOfAnotherUserIsRefusedByThePresenter() throws {
        let folder = try TempFolder()
        #expect(chown(folder.path, Self.nobody, gid_t.max) == 0)
        var refused: ClassError?
        do { _ = try ClassRoom(options: RoomOptions(directory: folder.path), lesson: Data(), wake: {}) } catch {
            refused = error
        }
        guard case .unsafeRoom(let reason) = try #require(refused) else {
            Issue.record("expected unsafeRoom, got \(String(describing: refused))")
            return
        }
        #expect(reason.hasPrefix("\(folder.path) belongs to "))
        #expect(
            reason.hasSuffix(
                "who could replace rooms in it; create it as root (sudo install -d -m 1733 \(folder.path)) or set UNROLL_CLASS_DIR"
            ))
    }
}

/// Another user joins: the name a room records is the one SO_PEERCRED gives for the connection, never the one the
/// hello claims. As any user, with this process's own connections and a view in which the peer is another user.
@Suite("Class rooms: another user joins (any user)")
struct ClassOtherUserTests {
    @Test func theNameIsTheSocketsRealUserNotTheOneItClaims() throws {
        let folder = try TempFolder()
        let wakes = Wakes()
        let room = try ClassRoom(
            options: RoomOptions(directory: folder.path, names: true),
            code: try #require(JoinCode("K7QD-7Q4K-M2XD")), lesson: Data(), wake: wakes.wake)
        defer { room.close() }
        // The peer claims another account's name (root's, or nobody's when the tests run as root).
        let claimed = accountName(getuid() == 0 ? 65534 : 0)
        #expect(claimed != testUserName)
        let peer = try RawPeer(unix: room.socketPath)
        defer { peer.close() }
        peer.send(try peer.hello("K7QD7Q4KM2XD", name: claimed))
        #expect(wakes.wait { room.status.joined == 1 })
        room.openQuestion(id: 0, choices: 2)
        #expect(room.status.waitingFor == [testUserName])
    }

    @Test func aPeerOfAnotherUserIsShownByThatUsersName() throws {
        // The follower is unroll's own, and says hello with this user's name; its connection's credentials say
        // otherUID: the room shows otherUID's account name.
        let folder = try TempFolder()
        let wakes = Wakes()
        var options = RoomOptions(directory: folder.path, names: true)
        options.credentials = .view(peersAre: otherUID)
        let code = try #require(JoinCode("K7QD-7Q4K-M2XD"))
        let room = try ClassRoom(options: options, code: code, lesson: Data(), wake: wakes.wake)
        defer { room.close() }
        let follower = try ClassFollower.join(code: code, options: JoinOptions(directory: folder.path), wake: {})
        defer { follower.leave() }
        #expect(wakes.wait { room.status.joined == 1 })
        room.openQuestion(id: 0, choices: 2)
        #expect(room.status.waitingFor == [accountName(otherUID)])
        #expect(accountName(otherUID) != testUserName)
    }
}

/// A follower of another user for real, as a class has them: only root can start one (setpriv).
@Suite(
    "Class rooms: another user joins (as root, a real process of uid 65534)",
    .enabled(
        if: getuid() == 0, "needs root to run a process as another user; ClassOtherUserTests covers it as any user"))
struct ClassOtherUserRootTests {
    @Test func theNameIsThePeersUserNotTheOneItClaims() throws {
        // setpriv (util-linux) and perl (perl-base) are both essential packages on Debian and Ubuntu.
        try #require(
            FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), "as root this test needs /usr/bin/setpriv"
        )
        try #require(
            FileManager.default.isExecutableFile(atPath: "/usr/bin/perl"), "as root this test needs /usr/bin/perl")
        let folder = try TempFolder()
        chmod(folder.path, 0o755)
        let wakes = Wakes()
        let room = try ClassRoom(
            options: RoomOptions(directory: folder.path, names: true),
            code: try #require(JoinCode("K7QD-7Q4K-M2XD")), lesson: Data(), wake: wakes.wake)
        defer { room.close() }
        // A raw client run as uid 65534 that says hello claiming to be "root", then waits for the room to close.
        let proof = try #require(JoinCode("K7QD-7Q4K-M2XD")).helloProof()
        let hello = FollowerMessage.hello(proof: proof, name: "root").frame.map(String.init).joined(separator: ",")
        let script = """
            use Socket;
            socket(my $s, PF_UNIX, SOCK_STREAM, 0) or die "socket: $!";
            connect($s, pack_sockaddr_un($ARGV[0])) or die "connect: $!";
            my $hello = pack("C*", split(/,/, $ARGV[1]));
            syswrite($s, $hello) == length($hello) or die "write: $!";
            while (sysread($s, my $buffer, 4096)) {}
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = [
            "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/perl", "-e", script,
            room.socketPath, hello
        ]
        try process.run()
        #expect(wakes.wait { room.status.joined == 1 })
        room.openQuestion(id: 0, choices: 2)
        // The expected name is the account database's for uid 65534 (getent passwd 65534), not the code's.
        let expected = accountName(65534)
        #expect(room.status.waitingFor == [expected])
        #expect(expected != "root")
        room.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}

/// A room's socket path (UNROLL_CLASS_DIR/ROOM/room.sock) must fit a Unix socket address: Linux's sun_path is 108
/// bytes (man 7 unix), so at most 107 bytes of path, and the room adds 15 ("/" + the 4-symbol room id +
/// "/room.sock"): a folder of at most 92 bytes. One byte more is refused, by the presenter and by the student, before anything is made.
@Suite("Class rooms: socket paths that do not fit")
struct ClassSocketPathTests {
    /// The room id of K7QD-7Q4K-M2XD (its first four symbols): the room folder's name.
    static let roomName = "K7QD"

    /// A folder path of exactly `bytes` bytes inside `folder` (not created).
    static func directory(_ folder: TempFolder, bytes: Int) throws -> String {
        let padding = bytes - folder.path.utf8.count - 1
        try #require(padding > 0)
        let directory = folder.path + "/" + String(repeating: "d", count: padding)
        try #require(directory.utf8.count == bytes)
        return directory
    }

    /// The reason both sides give for `directory`, written out from the numbers above.
    static func reason(_ directory: String) -> String {
        let socket = directory + "/" + roomName + "/room.sock"
        return
            "the room's socket path \(socket) is \(socket.utf8.count) bytes, more than the 107 a Unix socket path can "
            + "hold; set UNROLL_CLASS_DIR to a shorter folder (at most 92 bytes, e.g. /tmp/unroll-class)"
    }

    @Test func aFolderOf93BytesIsRefusedByThePresenterWithItsNumbers() throws {
        let folder = try TempFolder()
        let directory = try Self.directory(folder, bytes: 93)
        let code = try #require(JoinCode("K7QD-7Q4K-M2XD"))
        var refused: ClassError?
        do { _ = try ClassRoom(options: RoomOptions(directory: directory), code: code, lesson: Data(), wake: {}) } catch
        { refused = error }
        #expect(refused == .cannotListen(Self.reason(directory)))
        #expect(Self.reason(directory).contains(" is 108 bytes, "))
        #expect(refused?.description == "cannot open the room: " + Self.reason(directory))
        #expect(!FileManager.default.fileExists(atPath: directory), "refused before anything was made")
    }

    @Test func aLongFolderIsRefusedByTheStudentWithItsNumbers() throws {
        let folder = try TempFolder()
        let directory = try Self.directory(folder, bytes: 150)
        let code = try #require(JoinCode("K7QD-7Q4K-M2XD"))
        var refused: ClassError?
        do { _ = try ClassFollower.join(code: code, options: JoinOptions(directory: directory), wake: {}) } catch {
            refused = error
        }
        #expect(refused == .connectionFailed(Self.reason(directory)))
        #expect(Self.reason(directory).contains(" is 165 bytes, "))
        #expect(refused?.description == "cannot join the room: " + Self.reason(directory))
    }

    @Test func aFolderOf92BytesStillWorks() throws {
        let folder = try TempFolder()
        let directory = try Self.directory(folder, bytes: 92)
        let code = try #require(JoinCode("K7QD-7Q4K-M2XD"))
        let room = try ClassRoom(
            options: RoomOptions(directory: directory), code: code, lesson: Data("fits".utf8), wake: {})
        defer { room.close() }
        #expect(room.socketPath == directory + "/" + Self.roomName + "/room.sock")
        #expect(room.socketPath.utf8.count == 107)
        let follower = try ClassFollower.join(code: code, options: JoinOptions(directory: directory), wake: {})
        defer { follower.leave() }
        #expect(follower.lesson == Data("fits".utf8))
    }
}

extension ClassTransportTests {
    @Test("Over TCP the presenter sees each seat (address, claimed name, joined time) and drops one; it is told why")
    func thePresenterSeesAndDropsASeat() throws {
        let folder = try TempFolder()
        let (room, roomWakes) = try Self.tcpRoom(folder)
        defer { room.close() }
        let address = try #require(room.tcpAddress)
        let before = Date()
        let first = try RawPeer(tcp: address)
        defer { first.close() }
        first.send(try first.hello(Self.code, name: "mallory"))
        #expect(roomWakes.wait { room.status.joined == 1 })
        let wakes = Wakes()
        let second = try ClassFollower.join(
            code: try #require(JoinCode(Self.code)), options: JoinOptions(connect: address), wake: wakes.wake)
        defer { second.leave() }
        #expect(roomWakes.wait { room.status.joined == 2 })
        let seats = room.seats
        try #require(seats.count == 2, "\(seats)")
        // In the order they joined; the address is the peer's numeric one, the name as claimed, marked so.
        #expect(seats.map(\.address) == ["address 127.0.0.1", "address 127.0.0.1"])
        #expect(seats.map(\.name) == ["mallory (claimed)", "\(testUserName) (claimed)"])
        #expect(seats.allSatisfy { $0.joined >= before.addingTimeInterval(-1) && $0.joined <= Date() })
        // The presenter drops the first seat: it is told why and disconnected, the other stays and is fed.
        room.drop(seat: seats[0].id)
        let told = first.readUntilClosed()
        #expect(told.closed)
        #expect(try RawPeer.messages(told.bytes).last == .dropped(ClassRoom.droppedByPresenter))
        #expect(roomWakes.wait { room.status.joined == 1 })
        #expect(room.seats.map(\.name) == ["\(testUserName) (claimed)"])
        room.publish(state: Data("still here".utf8))
        #expect(wakes.wait { second.latest?.state == Data("still here".utf8) })
        #expect(second.ended == nil)
        // A follower dropped through the library is told the same words.
        room.drop(seat: try #require(room.seats.first).id)
        #expect(wakes.wait { second.ended != nil })
        #expect(second.ended == .dropped("the presenter removed you from the class"))
        #expect(roomWakes.wait { room.status.joined == 0 })
    }
}
