# Unroll: `make run` opens the default lesson, `make test` runs the whole suite.
# Both first install any missing system package (with sudo when not root).

SWIFT ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
# What unroll needs to build and run; what the tests add (tmux drives the binary, taskset pins a CPU, rsvg-convert
# and Chromium draw figures and handouts, zlib reads their PNGs back).
APT_PACKAGES := libopenblas-dev libncurses-dev pkg-config
TEST_PACKAGES := tmux util-linux librsvg2-bin zlib1g-dev chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test build deps test-deps install-packages fixtures figures man clean bench compare latency cpu-time fuzz install uninstall lesson-weights lesson-weights-check test-portable format

run: deps
	$(SWIFT) build -c release --product unroll
	"$$($(SWIFT) build -c release --show-bin-path)/unroll"

test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# The suite again under the settings a user's machine may have: OPENBLAS_CORETYPE=Prescott, one CPU, a
# 100-character TMPDIR and another user than root (scripts/test_portable.sh; docs/reliability.md). .ci/run runs it.
test-portable: test-deps
	$(SWIFT) build --build-tests
	sh scripts/test_portable.sh "$(SWIFT)"

build: deps
	$(SWIFT) build

# Installs only what is missing, so a machine that has everything is not touched.
deps:
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(APT_PACKAGES)"

test-deps:
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(APT_PACKAGES) $(TEST_PACKAGES)"

install-packages:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# Benchmarks of the engine, the lab's training workload and the front end (release build; see docs/performance.md). Not part of `make test`.
# Extra flags: make bench BENCH_ARGS="--part engine --hidden 32 128 --threads 1 --json"
bench: deps
	$(SWIFT) build -c release --product unroll
	"$$($(SWIFT) build -c release --show-bin-path)/unroll" bench $(BENCH_ARGS)

# Key to frame through a real terminal (tmux, needs no display): the large LSTM (scripts/lstm-h256-t200.yaml) and
# every step-through lesson, ] and [ in turn, median / worst from the binary's own log (docs/performance.md).
# Extra flags: make latency LATENCY_ARGS="-n 40" (more keys) or "-p 60" (each key a pair, the second 60 ms into the first's computation)
latency: test-deps
	$(SWIFT) build -c release --product unroll
	sh scripts/key_latency.sh $(LATENCY_ARGS) "$$($(SWIFT) build -c release --show-bin-path)/unroll" scripts/lstm-h256-t200.yaml all

# CPU time against wall time per command (train, trace, check, bench, the interactive view idle and stepping),
# with the threads unroll chooses and with 1 and 2 OpenBLAS threads (docs/performance.md). CPU_TIME_REPS runs each.
CPU_TIME_REPS ?= 3
cpu-time: test-deps
	$(SWIFT) build -c release --product unroll
	sh scripts/cpu_time.sh "$$($(SWIFT) build -c release --show-bin-path)/unroll" $(CPU_TIME_REPS)

# The engine and the lab's training loop against PyTorch (needs `pip install torch`), same shapes and threads, in the same run.
# Extra flags: make compare COMPARE_ARGS="--threads 1 --repetitions 9"
compare: deps
	$(SWIFT) build -c release --product unroll
	python3 scripts/compare_torch.py --unroll "$$($(SWIFT) build -c release --show-bin-path)/unroll" $(COMPARE_ARGS)

# Regenerates the PyTorch agreement fixtures (needs `pip install torch`; the tests do not).
fixtures:
	python3 scripts/make_torch_fixtures.py
	python3 scripts/make_training_fixtures.py

# Retrains the weights of the lessons with a recipe (LessonRecipe.builtin: sharing, lstm, memory, gru, ...)
# (Sources/UnrollLessons/Lesson/LessonRecipe.swift) and writes examples/NAME.safetensors, with the OpenBLAS core
# it ran on in each file's metadata. On that core the bytes are the committed files' bytes; on another
# the last bits differ (the tests retrain within a tolerance). Rebuild afterwards to embed them.
lesson-weights: deps
	$(SWIFT) build -c release --product unroll
	"$$($(SWIFT) build -c release --show-bin-path)/unroll" lesson-weights --folder examples

# Retrains them and prints, per lesson, the largest difference from the committed file and both cores;
# exits 1 past the tolerance (LessonRecipe.tolerance). Writes nothing.
lesson-weights-check: deps
	$(SWIFT) build -c release --product unroll
	"$$($(SWIFT) build -c release --show-bin-path)/unroll" lesson-weights --check --folder examples

# Formats every Swift file in place with swift-format (the toolchain's) and the checked-in .swift-format
# (4 spaces, 120 columns, the existing line breaks kept); `make format CHECK=1` only lists what would change.
format:
	@if [ -n "$(CHECK)" ]; then $(SWIFT)-format lint --recursive --parallel Sources Tests Fuzz Plugins Package.swift; \
	else $(SWIFT)-format format --in-place --recursive --parallel Sources Tests Fuzz Plugins Package.swift; fi

# Regenerates the man page docs/man/unroll.1 from the command definitions (swift-argument-parser's plugin).
# The README's figures, drawn by `unroll figure` (docs/guide.md, "Figures").
figures: deps
	$(SWIFT) build -c release --product unroll
	"$$($(SWIFT) build -c release --show-bin-path)/unroll" figure vanishing --step 1 --phase backward --force \
	  -o docs/img/vanishing-backward.svg

man: deps
	$(SWIFT) package --allow-writing-to-package-directory generate-manual
	cp .build/plugins/GenerateManual/outputs/unroll/unroll.1 docs/man/unroll.1

# Fuzzers (libFuzzer + AddressSanitizer), not part of `make test`: builds them in .build/fuzz, then runs
# each for FUZZ_SECONDS (default 600) on a corpus seeded from examples/ and Tests/Corpus/.
# A crash leaves its input as crash-* in the current folder; make it a test (docs/reliability.md).
# Fuzz/NAME.dict is a fuzzer's dictionary, Fuzz/NAME.flags its own libFuzzer flags.
FUZZERS ?= FuzzScenario FuzzSafetensors FuzzClassProtocol FuzzText
FUZZ_SECONDS ?= 600
FUZZ_FLAGS := -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xcc -fsanitize=fuzzer-no-link,address
fuzz: deps
	for f in $(FUZZERS); do UNROLL_FUZZ=1 $(SWIFT) build --scratch-path .build/fuzz --product $$f $(FUZZ_FLAGS) || exit 1; done
	for f in $(FUZZERS); do \
	  mkdir -p .build/fuzz-corpus/$$f; \
	  seeds=$$(sh Fuzz/seeds.sh $$f); \
	  dict=$$(ls Fuzz/$$f.dict 2>/dev/null | sed 's/^/-dict=/'); \
	  flags=$$(cat Fuzz/$$f.flags 2>/dev/null); \
	  .build/fuzz/debug/$$f -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=4096 -timeout=20 $$dict $$flags .build/fuzz-corpus/$$f $$seeds || exit 1; \
	done

# Installs the release binary, the man page and bash/zsh/fish completions under PREFIX (default /usr/local;
# DESTDIR for staging). UNROLL_BIN installs an already built binary instead of building the release one.
PREFIX ?= /usr/local
DESTDIR ?=
UNROLL_BIN ?=
INSTALL_FILES := bin/unroll share/man/man1/unroll.1 share/bash-completion/completions/unroll \
	share/zsh/site-functions/_unroll share/fish/vendor_completions.d/unroll.fish
install: deps
	@bin="$(UNROLL_BIN)"; if [ -z "$$bin" ]; then \
	  $(SWIFT) build -c release --product unroll || exit 1; \
	  bin="$$($(SWIFT) build -c release --show-bin-path)/unroll"; \
	fi; \
	root="$(DESTDIR)$(PREFIX)"; \
	install -d "$$root/bin" "$$root/share/man/man1" "$$root/share/bash-completion/completions" \
	  "$$root/share/zsh/site-functions" "$$root/share/fish/vendor_completions.d" && \
	install -m 755 "$$bin" "$$root/bin/unroll" && \
	install -m 644 docs/man/unroll.1 "$$root/share/man/man1/unroll.1" && \
	"$$bin" --generate-completion-script bash > "$$root/share/bash-completion/completions/unroll" && \
	"$$bin" --generate-completion-script zsh > "$$root/share/zsh/site-functions/_unroll" && \
	"$$bin" --generate-completion-script fish > "$$root/share/fish/vendor_completions.d/unroll.fish" && \
	echo "Installed unroll in $$root/bin (man page and completions under $$root/share)"

uninstall:
	cd "$(DESTDIR)$(PREFIX)" && rm -f $(INSTALL_FILES)

clean:
	rm -rf .build
