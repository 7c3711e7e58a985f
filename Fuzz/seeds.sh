#!/bin/sh
# Prints the seed corpus folders of a fuzzer (read only; new inputs go to .build/fuzz-corpus/NAME).
case "$1" in
  FuzzScenario) echo examples Tests/Corpus/scenarios Tests/Corpus/texts examples/texts ;;
  FuzzSafetensors) echo Tests/Corpus/safetensors ;;
  FuzzClassProtocol) echo Tests/Corpus/class ;;
  FuzzText) echo Tests/Corpus/texts examples/texts ;;
esac
