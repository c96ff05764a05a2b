# The README's two set-up commands: `make demo` and `make test`. Both bootstrap .venv on a fresh machine.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint format bench fuzz clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

# Bytecode for our own modules, as `pip install` (not -e) would write it: an editable install has none, and where
# PYTHONDONTWRITEBYTECODE is set every process, each parse worker included, compiles them again (~40 ms each).
# Only changed files are recompiled.
PYC = $(BIN)/python -m compileall -q feeds store tui > /dev/null

demo: $(STAMP)
	$(PYC)
	$(BIN)/nordwatch demo

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -n 2 -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(PYC)
	$(BIN)/python bench/bench_analysis.py
	$(BIN)/python bench/eval_analysis.py
	$(BIN)/python bench/bench_poll.py
	$(BIN)/python bench/bench_tui.py

fuzz: $(STAMP)
	$(BIN)/python bench/fuzz_parse.py --seconds 300

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info
