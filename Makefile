# Unroll: `make run` opens the default lesson, `make test` runs the whole suite.
# Both first install any missing system package (with sudo when not root).

SWIFT ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
APT_PACKAGES := libopenblas-dev libncurses-dev tmux pkg-config
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test build deps fixtures man clean bench compare

run: deps
	$(SWIFT) build -c release --product unroll
	"$$($(SWIFT) build -c release --show-bin-path)/unroll"

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

build: deps
	$(SWIFT) build

# Installs only what is missing, so a machine that has everything is not touched.
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# Benchmarks of the engine and the front end (release build; see docs/performance.md). Not part of `make test`.
# Extra flags: make bench BENCH_ARGS="--part engine --hidden 32 128 --threads 1 --json"
bench: deps
	$(SWIFT) build -c release --product unroll
	"$$($(SWIFT) build -c release --show-bin-path)/unroll" bench $(BENCH_ARGS)

# The engine against PyTorch (needs `pip install torch`), same shapes and threads, in the same run.
# Extra flags: make compare COMPARE_ARGS="--threads 1 --repetitions 9"
compare: deps
	$(SWIFT) build -c release --product unroll
	python3 scripts/compare_torch.py --unroll "$$($(SWIFT) build -c release --show-bin-path)/unroll" $(COMPARE_ARGS)

# Regenerates the PyTorch agreement fixtures (needs `pip install torch`; the tests do not).
fixtures:
	python3 scripts/make_torch_fixtures.py
	python3 scripts/make_training_fixtures.py

# Regenerates the man page docs/man/unroll.1 from the command definitions (swift-argument-parser's plugin).
man: deps
	$(SWIFT) package --allow-writing-to-package-directory generate-manual
	cp .build/plugins/GenerateManual/outputs/unroll/unroll.1 docs/man/unroll.1

clean:
	rm -rf .build
