import Foundation
import Testing
@testable import UnrollClass

@Suite("Class rooms over Unix sockets")
struct ClassRoomTests {
    static let code = JoinCode("7Q4K-M2XD")

    @Test func joinReceivesLessonAndStatesInOrder() throws {
        let folder = try TempFolder()
        let code = try #require(Self.code)
        let roomWakes = Wakes()
        let room = try ClassRoom(options: RoomOptions(directory: folder.path), code: code,
                                 lesson: Data("lesson one".utf8), wake: roomWakes.wake)
        defer { room.close() }
        room.publish(state: Data("s1".utf8))
        let wakes = Wakes()
        let follower = try ClassFollower.join(code: code, options: JoinOptions(directory: folder.path), wake: wakes.wake)
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
    }
}
