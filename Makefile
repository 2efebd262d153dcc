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
# One test worker per core (pytest-xdist); a test file's tests stay together on one worker.
TEST_WORKERS ?= auto

.PHONY: run test setup setup-dev chromium nginx lint audit bench demo-data starter-model clean

# scripts/serve.py is `streamlit run app.py` plus the WebSocket host allow-list (FEEDBACK_ALLOWED_HOSTS).
run: setup
	$(PY) scripts/serve.py --server.port $(PORT)

# Store tests also run on PostgreSQL: .ci/postgres installs/starts Debian's server when it can (root).
# The dependency audit reports, but does not fail on, a vulnerability feed it cannot reach (see the script).
test: setup-dev chromium nginx
	@if [ -z "$$TEST_DATABASE_URL" ]; then \
	  url=$$(.ci/postgres 2>/tmp/feedback-postgres.log | tail -n 1) && [ -n "$$url" ] && export TEST_DATABASE_URL="$$url" \
	  || echo "PostgreSQL could not be started (see /tmp/feedback-postgres.log); its store tests will say so."; \
	fi; $(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(PY) scripts/audit_dependencies.py \
	  && $(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

setup: $(STAMP) $(LEXICON)

# The venv's own pip and setuptools are upgraded first (requirements-setup.txt): venv's bundled ones
# carry published vulnerabilities.
$(STAMP): requirements.txt requirements-setup.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --disable-pip-version-check -q -r requirements-setup.txt
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

# Debian's nginx, only to check deploy/nginx.conf with `nginx -t` (tests/deploy); no server is started.
nginx:
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { \
	  echo "Installing Debian's nginx to check deploy/nginx.conf"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nginx >/dev/null; }

lint: setup-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) scripts/audit_dependencies.py

# Known vulnerabilities in the installed packages (pip-audit; needs PyPI's JSON API or OSV to answer).
audit: setup-dev
	$(PY) scripts/audit_dependencies.py

# Benchmarks print figures and write bench/out/*.md; they are never part of `make test`.
bench: setup-dev chromium
	$(PY) bench/quality_themes.py
	$(PY) bench/quality_heldout.py
	$(PY) bench/sentiment_quality.py
	$(PY) bench/speed_classify.py
	$(PY) bench/bench_privacy.py
	$(PY) bench/bench_frames.py
	$(PY) bench/scale_app.py
	$(PY) bench/load_sessions.py
	$(PY) bench/classify_1m.py
	$(PY) bench/scale_jobs.py

demo-data: setup
	$(PY) scripts/generate_demo_responses.py
	$(PY) scripts/generate_demo_plan.py
	$(PY) scripts/generate_demo_voices.py

# Rebuild data/starter_model.{json,npz} from the open NHS data in ../shared/benchmarks/ (README).
starter-model: setup
	$(PY) scripts/build_starter_model.py

clean:
	rm -rf $(VENV) nltk_data .pytest_cache
