import Foundation
import Testing

@testable import UnrollClass

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Class rooms over Unix sockets")
struct ClassRoomTests {
    static let code = "K7QD-7Q4K-M2XD"

    /// A room in a fresh folder under the test code, and its wakes.
    static func openRoom(
        _ folder: TempFolder, limit: Int = 100, names: Bool = false,
        helloTimeout: Duration = .seconds(5), lesson: String = "lesson one", students: Bool = false
    ) throws -> (ClassRoom, Wakes) {
        let wakes = Wakes()
        var options = RoomOptions(directory: folder.path, limit: limit, names: names, helloTimeout: helloTimeout)
        // Every follower another student (`Credentials.everyConnectionAnotherUser`); else all are this test user,
        // who holds one seat however often they join (issue 24, D2/D3).
        if students { options.credentials = .everyConnectionAnotherUser }
        let room = try ClassRoom(
            options: options,
            code: try #require(JoinCode(code)), lesson: Data(lesson.utf8), wake: wakes.wake)
        return (room, wakes)
    }

    static func join(_ folder: TempFolder, code: String = code) throws -> (ClassFollower, Wakes) {
        let wakes = Wakes()
        let follower = try ClassFollower.join(
            code: try #require(JoinCode(code)),
            options: JoinOptions(directory: folder.path), wake: wakes.wake)
        return (follower, wakes)
    }

    /// The error `body` throws, nil when it throws none.
    static func classError(_ body: () throws -> Void) -> ClassError? {
        do { try body() } catch { return error as? ClassError }
        return nil
    }

    @Test func joinReceivesLessonAndStatesInOrder() throws {
        let folder = try TempFolder()
        let (room, roomWakes) = try Self.openRoom(folder)
        defer { room.close() }
        room.publish(state: Data("s1".utf8))
        let (follower, wakes) = try Self.join(folder)
        defer { follower.leave() }
        #expect(follower.lesson == Data("lesson one".utf8))
        #expect(follower.presenter == testUserName)
        // Joining mid-lesson gets the current state at once.
        #expect(wakes.wait { follower.latest?.state == Data("s1".utf8) })
        #expect(roomWakes.wait { room.status.joined == 1 })
        room.publish(state: Data("s2".utf8))
        #expect(wakes.wait { follower.latest?.state == Data("s2".utf8) })
        let second = try #require(follower.latest?.sequence)
        room.publish(state: Data("s3".utf8))
        #expect(wakes.wait { follower.latest?.state == Data("s3".utf8) })
        #expect(try #require(follower.latest?.sequence) > second)
        #expect(follower.ended == nil)
        follower.leave()
        #expect(roomWakes.wait { room.status.joined == 0 })
    }

    @Test func aFollowerThatDoesNotReadSkipsToTheNewestStateAndHoldsNobodyUp() throws {
        let folder = try TempFolder()
        let (room, _) = try Self.openRoom(folder)
        defer { room.close() }
        let slow = try RawPeer(unix: room.socketPath)
        defer { slow.close() }
        slow.send(try slow.hello("K7QD7Q4KM2XD"))
        let welcomed = try slow.messages { $0.count == 1 }
        #expect(welcomed.messages == [.welcome(presenter: testUserName, lesson: Data("lesson one".utf8))])
        // 200 states of 60 KiB (12 MB) while the slow follower reads nothing: far more than a socket buffer holds.
        let published = 200
        for index in 1...published { room.publish(state: Data(repeating: UInt8(index), count: 60 << 10)) }
        let (follower, wakes) = try Self.join(folder)
        defer { follower.leave() }
        #expect(wakes.wait { follower.latest?.state == Data(repeating: UInt8(published), count: 60 << 10) })
        let last: (([RoomMessage]) -> Bool) = { messages in
            if case .state(_, let state) = messages.last { return state.first == UInt8(published) }
            return false
        }
        let received = try slow.messages(seconds: 10, until: last)
        #expect(last(received.messages))
        let sequences = received.messages.compactMap { message -> UInt64? in
            if case .state(let sequence, _) = message { return sequence }
            return nil
        }
        #expect(sequences == sequences.sorted() && Set(sequences).count == sequences.count)
        #expect(sequences.count < published / 2, "coalesced: \(sequences.count) states sent for \(published)")
    }

    @Test func sixtyFollowersEachEndOnTheNewestStateAndAnswerOnce() throws {
        let folder = try TempFolder()
        let (room, roomWakes) = try Self.openRoom(folder, students: true)
        defer { room.close() }
        let class60 = try (0..<60).map { _ in try Self.join(folder) }
        defer { for (follower, _) in class60 { follower.leave() } }
        #expect(roomWakes.wait { room.status.joined == 60 })
        for step in 1...100 { room.publish(state: Data("step \(step)".utf8)) }
        for (follower, wakes) in class60 {
            #expect(wakes.wait { follower.latest?.state == Data("step 100".utf8) })
        }
        room.openQuestion(id: 1, choices: 4)
        for (index, (follower, _)) in class60.enumerated() { follower.answer(question: 1, choice: index % 4) }
        #expect(roomWakes.wait { room.status.answered == 60 })
        #expect(room.status.histogram == [15, 15, 15, 15])
    }

    @Test func answersCountOncePerFollowerAndOnlyForTheOpenQuestion() throws {
        let folder = try TempFolder()
        let (room, roomWakes) = try Self.openRoom(folder, students: true)
        defer { room.close() }
        let (alice, _) = try Self.join(folder)
        defer { alice.leave() }
        let bob = try RawPeer(unix: room.socketPath)
        defer { bob.close() }
        bob.send(try bob.hello("K7QD7Q4KM2XD"))
        #expect(try bob.messages { $0.count == 1 }.messages.count == 1)
        #expect(roomWakes.wait { room.status.joined == 2 })
        room.openQuestion(id: 3, choices: 3)
        alice.answer(question: 3, choice: 1)
        alice.answer(question: 3, choice: 2)
        // Out of range (3 of 3 choices) and another question's id: dropped, not a disconnect.
        bob.send(
            FollowerMessage.answer(question: 3, choice: 3).frame + FollowerMessage.answer(question: 7, choice: 0).frame
                + FollowerMessage.answer(question: 3, choice: 0).frame)
        #expect(roomWakes.wait { room.status.answered == 2 })
        // Alice's second answer came before Bob's last on no known order: close the question and ask another of
        // her to be sure hers were all handled.
        room.closeQuestion()
        bob.send(FollowerMessage.answer(question: 3, choice: 2).frame)
        room.openQuestion(id: 4, choices: 2)
        alice.answer(question: 4, choice: 1)
        bob.send(FollowerMessage.answer(question: 4, choice: 0).frame)
        #expect(roomWakes.wait { room.status.answered == 2 })
        #expect(room.status == RoomStatus(joined: 2, question: 4, isOpen: true, answered: 2, histogram: [1, 1]))
        room.openQuestion(id: 3, choices: 3)
        room.closeQuestion()
        #expect(room.status == RoomStatus(joined: 2, question: 3, isOpen: false, answered: 2, histogram: [1, 1, 0]))
        #expect(alice.ended == nil)
        #expect(room.status.joined == 2)
    }

    @Test func aFollowerThatLeavesAfterAnsweringStaysInTheHistogramNotInAnswered() throws {
        let folder = try TempFolder()
        let (room, roomWakes) = try Self.openRoom(folder, students: true)
        defer { room.close() }
        let (alice, _) = try Self.join(folder)
        defer { alice.leave() }
        let (bob, _) = try Self.join(folder)
        #expect(roomWakes.wait { room.status.joined == 2 })
        room.openQuestion(id: 1, choices: 2)
        alice.answer(question: 1, choice: 0)
        bob.answer(question: 1, choice: 1)
        #expect(roomWakes.wait { room.status.answered == 2 })
        bob.leave()
        // "1/1 answered", never "2/1": answered counts the class as it is; the histogram keeps every answer given.
        #expect(roomWakes.wait { room.status.joined == 1 })
        #expect(room.status == RoomStatus(joined: 1, question: 1, isOpen: true, answered: 1, histogram: [1, 1]))
    }

    @Test func anAnswerTheProtocolCannotCarryIsNotSent() throws {
        let folder = try TempFolder()
        let (room, roomWakes) = try Self.openRoom(folder)
        defer { room.close() }
        let (follower, _) = try Self.join(folder)
        defer { follower.leave() }
        #expect(roomWakes.wait { room.status.joined == 1 })
        room.openQuestion(id: 2, choices: 4)
        // Sent, these would break the protocol and get the follower dropped before its real answer.
        follower.answer(question: Int(Int32.max) + 1, choice: 0)
        follower.answer(question: -1, choice: 0)
        follower.answer(question: 2, choice: 4)
        follower.answer(question: 2, choice: 3)
        #expect(roomWakes.wait { room.status.answered == 1 })
        #expect(room.status.histogram == [0, 0, 0, 1])
        #expect(follower.ended == nil && room.status.joined == 1)
    }

    @Test func namesComeFromPeerCredentialsNotFromTheHello() throws {
        let folder = try TempFolder()
        let (room, roomWakes) = try Self.openRoom(folder, names: true)
        defer { room.close() }
        let peer = try RawPeer(unix: room.socketPath)
        defer { peer.close() }
        peer.send(try peer.hello("K7QD7Q4KM2XD", name: "mallory"))
        #expect(roomWakes.wait { room.status.joined == 1 })
        room.openQuestion(id: 0, choices: 2)
        #expect(room.status.waitingFor == [testUserName])
        peer.send(FollowerMessage.answer(question: 0, choice: 1).frame)
        #expect(roomWakes.wait { room.status.answered == 1 })
        #expect(room.status.waitingFor == [])
        #expect(room.status.histogram == [0, 1])
    }

    @Test func namesAreNotCollectedWithoutTheOption() throws {
        let folder = try TempFolder()
        let (room, roomWakes) = try Self.openRoom(folder)
        defer { room.close() }
        let (follower, _) = try Self.join(folder)
        defer { follower.leave() }
        #expect(roomWakes.wait { room.status.joined == 1 })
        room.openQuestion(id: 0, choices: 4)
        #expect(room.status == RoomStatus(joined: 1, question: 0, isOpen: true, answered: 0, histogram: [0, 0, 0, 0]))
    }

    @Test func wrongAndExpiredCodesFindNoRoom() throws {
        let folder = try TempFolder()
        let (room, _) = try Self.openRoom(folder)
        // Another room id: no such room. The right room id with a wrong secret: the room refuses the proof.
        #expect(
            Self.classError { _ = try Self.join(folder, code: "K7QE-7Q4K-M2XD") }
                == .noSuchRoom(try #require(JoinCode("K7QE7Q4KM2XD"))))
        #expect(Self.classError { _ = try Self.join(folder, code: "K7QD-7Q4K-M2XE") } == .wrongCode)
        // The right room, a wrong code in the hello: refused.
        let peer = try RawPeer(unix: room.socketPath)
        defer { peer.close() }
        peer.send(try peer.hello("K7QD7Q4KM2XE"))
        let answer = try peer.messages { $0.count == 1 }
        #expect(answer.messages == [.refused(.wrongCode, value: 0)])
        room.close()
        let expired = Self.classError { _ = try Self.join(folder) }
        #expect(expired == .noSuchRoom(try #require(JoinCode(Self.code))))
        #expect(expired?.description.contains("no class is running under the code K7QD-7Q4K-M2XD") == true)
    }

    @Test func aStaleSocketFromACrashedPresenterIsNoRoom() throws {
        let folder = try TempFolder()
        let code = try #require(JoinCode(Self.code))
        let stale = try RoomFolder.open(RoomOptions(directory: folder.path), code)
        close(stale.fd)
        #expect(FileManager.default.fileExists(atPath: stale.path))
        #expect(Self.classError { _ = try Self.join(folder) } == .noSuchRoom(code))
        // A new room under the same code replaces the stale socket.
        let (room, _) = try Self.openRoom(folder)
        defer { room.close() }
        let (follower, _) = try Self.join(folder)
        follower.leave()
        #expect(follower.lesson == Data("lesson one".utf8))
    }

    @Test func aSecondRoomUnderALiveCodeIsRefused() throws {
        let folder = try TempFolder()
        let (room, _) = try Self.openRoom(folder)
        defer { room.close() }
        let second = Self.classError { _ = try Self.openRoom(folder) }
        #expect(second == .cannotListen("a room with the code K7QD-7Q4K-M2XD is already open"))
    }

    @Test func aFullRoomRefusesWithItsLimit() throws {
        let folder = try TempFolder()
        let (room, _) = try Self.openRoom(folder, limit: 2, students: true)
        defer { room.close() }
        let (first, _) = try Self.join(folder)
        defer { first.leave() }
        let (second, _) = try Self.join(folder)
        defer { second.leave() }
        let refused = Self.classError { _ = try Self.join(folder) }
        #expect(refused == .roomFull(limit: 2))
        #expect(refused?.description == "the room is full (at most 2 followers); the presenter can raise the limit")
        #expect(room.status.joined == 2)
    }

    @Test func aRoomOfAnotherVersionIsIncompatible() throws {
        let folder = try TempFolder()
        let code = try #require(JoinCode(Self.code))
        try fakeRoom(folder.path, code, reply: Wire.frame(.welcome, [0], version: 99), hangUp: false)
        let error = Self.classError { _ = try Self.join(folder) }
        #expect(error == .incompatibleVersion(ours: 3, theirs: 99))
        #expect(error?.description.contains("version 99") == true)
    }

    @Test func aHelloOfAnotherVersionIsRefusedInTheRoomsVersion() throws {
        let folder = try TempFolder()
        let (room, _) = try Self.openRoom(folder)
        defer { room.close() }
        let peer = try RawPeer(unix: room.socketPath)
        defer { peer.close() }
        // Version 4's hello might be longer: the room must not read its payload as version 3's.
        peer.send(Array("UNRC".utf8) + [0, 4, 1, 0, 0, 0, 0, 3, 9, 9, 9])
        let reply = peer.readUntilClosed()
        #expect(reply.closed)
        // Header: magic, version 3, kind 18 (refused), reason 3 (version).
        #expect(reply.bytes == Array("UNRC".utf8) + [0, 3, 18, 0, 0, 0, 0, 5, 3, 0, 0, 0, 0])
        #expect(room.status.joined == 0)
    }

    @Test func hostilePeersAreDroppedAloneAndTheClassGoesOn() throws {
        let folder = try TempFolder()
        let (room, roomWakes) = try Self.openRoom(folder, helloTimeout: .milliseconds(300))
        defer { room.close() }
        let (student, wakes) = try Self.join(folder)
        defer { student.leave() }
        #expect(roomWakes.wait { room.status.joined == 1 })
        // Each case's bytes, given a hello that proves the code.
        let cases: [(name: String, bytes: ([UInt8]) -> [UInt8], reason: String?)] = [
            ("garbage", { _ in Array("GET / HTTP/1.1\r\n\r\n".utf8) }, "not a class message"),
            (
                "oversize", { _ in Array("UNRC".utf8) + [0, 3, 1, 0, 0x7F, 0xFF, 0xFF, 0xFF] },
                "a hello message of 2147483647 bytes (at most 256)"
            ),
            ("a room's message", { _ in RoomMessage.goodbye.frame }, "unexpected message kind 19"),
            (
                "answer before hello", { _ in FollowerMessage.answer(question: 0, choice: 0).frame },
                "an answer before hello"
            ),
            ("malformed answer", { $0 + Wire.frame(.answer, [1, 2, 3]) }, "malformed answer"),
            (
                "flood", { $0 + (0..<50).flatMap { _ in FollowerMessage.answer(question: 0, choice: 0).frame } },
                "more than 20 messages a second"
            ),
            ("second hello", { $0 + $0 }, "a second hello"),
            (
                "half a message, then gone",
                { $0 + Array(FollowerMessage.answer(question: 0, choice: 1).frame.prefix(7)) },
                nil
            ),
            ("silence", { _ in [] }, "no hello within 0.3 seconds")
        ]
        for hostile in cases {
            let peer = try RawPeer(unix: room.socketPath)
            peer.send(hostile.bytes(try peer.hello(Self.code)))
            if let reason = hostile.reason {
                let reply = peer.readUntilClosed()
                #expect(reply.closed, "\(hostile.name)")
                let messages = try RawPeer.messages(reply.bytes)
                // A dropped peer gets the reason alone (not the lesson it had no time to receive).
                #expect(messages == [.dropped(reason)], "\(hostile.name)")
            }
            peer.close()
            #expect(roomWakes.wait { room.status.joined == 1 }, "\(hostile.name)")
        }
        room.publish(state: Data("still here".utf8))
        #expect(wakes.wait { student.latest?.state == Data("still here".utf8) })
        #expect(student.ended == nil)
    }

    @Test func silentConnectionsOfOnePeerAreCappedOldestFirst() throws {
        let folder = try TempFolder()
        let (room, _) = try Self.openRoom(folder)
        defer { room.close() }
        let silent = try (0..<ClassLimits.pendingPerPeer).map { _ in try RawPeer(unix: room.socketPath) }
        defer { for peer in silent { peer.close() } }
        // One more of the same uid: the oldest silent one is dropped with the reason, the new one is kept.
        let extra = try RawPeer(unix: room.socketPath)
        defer { extra.close() }
        let oldest = try #require(silent.first).readUntilClosed()
        #expect(oldest.closed)
        #expect(try RawPeer.messages(oldest.bytes) == [.dropped("too many connections waiting to say hello")])
        #expect(!extra.readUntilClosed(seconds: 0.5).closed)
        for peer in silent.dropFirst() { #expect(!peer.readUntilClosed(seconds: 0.05).closed) }
    }

    @Test func theFollowerSeesThePresenterEndTheClass() throws {
        let folder = try TempFolder()
        let (room, _) = try Self.openRoom(folder)
        let (follower, wakes) = try Self.join(folder)
        defer { follower.leave() }
        room.close()
        #expect(wakes.wait { follower.ended != nil })
        #expect(follower.ended == .presenterEnded)
        #expect(!FileManager.default.fileExists(atPath: room.socketPath))
        room.close()
    }

    @Test func theFollowerSeesAPresenterThatVanishes() throws {
        let folder = try TempFolder()
        let code = try #require(JoinCode(Self.code))
        let welcome = RoomMessage.welcome(presenter: "teacher", lesson: Data("l".utf8)).frame
        let state = RoomMessage.state(sequence: 1, state: Data("half".utf8)).frame
        try fakeRoom(folder.path, code, reply: welcome + state.prefix(15), hangUp: true)
        let (follower, wakes) = try Self.join(folder)
        defer { follower.leave() }
        #expect(wakes.wait { follower.ended != nil })
        #expect(follower.ended == .connectionLost("the presenter's session stopped in the middle of a message"))
        #expect(follower.latest == nil)
    }

    static let welcome = RoomMessage.welcome(presenter: "teacher", lesson: Data("l".utf8)).frame
    static let hostileRooms: [(String, [UInt8], ClassEnd, UInt64?)] = [
        (
            "an old state",
            welcome + RoomMessage.state(sequence: 2, state: Data()).frame
                + RoomMessage.state(sequence: 1, state: Data()).frame,
            .connectionLost("the presenter sent an old state"), 2
        ),
        (
            "garbage", welcome + Array("HTTP/1.1 200 OK".utf8),
            .connectionLost("the other side broke the class protocol: not a class message"), nil
        ),
        ("a second welcome", welcome + welcome, .connectionLost("the presenter sent a second welcome"), nil),
        (
            "a state of 1 GiB", welcome + Array("UNRC".utf8) + [0, 3, 17, 0, 0x40, 0, 0, 0],
            .connectionLost(
                "the other side broke the class protocol: a state message of 1073741824 bytes (at most 65544)"),
            nil
        ),
        (
            "another version later", welcome + Wire.frame(.state, [UInt8](repeating: 0, count: 8), version: 4),
            .connectionLost(
                "the presenter runs class protocol version 4, this unroll speaks version 3: use the same unroll version"
            ),
            nil
        )
    ]

    @Test("a follower leaves a room that breaks the protocol, with the reason", arguments: hostileRooms)
    func hostileRoom(_ name: String, _ reply: [UInt8], _ end: ClassEnd, _ sequence: UInt64?) throws {
        let folder = try TempFolder()
        try fakeRoom(folder.path, try #require(JoinCode(Self.code)), reply: reply, hangUp: false)
        let (follower, wakes) = try Self.join(folder)
        defer { follower.leave() }
        #expect(wakes.wait { follower.ended != nil })
        #expect(follower.ended == end)
        #expect(follower.latest?.sequence == sequence)
    }

    @Test func aFollowerDroppedByTheRoomIsToldWhy() throws {
        let folder = try TempFolder()
        let code = try #require(JoinCode(Self.code))
        let welcome = RoomMessage.welcome(presenter: "teacher", lesson: Data("l".utf8)).frame
        try fakeRoom(folder.path, code, reply: welcome + RoomMessage.dropped("too chatty\u{1B}[2J").frame, hangUp: true)
        let (follower, wakes) = try Self.join(folder)
        defer { follower.leave() }
        #expect(wakes.wait { follower.ended != nil })
        #expect(follower.ended == .dropped("too chatty?[2J"))
    }
}
