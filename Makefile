# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# make test runs against the real servers; override to point elsewhere.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
PYTEST_ARGS ?=
# The suite runs in one process per core (pytest-xdist, a module's tests kept together, the modules with a test
# marked slow handed out first): each process has its own test database (test_gw0, …) and Redis database
# (tests/conftest.py, which also orders the modules). TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: install install-dev run web test lint bench bench-city migrate seed clean messages

# Runtime only (what production installs): requirements.txt.
$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

# Tests and tooling on top: tests/requirements.txt (pytest, Playwright, schemathesis, ruff, mypy, ...).
$(VENV)/.installed-dev: $(VENV)/.installed tests/requirements.txt
	$(VENV)/bin/pip install --quiet -r tests/requirements.txt
	touch $@

install: $(VENV)/.installed

# The browser tests' tools from the npm registry (axe-core for the accessibility check), pinned in
# tests/package-lock.json and installed into tests/node_modules: never served to users.
tests/node_modules/.installed: tests/package.json tests/package-lock.json
	npm ci --prefix tests --ignore-scripts --no-audit --no-fund
	touch $@

install-dev: $(VENV)/.installed-dev tests/node_modules/.installed

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

# Installs, migrates, loads the demo district (idempotent), then starts web, worker and beat.
run: seed
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@$(PY) manage.py demo_banner --port $(PORT)
	PORT=$(PORT) $(VENV)/bin/honcho start -f Procfile.dev

# ruff, missing migrations, the layer contract of pyproject.toml, mypy over the kernel and every actions and
# selectors module (the list is [tool.mypy] files in pyproject.toml).
lint: install-dev
	$(VENV)/bin/ruff check .
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

# The whole suite against PostgreSQL and Redis.
test: install-dev lint
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder $(PYTEST_ARGS)

# The English catalogue regenerated from the source (the source strings are Chinese): every string marked in
# alliance, grids, members, projects, services and templates (demo data is not marked, its app name is), old
# entries dropped, file names but no line numbers (a moved line changes nothing), lines unwrapped (one entry,
# one line of diff); then compiled. After changing texts: `make messages`, fill the new or fuzzy msgstr in
# locale/en/LC_MESSAGES/django.po, `make messages` again, commit django.po and django.mo (tests/i18n fails on
# anything missing). Only locale/en: locale/zh_Hans holds Django's and libraries' strings in Chinese, kept by
# hand. No djangojs: scripts read their texts from the page.
MESSAGES_OPTIONS := --locale en --domain django --no-obsolete --add-location=file --no-wrap \
	--ignore='tests/*' --ignore='node_modules/*' --ignore='var/*' --ignore='staticfiles/*' --ignore='media/*'
messages: install
	$(PY) manage.py makemessages $(MESSAGES_OPTIONS)
	sed -i '/^"POT-Creation-Date: /d' locale/en/LC_MESSAGES/django.po  # the time of the run: no diff for it
	msgfmt --check --output-file=locale/en/LC_MESSAGES/django.mo locale/en/LC_MESSAGES/django.po

# `make bench` runs every benchmark on the demo district: web (pages, API lists, admin, writes, replica), the
# matching job and the jobs (fan-out, reminder sweep) with one and two worker processes; `make bench BENCH=web`
# (or matching, jobs) one of them. Each prints one table (tests/bench/report.py) with every figure, its ceiling,
# ratio and a verdict line per target. The web part needs wrk (apt-get install wrk), PostgreSQL
# (BENCH_DATABASE_URL) and Redis for the cache (BENCH_REDIS_URL, default db 9), see tests/bench/web.py.
# `make bench-city` does the same at city scale: seed_city into BENCH_CITY_DATABASE_URL for the web part, a
# city of residents for the jobs, and 50,000 and 100,000 needs × resources for the matching.
BENCH ?=
BENCH_CITY_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/alliance_bench_city
BENCH_CITY_SIZES ?= 50000,100000
# The matching bench at city size on PostgreSQL, as deployed (it makes and drops test_<name> there).
BENCH_MATCHING_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/alliance_bench_matching
bench: install
	$(PY) -m tests.bench $(BENCH)

# Every part runs even when an earlier one missed a target; the command fails at the end if any did.
bench-city: install
	status=0; \
	$(PY) -m tests.bench web --city --database-url $(BENCH_CITY_DATABASE_URL) || status=1; \
	DATABASE_URL=$(BENCH_MATCHING_DATABASE_URL) BENCH_SIZES=$(BENCH_CITY_SIZES) BENCH_REPEAT=1 \
		$(PY) -m tests.bench matching || status=1; \
	$(PY) -m tests.bench jobs --city || status=1; \
	exit $$status

clean:
	rm -rf $(VENV) var tests/node_modules
