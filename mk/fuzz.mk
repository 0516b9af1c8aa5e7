# Fuzzing (issue 15): one driver per parser, on the stable toolchain (fuzz/, docs/fuzzing.md).
# `make fuzz` is the long run (not in CI); `make test` runs fuzz-smoke (a few seconds each).

.PHONY: fuzz fuzz-build fuzz-repro fuzz-smoke

# The fuzz crate is its own workspace; it builds into its own target directory so its
# profile and lock file never disturb the root workspace's artifacts.
FUZZ_TARGET_DIR := $(abspath $(or $(CARGO_TARGET_DIR),target))/fuzz-ws
FUZZ_CARGO := CARGO_TARGET_DIR=$(FUZZ_TARGET_DIR) $(CARGO)
FUZZ_MANIFEST := --manifest-path fuzz/Cargo.toml
FUZZ_BIN := $(FUZZ_TARGET_DIR)/fuzz/wasm-logging-fuzz
## Executions per target, the drivers to run (all, or some of: format interp strftime
## dictconfig frames route), the random seed, and extra flags (--timeout-ms, --slow-ms, …).
FUZZ_EXECS ?= 10000000
FUZZ_TARGETS ?= all
FUZZ_SEED ?= 1
FUZZ_FLAGS ?=
# `FUZZ_FEATURES=--no-default-features` leaves out the drivers that need the host crate.
FUZZ_FEATURES ?=

fuzz-build:
	$(FUZZ_CARGO) build $(FUZZ_MANIFEST) --profile fuzz $(FUZZ_FEATURES)

## The long run: every driver in turn, one at a time, at the lowest CPU priority. Crashing,
## hanging and slow inputs land in fuzz/artifacts/<target>/.
fuzz: fuzz-build
	uptime
	nice -n 19 $(FUZZ_BIN) run $(FUZZ_TARGETS) --execs $(FUZZ_EXECS) --seed $(FUZZ_SEED) $(FUZZ_FLAGS)
	uptime

## Re-runs every saved input (or FUZZ_ARTIFACT=path) and says which still fail.
fuzz-repro: fuzz-build
	$(FUZZ_BIN) repro $(FUZZ_ARTIFACT)

## Part of `make test`: format, lints and 20,000 executions of every driver.
fuzz-smoke:
	$(FUZZ_CARGO) fmt $(FUZZ_MANIFEST) -- --check
	$(FUZZ_CARGO) clippy $(FUZZ_MANIFEST) --all-targets $(FUZZ_FEATURES) -- -D warnings
	$(FUZZ_CARGO) test $(FUZZ_MANIFEST) $(FUZZ_FEATURES)

EXTRA_TESTS += fuzz-smoke
