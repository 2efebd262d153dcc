# The README's two commands: `make run` and `make test`. Both set themselves up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
DEVSTAMP := $(VENV)/.dev-installed
LEXICON := nltk_data/sentiment/vader_lexicon.zip
PORT ?= 8501

.PHONY: run test setup setup-dev chromium lint bench demo-data clean

run: setup
	$(PY) -m streamlit run app.py --server.port $(PORT)

# Store tests also run on PostgreSQL: .ci/postgres installs/starts Debian's server when it can (root).
test: setup-dev chromium
	@if [ -z "$$TEST_DATABASE_URL" ]; then \
	  url=$$(.ci/postgres 2>/tmp/feedback-postgres.log | tail -n 1) && [ -n "$$url" ] && export TEST_DATABASE_URL="$$url" \
	  || echo "PostgreSQL could not be started (see /tmp/feedback-postgres.log); its store tests will say so."; \
	fi; $(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(PY) -m pytest

setup: $(STAMP) $(LEXICON)

$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --disable-pip-version-check -q -r requirements.txt
	@touch $@

$(LEXICON): $(STAMP)
	$(PY) scripts/setup_nltk_data.py

setup-dev: setup $(DEVSTAMP)

$(DEVSTAMP): requirements-dev.txt $(STAMP)
	$(PIP) install --disable-pip-version-check -q -r requirements-dev.txt
	@touch $@

# Debian's chromium for the browser tests (Playwright's own browser download is never used: no internet).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

lint: setup-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Benchmarks print figures and write bench/out/*.md; they are never part of `make test`.
bench: setup-dev chromium
	$(PY) bench/quality_themes.py
	$(PY) bench/sentiment_quality.py
	$(PY) bench/speed_classify.py
	$(PY) bench/bench_privacy.py
	$(PY) bench/bench_frames.py
	$(PY) bench/scale_app.py
	$(PY) bench/load_sessions.py
	$(PY) bench/classify_1m.py

demo-data: setup
	$(PY) scripts/generate_demo_responses.py
	$(PY) scripts/generate_demo_plan.py
	$(PY) scripts/generate_demo_voices.py

clean:
	rm -rf $(VENV) nltk_data .pytest_cache
