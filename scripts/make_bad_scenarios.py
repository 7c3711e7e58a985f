#!/usr/bin/env python3
"""Writes Tests/Corpus/scenarios/: scenario files, each malformed in one way (docs/reliability.md)."""
import os
OUT="Tests/Corpus/scenarios"  # run from the repository root
T="title: x\n"
I="input: {tokens: a b}\n"
B=T+I
c={}
# Broken YAML
c["yaml-unclosed-quote"]=b'title: "x\n'+I.encode()
c["yaml-unclosed-flow-map"]=b"title: x\ninput: {tokens: a b\n"
c["yaml-tab-indent"]=b"title: x\ninput:\n\ttokens: a b\n"
c["yaml-bad-indent"]=b"title: x\n  input: 3\n"
c["yaml-two-documents"]=(B+"---\ntitle: y\n").encode()
c["yaml-undefined-alias"]=(T+"input: {tokens: *words}\n").encode()
c["yaml-recursive-alias"]=(T+"input: &in {tokens: *in}\n").encode()
c["yaml-list-then-mapping"]=b"- a\ntitle: x\n"
c["yaml-bad-escape"]=(B+'summary: "\\q"\n').encode()
c["yaml-bad-directive"]=b"%YAML 9.9\n---\n"+B.encode()
c["yaml-anchor-without-node"]=(B+"model: &\n").encode()
c["yaml-unclosed-flow-list"]=(T+"input: {tokens: [a, b}\n").encode()
c["yaml-stray-colon"]=b"title: a: b\n"+I.encode()
c["yaml-block-scalar-bad-indicator"]=(B+"summary: |x\n  text\n").encode()
# Empty and non-mappings
c["empty"]=b""
c["whitespace-only"]=b"   \n\n  \n"
c["comments-only"]=b"# nothing here\n# at all\n"
c["document-marker-only"]=b"---\n...\n"
c["top-level-null"]=b"~\n"
c["top-level-list"]=b"- title: x\n- input: y\n"
c["top-level-number"]=b"42\n"
# Encoding
c["utf8-latin1-byte"]=B.encode()+b"summary: caf\xe9\n"
c["utf8-lone-continuation"]=b"title: x\x80y\n"+I.encode()
c["utf8-overlong"]=B.encode()+b"summary: \xc0\xaf\n"
c["utf8-surrogate"]=B.encode()+b"summary: \xed\xa0\x80\n"
c["utf16-file"]="title: x\ninput: {tokens: a b}\n".encode("utf-16")
c["nul-byte"]=b"title: x\x00\n"+I.encode()
# Control characters written raw
c["control-escape-raw"]=b"title: x\x1b[2J\n"+I.encode()
c["control-bell-raw"]=(B+"summary: ding\x07\n").encode()
c["control-c1-csi-raw"]=B.encode()+b"summary: \xc2\x9b31m\n"
c["control-delete-raw"]=(B+"summary: a\x7fb\n").encode()
# Deep nesting and alias bombs
c["nesting-flow-lists"]=(T+"model: "+"["*5000+"\n").encode()
c["nesting-flow-maps"]=(T+"model: "+"{a: "*100+"1"+"}"*100+"\n").encode()
c["nesting-block-lists"]=(B+"model:\n"+"- "*20000+"x\n").encode()
c["nesting-block-maps"]=(B+"model:\n"+"".join(" "*i+"a:\n" for i in range(1,300))+" "*300+"b: 1\n").encode()
laughs="".join(f"l{i}: &l{i} [" + ", ".join([f"*l{i-1}"]*10) + "]\n" for i in range(1,9))
c["alias-bomb-unknown-keys"]=(B+"l0: &l0 [lol]\n"+laughs).encode()
c["alias-bomb-tokens"]=(T+"l0: &l0 [lol]\n"+laughs+"input: {tokens: *l8}\n").encode()
merges="m0: &m0 {cell: rnn}\n"+"".join(f"m{i}: &m{i} {{<<: [" + ", ".join([f"*m{i-1}"]*10) + "]}\n" for i in range(1,9))
c["alias-bomb-merge-keys"]=(B+merges+"model: *m8\n").encode()
# Wrong types
c["type-title-list"]=("title: [a, b]\n"+I).encode()
c["type-title-mapping"]=("title: {a: b}\n"+I).encode()
c["type-tokens-mapping"]=(T+"input: {tokens: {a: b}}\n").encode()
c["type-input-scalar"]=(T+"input: a b c\n").encode()
c["type-hidden-size-word"]=(B+"model: {hidden_size: six}\n").encode()
c["type-hidden-size-fraction"]=(B+"model: {hidden_size: 6.5}\n").encode()
c["type-bidirectional-word"]=(B+"model: {bidirectional: yes}\n").encode()
c["type-seed-fraction"]=(B+"init: {seed: 1.5}\n").encode()
c["type-layers-scalar"]=(B+"model: {layers: 6}\n").encode()
c["type-narration-mapping"]=(B+"narration: {phase: forward}\n").encode()
c["type-narration-item-word"]=(B+"narration: [hello]\n").encode()
c["type-panels-word"]=(B+"display: {panels: inspector}\n").encode()
c["type-clipping-list"]=(B+"loss: {clipping: [1]}\n").encode()
c["type-loss-steps-mapping"]=(B+"loss: {steps: {a: 1}}\n").encode()
c["type-key-is-mapping"]=(B+"{a: 1}: 2\n").encode()
c["type-title-null"]=("title:\n"+I).encode()
# Unknown keys
c["unknown-top-level"]=(B+"colour: red\n").encode()
c["unknown-model-typo"]=(B+"model: {hiden_size: 4}\n").encode()
c["unknown-conditioning"]=(B+"model: {conditioning: {sise: 3}}\n").encode()
c["unknown-clipping"]=(B+"loss: {clipping: {nrom: 1}}\n").encode()
c["duplicate-key"]=(B+"model: {cell: rnn, cell: lstm}\n").encode()
# Out of range and absurd sizes
c["range-hidden-size-huge"]=(B+"model: {hidden_size: 1000000000}\n").encode()
c["range-hidden-size-zero"]=(B+"model: {hidden_size: 0}\n").encode()
c["range-num-layers-100"]=(B+"model: {num_layers: 100}\n").encode()
c["range-layers-17"]=(B+"model: {layers: ["+", ".join(["2"]*17)+"]}\n").encode()
c["range-skip-1"]=(B+"model: {skip: 1}\n").encode()
c["range-seed-2-64"]=(B+"init: {seed: 18446744073709551616}\n").encode()
c["range-std-zero"]=(B+"init: {scheme: normal, std: 0}\n").encode()
c["range-spectral-radius-negative"]=(B+"init: {spectral_radius: -1}\n").encode()
c["range-forget-bias-huge"]=(B+"model: {cell: lstm}\ninit: {forget_bias: 1e9}\n").encode()
c["range-output-steps-zero"]=(T+"model: {configuration: one-to-many}\ninput: {tokens: a, output_steps: 0}\n").encode()
c["range-truncation-zero"]=(B+"loss: {truncation: 0}\n").encode()
c["range-selected-layer-negative"]=(B+"display: {selected_layer: -1}\n").encode()
c["range-tokens-10001"]=(T+"input:\n  tokens: "+" ".join("w" for _ in range(10001))+"\n").encode()
c["range-narration-step-past-end"]=(B+"narration:\n  - {phase: forward, step: 99, text: hi}\n").encode()
c["range-held-out-9"]=(T+"input: {tokens: a b, held_out: ["+", ".join("{tokens: a}" for _ in range(9))+"]}\n").encode()
c["range-narration-input-past-end"]=(T+"input: {tokens: a b, held_out: [{tokens: b a}]}\nnarration:\n  - {input: 3, phase: forward, step: 1, text: hi}\n").encode()
c["combo-held-out-unknown-word"]=(T+"input: {tokens: a b, held_out: [{tokens: a c}]}\n").encode()
# Empty sequences
c["empty-tokens-list"]=(T+"input: {tokens: []}\n").encode()
c["empty-tokens-string"]=(T+"input: {tokens: \"\"}\n").encode()
c["empty-targets"]=(T+"input: {tokens: a b, targets: []}\n").encode()
c["empty-layers"]=(B+"model: {layers: []}\n").encode()
c["empty-word-in-list"]=(T+"input: {tokens: [a, '', b]}\n").encode()
c["empty-word-after-cleaning"]=(T+"input: {tokens: [a, \"\\e[0m\", b]}\n").encode()
# Non-finite numbers
c["nonfinite-std-nan"]=(B+"init: {scheme: normal, std: .nan}\n").encode()
c["nonfinite-clipping-inf"]=(B+"loss: {clipping: {value: .inf}}\n").encode()
c["nonfinite-forget-bias-minus-inf"]=(B+"model: {cell: lstm}\ninit: {forget_bias: -.inf}\n").encode()
c["nonfinite-spectral-radius-overflow"]=(B+"init: {spectral_radius: 1e999}\n").encode()
# Combinations
c["combo-feedback-bidirectional"]=(B+"model: {bidirectional: true, feedback: output}\n").encode()
c["combo-encoder-decoder-no-targets"]=(T+"model: {configuration: encoder-decoder}\n"+I).encode()
c["combo-one-to-one-two-tokens"]=(B+"model: {configuration: one-to-one}\n").encode()
c["combo-truncation-bidirectional"]=(B+"model: {bidirectional: true}\nloss: {truncation: 2}\n").encode()
c["combo-training-truncation-bidirectional"]=(T+"model: {bidirectional: true}\ntraining:\n  task: copy-memory\n  truncation: 2\n").encode()
c["combo-crlf-line-endings"]=b"title: x\r\ninput: {tokens: a b}\r\nmodel: {hidden_size: -1}\r\n"
# A text to step through (training.step_through): too long, too short (escapes in it are cleaned, as in every text)
c["range-step-through-201"]=(T+"training:\n  task: characters\n  step_through: \""+"a"*201+"\"\n").encode()
c["range-step-through-one-character"]=(T+"training:\n  task: characters\n  step_through: \"\\e[2Ja\\u202e\"\n").encode()
os.makedirs(OUT,exist_ok=True)
for k,v in c.items():
    open(os.path.join(OUT,k+".yaml"),"wb").write(v)
print(len(c))
