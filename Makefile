# 强县 — the two commands: `make run` and `make test`. Also `make bench`, `make lint`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-only bench lint migrate demo browser clean

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "需要 Python 3.11 或更高版本")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

run: $(STAMP)
	@bash scripts/run.sh

test: $(STAMP) browser
	@$(MAKE) --no-print-directory test-only

# The suite alone (no install); CI calls it a second time with DATABASE_URL set to PostgreSQL.
test-only:
	QX_TESTING=1 DJANGO_DEBUG=0 $(PY) -m pytest -n 2 --dist loadgroup -q

browser:
	@bash scripts/ensure-browser.sh

bench: $(STAMP)
	@bash scripts/bench.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	QX_TESTING=1 $(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) staticfiles artifacts
