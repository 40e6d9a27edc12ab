# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VENDOR := sanlian/static/vendor
export SANLIAN_VAR_DIR ?= $(CURDIR)/var

.PHONY: install assets tools migrate demo test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) assets

# ECharts and htmx come from the npm registry and are served by WhiteNoise: no CDN.
# ECharts is built with only the charts and components the pages use (assets/echarts.js): 40 % smaller
# than the full echarts.min.js, so a chart page downloads and compiles less.
$(VENDOR)/.installed: package.json package-lock.json assets/echarts.js
	npm ci --no-audit --no-fund --silent
	mkdir -p $(VENDOR)
	node_modules/.bin/esbuild assets/echarts.js --bundle --minify --format=iife --target=es2017 \
	  --legal-comments=eof --log-level=warning --outfile=$(VENDOR)/echarts.min.js
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/
	touch $@

assets: $(VENDOR)/.installed

# System tools from Debian's packages: gettext compiles the translations; browser tests drive
# Debian's Chromium (never a downloaded browser) with CJK fonts for the screenshots.
tools:
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext >/dev/null)
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null)

migrate: install tools
	mkdir -p $(SANLIAN_VAR_DIR)
	$(BIN)/sanlian compilemessages -v 0 --ignore=.venv --ignore=node_modules
	$(BIN)/sanlian migrate --noinput -v 0

demo: migrate
	$(BIN)/sanlian loaddemo
	$(BIN)/sanlian demo_logins
	$(BIN)/sanlian run_demo_server --addr 127.0.0.1:8000

test: install tools
	$(BIN)/ruff check sanlian tests bench
	$(BIN)/lint-imports --no-cache
	$(BIN)/bandit -c pyproject.toml -r sanlian -q
	$(BIN)/pip-audit --skip-editable --progress-spinner off $(PIP_AUDIT_ARGS)
	$(BIN)/sanlian compilemessages -v 0 --ignore=.venv --ignore=node_modules
	$(BIN)/sanlian makemigrations --check --dry-run -v 0
	$(BIN)/pytest -q -p no:cacheprovider $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check sanlian tests bench
	$(BIN)/lint-imports --no-cache
	$(BIN)/bandit -c pyproject.toml -r sanlian -q

bench: install
	$(BIN)/python -m bench.registry $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
