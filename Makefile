# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501
# Only this machine by default; `make run ADDRESS=0.0.0.0` serves a team (README, "Serving a team").
ADDRESS ?= 127.0.0.1
CHROMIUM ?= /usr/bin/chromium
NPM ?= npm
# The sign-in tests' OpenID Connect provider (Node), installed from its committed lock file.
OIDC := tests/oidc_provider

.PHONY: run test lint bench bench-quotes bench-countries install install-dev install-scale chromium oidc-provider clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files make re-runs instant, and re-install when a requirements file changes.
$(VENV)/.installed: $(BIN)/python requirements.txt
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt requirements-scale.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Only for `annotate --dask` (the tests install it with the dev requirements).
install-scale: $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-scale.txt

run: install
	@case "$(ADDRESS)" in \
		127.*|localhost|::1) echo "Serving at http://$(ADDRESS):$(PORT) to this machine only. To serve a team, see 'Serving a team' in the README.";; \
		*) echo "Serving at $(ADDRESS), port $(PORT): every machine that can reach this one may open the app. Without sign-in anyone can correct and change articles (README, 'Serving a team').";; \
	esac
	$(BIN)/streamlit run app.py --server.address $(ADDRESS) --server.port $(PORT)

# Playwright drives Debian's Chromium: its own browser download cannot work offline.
chromium:
	@if [ -x "$(CHROMIUM)" ]; then \
		echo "chromium: $$($(CHROMIUM) --version 2>/dev/null)"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "The browser tests need Chromium at $(CHROMIUM). Install it as root with:"; \
		echo "    sudo apt-get install chromium"; \
		echo "or point CHROMIUM=/path/to/chromium at another build."; \
		exit 1; \
	fi

# npm ci installs exactly the lock file, offline-safe from then on; its own stamp is the hidden lock file.
$(OIDC)/node_modules/.package-lock.json: $(OIDC)/package.json $(OIDC)/package-lock.json
	@if ! command -v node >/dev/null || ! command -v $(NPM) >/dev/null; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian's Node.js for the sign-in tests…"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
		else \
			echo "The sign-in tests need Node.js 18 or later and npm. Install them as root with:"; \
			echo "    sudo apt-get install nodejs npm"; \
			exit 1; \
		fi; \
	fi
	$(NPM) ci --prefix $(OIDC) --no-audit --no-fund --loglevel=error

oidc-provider: $(OIDC)/node_modules/.package-lock.json

# The rules are in pyproject.toml; `ruff format .` and `ruff check --fix .` mend most of what this finds.
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Two workers, one test file each at a time: a file's servers and browser stay in one process, and
# the browser tests' waiting overlaps the other worker's parsing (about half the time on 2 cores).
TEST_WORKERS ?= 2
test: lint chromium oidc-provider
	CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest --numprocesses=$(TEST_WORKERS) --dist=loadfile

# `make bench` runs every part; `make bench page readers` only those (the words after bench are parts).
ifeq (bench,$(firstword $(MAKECMDGOALS)))
BENCH_PARTS := $(wordlist 2,$(words $(MAKECMDGOALS)),$(MAKECMDGOALS))
$(eval $(BENCH_PARTS):;@:)
endif

bench: install-dev
	$(BIN)/python -m benchmarks $(BENCH_PARTS) $(BENCH_FLAGS)

bench-quotes: install-dev
	$(BIN)/python -m benchmarks.quotes_benchmark

# Country per mention and per article, this tree beside the resolver before issue 12, and on the
# same texts hard-wrapped, with Windows line endings, curly and single quotes.
bench-countries: install-dev
	$(BIN)/python benchmarks/countries_benchmark.py --variants --composition

clean:
	rm -rf $(VENV) .pytest_cache build $(OIDC)/node_modules
