# The two commands of the quick-start: `make run` and `make test`.
# Both create their own virtual environment in .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DATA_DIR ?= $(CURDIR)/data
export UNGA_DATA_DIR := $(DATA_DIR)
# Where `make dashboard` and `make dagster` listen: `make dashboard DASHBOARD_PORT=8600`,
# `make dagster DAGSTER_PORT=3001 HOST=0.0.0.0` (HOST=0.0.0.0 opens them to the network).
HOST ?= 127.0.0.1
DASHBOARD_PORT ?= 8501
DAGSTER_PORT ?= 3000

.PHONY: install run test dagster schedule-on schedule-off dashboard status clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

## Build and publish the warehouse from the bundled data (sessions 74-79).
run: $(STAMP)
	$(BIN)/unga build

## Run the test suite (installs Debian's chromium and poppler-utils, which the tests drive, where they are missing).
test: $(STAMP)
	@scripts/ensure-test-tools
	$(BIN)/python -m pytest

## Open the Dagster UI on http://$(HOST):$(DAGSTER_PORT), by default http://127.0.0.1:3000 (runs are kept under data/dagster_home, whose
## dagster.yaml is orchestration/dagster.yaml: runs that write the warehouse wait for each other, failed runs are retried).
dagster: $(STAMP)
	$(BIN)/python -m orchestration.instance $(DATA_DIR)/dagster_home
	DAGSTER_HOME=$(DATA_DIR)/dagster_home $(BIN)/dagster dev -m orchestration.definitions -h $(HOST) -p $(DAGSTER_PORT)

## Turn the nightly schedule (05:00 UTC) on or off; it is off until turned on, and runs while `make dagster` is up.
schedule-on schedule-off: $(STAMP)
	$(BIN)/python -m orchestration.instance $(DATA_DIR)/dagster_home
	DAGSTER_HOME=$(DATA_DIR)/dagster_home $(BIN)/dagster schedule $(if $(filter schedule-on,$@),start,stop) nightly_schedule -m orchestration.definitions

## Open the dashboard on http://$(HOST):$(DASHBOARD_PORT), by default http://127.0.0.1:8501: it reads the published snapshot of DATA_DIR (`make run` first).
dashboard: $(STAMP)
	$(BIN)/streamlit run dashboards/app.py --server.address $(HOST) --server.port $(DASHBOARD_PORT) --server.headless true --browser.gatherUsageStats false

status: $(STAMP)
	$(BIN)/unga status

clean:
	rm -rf $(DATA_DIR)/warehouse $(DATA_DIR)/published $(DATA_DIR)/dagster_home $(DATA_DIR)/reports $(DATA_DIR)/runs.jsonl

## Benchmark the build against the machine's floor; prepends to benchmarks/RESULTS.md
## (BENCH_ARGS=--quick skips the 10x scale run, BENCH_ARGS="--scale 3" sets the factor).
.PHONY: bench
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)
