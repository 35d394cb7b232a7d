# Two commands for a new user: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench lint install serve migrate demo clean

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

## make run: venv, install, migrate, demo data, serve on http://127.0.0.1:8000 (SQLite),
## releasing expired unpaid orders every minute (manage.py devserver)
run: demo
	$(PY) manage.py devserver 127.0.0.1:8000

## make test: the whole suite (on PostgreSQL when DATABASE_URL is set)
test: install
	$(VENV)/bin/pytest $(PYTEST_ARGS)

## make bench: benchmarks print ratios against a baseline measured in the same run
## (checkout is meant for PostgreSQL: DATABASE_URL=postgres://... make bench)
bench: install
	$(PY) benchmarks/article_render.py
	$(PY) benchmarks/checkout.py
	$(PY) benchmarks/attribution.py
	$(PY) benchmarks/search.py
	$(PY) benchmarks/page_cache.py

lint: install
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache
