# The two commands the README starts with: `make demo` and `make test`. Each creates .venv itself.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench setup clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "need python3.11 on PATH"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/patentreach demo

test: $(STAMP)
	sh scripts/system-deps.sh
	$(BIN)/ruff check patentreach tests bench
	$(BIN)/lint-imports
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/pytest -q -n 2 --dist loadscope

bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/ingest_uspto.py
	$(BIN)/python bench/readers.py
	$(BIN)/python bench/survey.py
	$(BIN)/python bench/linkage.py
	$(BIN)/python bench/transfers.py
	$(BIN)/python bench/patstat.py  # 50M publications by default: about 38 GB of CSV under /tmp, deleted afterwards
	$(BIN)/python bench/indicators.py  # first run: generates 100M + 10M synthetic publications in /tmp (about 40 min)
	$(BIN)/python bench/serve.py  # reuses bench/indicators.py's 10M warehouse (else generates and prepares it: 4 min idle, 24 min at load 10)

clean:
	rm -rf $(VENV) patentreach-data
