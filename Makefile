# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST := $(BIN)/python -m pytest -q -n 2 --dist loadfile
# Pinned, hashed dependencies (pip-tools, from pyproject.toml): the app's for servers, the app's plus
# the dev extra (tests, PyTorch CPU, lint) here. `make lock` regenerates them. The dev lock pins
# PyTorch's CPU wheel (torch==2.13.0+cpu) by its hash: pip finds it through its find-links
# (`pip config list`; on the project machines /opt/wheels), not on PyPI, whose torch pulls CUDA.
LOCKS  := requirements/app.txt requirements/dev.txt
LOCK_TOOLS ?= /tmp/learningpaths-pip-tools
LOCK_FLAGS := --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
# `make test PG=0` skips the second run of the suite, on PostgreSQL.
PG     ?= 1

.PHONY: run test test-postgres install assets browser fonts words content models migrate serve preview check bench load clean lint screenshots

$(STAMP): pyproject.toml $(LOCKS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# pip-tools lives in a venv of its own, so locking never changes .venv. Existing pins are kept;
# `make lock LOCK_UPGRADE=--upgrade` moves everything to the newest allowed releases.
.PHONY: lock
lock:
	test -x $(LOCK_TOOLS)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_TOOLS) && $(LOCK_TOOLS)/bin/pip install --quiet pip-tools; }
	$(LOCK_TOOLS)/bin/pip-compile $(LOCK_FLAGS) $(LOCK_UPGRADE) --output-file requirements/app.txt pyproject.toml
	$(LOCK_TOOLS)/bin/pip-compile $(LOCK_FLAGS) $(LOCK_UPGRADE) --extra dev --output-file requirements/dev.txt pyproject.toml

install: $(STAMP)

assets: install
	$(BIN)/python scripts/compile_messages.py
	$(BIN)/python scripts/vendor_assets.py

fonts:
	@scripts/install_fonts.sh

browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || scripts/install_browser.sh

# Debian's word lists, for the word transformer (learningpaths/demos/words.py).
words:
	@test -f /usr/share/dict/dutch -a -f /usr/share/dict/american-english || scripts/install_words.sh

migrate: assets
	$(BIN)/python manage.py migrate --noinput

content: migrate
	$(BIN)/python manage.py compilecontent

models: migrate fonts words
	$(BIN)/python manage.py trainmodels

check: assets
	$(BIN)/python manage.py compilecontent --check --strict --execute

serve:
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# For authors: rebuild on every save and reload the open page (`make preview SOURCE=../dwengo-content`).
preview: assets
	$(BIN)/python manage.py preview $(SOURCE) --host $(HOST) --port $(PORT)

run: assets content models serve

test: lint assets browser fonts words
	scripts/redis.sh start >/dev/null
	$(BIN)/python manage.py compilecontent --check --strict --execute
	$(PYTEST)
ifneq ($(PG),0)
	$(MAKE) --no-print-directory test-postgres
endif

# The tests whose outcome the database can change (--database-tests, tests/conftest.py) again on a
# real PostgreSQL server on loopback (scripts/postgres.sh installs Debian's postgresql when missing and
# leaves the server running; `scripts/postgres.sh stop`).
test-postgres: assets browser fonts words
	url="$$(scripts/postgres.sh start)" && DATABASE_URL="$$url" $(PYTEST) --database-tests

# ruff (lint and format), mypy (engine/ and the compiler) and eslint (static/ and the Node
# runners); configured in pyproject.toml and eslint.config.js. npm ci runs only when node_modules
# is missing or older than the lock, and prefers npm's cache, so it works offline after once.
NPM_STAMP := node_modules/.package-lock.json

$(NPM_STAMP): package.json package-lock.json
	npm ci --prefer-offline --no-audit --no-fund
	@touch $@

lint: install $(NPM_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	npx --no-install eslint .

bench: install
	$(BIN)/python bench/engine_vs_torch.py
	$(BIN)/python bench/transformer.py --pyodide
	$(BIN)/python bench/compile.py
	$(BIN)/python bench/serving.py
	$(BIN)/python bench/serving_glyphs.py
	$(BIN)/python bench/browser.py

# The key pages at desktop and phone width in headless Chromium, into var/screenshots/ (index.html
# shows them all); a throwaway site of its own. `make screenshots SHOTS="--lang nl --dark"`.
screenshots: assets browser
	$(BIN)/python scripts/screenshots.py $(SHOTS)

# Load test (wrk against gunicorn, about 4 minutes; see bench/load.sh and bench/README.md).
load: assets
	bench/load.sh

clean:
	rm -rf var static/vendor static/engine
