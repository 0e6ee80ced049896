# Two commands for a newcomer: `make up` (start everything) and `make test` (run every suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
PYTEST_ARGS ?=
SHARD ?=
SHARD_ARG := $(if $(SHARD),--shard $(SHARD))

.PHONY: up test install browser bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ requis"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { \
	  echo "python3-venv manquant : installation (apt-get install python3-venv)"; \
	  bash scripts/ensure-apt.sh python3-venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@rm -f $(VENV)/.installed-*; touch $@

install: $(STAMP)

up: $(STAMP)
	$(BIN)/spoticar-harness up $(ARGS)

browser: $(STAMP)
	@bash scripts/ensure-browser.sh $(BIN)

test: $(STAMP) browser
	@mkdir -p reports
	$(BIN)/python -m pytest -n auto --dist loadgroup $(SHARD_ARG) \
	  --junitxml=reports/junit.xml --html=reports/report.html --self-contained-html \
	  --tracing retain-on-failure --screenshot only-on-failure --output reports/playwright \
	  $(PYTEST_ARGS)
	@echo "== API et stockage sur PostgreSQL (DATABASE_URL), une base neuve par groupe"
	bash scripts/with-postgres.sh $(BIN)/python -m pytest -p no:xdist -q $(SHARD_ARG) -m "not browser" \
	  tests/centralisateur tests/test_icare_contract_api.py tests/test_cli.py \
	  --junitxml=reports/junit-postgres-centralisateur.xml
	bash scripts/with-postgres.sh $(BIN)/python -m pytest -p no:xdist -q $(SHARD_ARG) -m "not browser" \
	  tests/bee2link --junitxml=reports/junit-postgres-bee2link.xml
	bash scripts/with-postgres.sh $(BIN)/python -m pytest -p no:xdist -q $(SHARD_ARG) -m "not browser" \
	  tests/neovo --junitxml=reports/junit-postgres-neovo.xml
	bash scripts/with-postgres.sh $(BIN)/python -m pytest -p no:xdist -q $(SHARD_ARG) -m "not browser" \
	  tests/journal --junitxml=reports/junit-postgres-journal.xml
	@echo "== Navigateur sur PostgreSQL : déclaration CDS et parcours PVO2 → CDS → portail (sous-ensemble représentatif)"
	bash scripts/with-postgres.sh $(BIN)/python -m pytest -p no:xdist -q $(SHARD_ARG) -m browser \
	  e2e/centralisateur e2e/pvo2 --junitxml=reports/junit-postgres-browser.xml \
	  --tracing retain-on-failure --screenshot only-on-failure --output reports/playwright-postgres

bench: $(STAMP) browser
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) reports var .pytest_cache
