# Two commands for a newcomer: `make up` (start everything) and `make test` (run every suite).
# The virtualenv's interpreter: the distribution's /usr/bin/python3 when it is 3.11 or later and can make
# one (ensurepip: Debian's python3-venv), built with profile-guided and link-time optimisation, the
# interpreter linked in; else python3 from PATH — a source build such as pyenv's has neither by
# default: a restart ran ~22 % more instructions on it (callgrind), ~10 % more CPU
PYTHON ?= $(shell /usr/bin/python3 -c 'import sys, ensurepip; sys.exit(sys.version_info < (3, 11))' \
            2>/dev/null && echo /usr/bin/python3 || echo python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
PYTEST_ARGS ?=
SHARD ?=
SHARD_ARG := $(if $(SHARD),--shard $(SHARD))

.PHONY: up test install browser bench clean

# The suites keep their compiled, assertion-rewritten modules (__pycache__, ignored by git) even where
# the environment sets PYTHONDONTWRITEBYTECODE: each xdist worker, PostgreSQL group and pytest a test
# starts would otherwise rewrite every test module again (~4 s of CPU each, most of a collection).
test bench: export PYTHONDONTWRITEBYTECODE :=
# Likewise for ``make up``: without its modules' bytecode a restart compiles every module it imports
# from source (our own, and the libraries' when the install left none): 1.7 s of CPU instead of 0.45 s
up: export PYTHONDONTWRITEBYTECODE :=

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ requis"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { \
	  echo "python3-venv manquant : installation (apt-get install python3-venv)"; \
	  bash scripts/ensure-apt.sh python3-venv && $(PYTHON) -m venv $(VENV); }
	@# uv resolves and downloads in parallel: ~40 s for the whole install on a fresh machine, where pip
	@# takes ~4 min (one index round trip after another); pip still installs when uv cannot be had
	@# --compile-bytecode (pip compiles by default): the libraries' bytecode is written once here, not
	@# compiled again from source by every start where the environment sets PYTHONDONTWRITEBYTECODE
	$(BIN)/python -m pip install --quiet uv && $(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[test]' \
	  || { $(BIN)/python -m pip install --quiet --upgrade pip && $(BIN)/python -m pip install --quiet -e '.[test]'; }
	@# our own modules too (the editable install leaves them as sources): what a start imports
	$(BIN)/python -m compileall -q -j 0 spoticar_handoff common harness centralisateur certification simulators fixtures
	@rm -f $(VENV)/.installed-*; touch $@

install: $(STAMP)

up: $(STAMP)
	$(BIN)/spoticar-harness up $(ARGS)

browser: $(STAMP)
	@bash scripts/ensure-browser.sh $(BIN)

test: $(STAMP) browser
	@mkdir -p reports
	@# Playwright's trace and end-of-test screenshot cost ~0.5 s of CPU in every browser test, kept only
	@# when it fails: the pass runs without them, then plays its failed tests again (exit code 1) with
	@# both, for their traces and screenshots under reports/playwright/
	$(BIN)/python -m pytest -n auto --dist loadgroup $(SHARD_ARG) \
	  --junitxml=reports/junit.xml --html=reports/report.html --self-contained-html --durations=25 \
	  $(PYTEST_ARGS) || { code=$$?; [ $$code != 1 ] || { \
	  echo "== Tests en échec rejoués avec trace Playwright et capture d'écran (reports/playwright)"; \
	  $(BIN)/python -m pytest -n auto --dist loadgroup --last-failed --last-failed-no-failures none \
	    --tracing retain-on-failure --screenshot only-on-failure \
	    --output reports/playwright -q $(PYTEST_ARGS); }; exit $$code; }
	@echo "== PostgreSQL (DATABASE_URL) : API, stockage et parcours navigateur CDS et PVO2 → CDS → portail, une base neuve par groupe"
	bash scripts/with-postgres.sh bash scripts/postgres-suites.sh $(BIN)/python $(SHARD_ARG) \
	  --junitxml=reports/junit-postgres.xml

bench: $(STAMP) browser
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) reports var .pytest_cache
