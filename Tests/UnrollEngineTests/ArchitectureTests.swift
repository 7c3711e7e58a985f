import Foundation
import Testing

@testable import UnrollEngine

@Test("A spec's Codable form is one flat object: the architecture's keys beside the three sizes")
func specCodableIsFlat() throws {
    // The keys and values ModelSpec's synthesized Codable wrote before Architecture existed (written by hand).
    let flat = """
        {"activation":"relu","bidirectional":true,"cell":"gru","conditioning":"both","conditioningSize":4,\
        "configuration":"many-to-one","decoderInputSize":0,"deep":{"input":1,"output":0,"shortcut":true,"transition":2},\
        "feedback":"none","hiddenSizes":[5,3],"inputSize":7,"outputSize":2,"skip":3}
        """
    let spec = ModelSpec(
        cell: .gru, activation: .relu, inputSize: 7, hiddenSizes: [5, 3], outputSize: 2,
        bidirectional: true, skip: 3, deep: DeepTransition(input: 1, transition: 2, shortcut: true),
        configuration: .manyToOne, conditioningSize: 4, conditioning: .both)
    #expect(try JSONDecoder().decode(ModelSpec.self, from: Data(flat.utf8)) == spec)
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    #expect(String(decoding: try encoder.encode(spec), as: UTF8.self) == flat)
}

@Test("The architecture's fields read and write as the spec's own")
func specForwardsArchitecture() {
    var spec = ModelSpec(inputSize: 3, hiddenSizes: [4, 4], outputSize: 2, bidirectional: true)
    spec.skip = 3
    spec.deep.transition = 2
    #expect(
        spec.architecture
            == Architecture(
                hiddenSizes: [4, 4], bidirectional: true, skip: 3,
                deep: DeepTransition(transition: 2)))
    #expect(spec.topFeatures == 8)
    #expect(spec.layerCount == 2)
}

@Test("Architecture.problems covers its fields alone; the spec adds those that involve the sizes")
func problemsSplit() {
    let a = Architecture(hiddenSizes: [0], skip: 1, deep: DeepTransition(input: 1), conditioningSize: 0)
    #expect(
        a.problems() == [
            "hiddenSizes[0] must be from 1 to 4096, found 0",
            "skip must be at least 2 (k = 1 is the ordinary recurrence), found 1",
            "conditioningSize must be at least 1, found 0"
        ])
    #expect(
        ModelSpec(architecture: a, inputSize: 0, outputSize: 0).problems() == [
            "outputSize must be from 1 to 1048576, found 0",
            "hiddenSizes[0] must be from 1 to 4096, found 0",
            "skip must be at least 2 (k = 1 is the ordinary recurrence), found 1",
            "conditioningSize must be at least 1, found 0",
            "deep.input needs an input: inputSize must be at least 1"
        ])
    var encoderDecoder = a
    encoderDecoder.configuration = .encoderDecoder
    #expect(!encoderDecoder.problems().contains { $0.hasPrefix("conditioningSize") })
}
