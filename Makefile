# termwatch: `make run` sets up and runs the whole job; `make test` sets up and runs the tests.
# Both work on a fresh clone: they create .venv and install the project into it first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TERMWATCH := $(BIN)/termwatch
# The history to import; empty: the recorded corpus beside the project, when there is one.
ARCHIVE ?=
DB ?= data/termwatch.db
PORT ?= 8001

.PHONY: install run test lint model replay bench screenshots site clean

# Pages marked executeClientScripts are rendered in Debian's chromium (Playwright's own
# browser download is not needed): installed here when missing (root, apt).
install: $(VENV)/.installed
	@command -v $${TERMWATCH_BROWSER:-chromium} >/dev/null 2>&1 \
	  || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) \
	  || echo "chromium unavailable: executeClientScripts pages will fail as browser_unavailable"

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# History first (years of versions on day one), then the classifier (built once, cached in
# data/model/), the analysis and the change log of that history; then a refresh crawls the
# live pages (offline, every fetch is recorded as a DNS failure), and the site is served.
run: install
	$(TERMWATCH) --db $(DB) import-archive $(ARCHIVE)
	$(TERMWATCH) train
	$(TERMWATCH) --db $(DB) analyze
	$(TERMWATCH) --db $(DB) changes
	-$(TERMWATCH) --db $(DB) refresh
	$(TERMWATCH) --db $(DB) serve --port $(PORT)

# The browser tests drive the chromium that install brings.
test: install
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

model: install
	$(TERMWATCH) train

# The archive's history replayed month by month into a fresh database, as a live crawl would
# have seen it (each change dated by the replay date).
replay: install
	rm -f /tmp/termwatch-replay.db
	d=2023-10-01; while [ "$$d" \< 2026-09-01 ]; do \
	  $(TERMWATCH) --db /tmp/termwatch-replay.db refresh --replay $(or $(ARCHIVE),../shared/corpus) --as-of $$d | head -1; \
	  d=$$(date -d "$$d +1 month" +%F); done

# Screenshots of the change overview and two document histories (with their timelines) over
# the database built by `make run`, into build/screenshots/ (Debian's chromium).
screenshots: install
	$(BIN)/python scripts/screenshots.py --db $(DB)

bench: install
	$(BIN)/python benchmarks/crawl.py --runs 3
	$(BIN)/python benchmarks/refresh.py --runs 3
	$(BIN)/python benchmarks/live_web.py --runs 3
	$(BIN)/python benchmarks/analysis_speed.py
	$(BIN)/python benchmarks/training_time.py
	$(BIN)/python benchmarks/unfair_tos.py
	$(BIN)/python benchmarks/facts.py
	$(BIN)/python benchmarks/site_latency.py --runs 3

# The read-only site to publish: a consistent copy of the database (taken while refreshes may
# write) and its table counts (`datasette inspect`). Serve it wherever termwatch is installed:
#   termwatch --db $(SITE)/termwatch.db serve --inspect-file $(SITE)/inspect.json --host 0.0.0.0
SITE ?= site
site: install
	mkdir -p $(SITE)
	rm -f $(SITE)/termwatch.db $(SITE)/inspect.json
	$(BIN)/sqlite-utils query $(DB) "vacuum into '$(SITE)/termwatch.db'" > /dev/null
	$(BIN)/datasette inspect $(SITE)/termwatch.db --inspect-file $(SITE)/inspect.json
	chmod a-w $(SITE)/termwatch.db
	@echo "Site in $(SITE)/: termwatch --db $(SITE)/termwatch.db serve --inspect-file $(SITE)/inspect.json"

clean:
	rm -rf $(VENV) build *.egg-info
