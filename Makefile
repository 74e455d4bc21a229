# 导办助手: `make run` to start everything, `make test` for the whole suite. `make help` lists all.
SHELL := /bin/bash
.DEFAULT_GOAL := help

RASA_VENV := .venvs/rasa
SVC_VENV := .venvs/svc
UV_VENV := .venvs/uv
UV := $(UV_VENV)/bin/uv
RASA := $(RASA_VENV)/bin/rasa
RASA_PY := $(RASA_VENV)/bin/python
SVC_PY := $(SVC_VENV)/bin/python
MODEL := models/daoban.tar.gz
MODEL_FINGERPRINT := models/daoban.fingerprint

# Rasa 3.6 needs Python 3.8-3.10: take pyenv's 3.10 when there is one, else python3.10 on PATH.
PYTHON310 ?= $(shell p=$$(pyenv prefix 3.10 2>/dev/null | head -1); \
	if [ -n "$$p" ]; then echo $$p/bin/python; else command -v python3.10; fi)
PYTHON311 ?= $(shell p=$$(pyenv prefix 3.11 2>/dev/null | head -1); \
	if [ -n "$$p" ]; then echo $$p/bin/python; else command -v python3.11; fi)

# Local overrides (see .env.example) reach every process started from here.
ifneq (,$(wildcard .env))
include .env
export $(shell sed -n 's/^\([A-Z_][A-Z0-9_]*\)=.*/\1/p' .env)
endif
# Development mode, with its known tokens, is asked for here; production sets ENVIRONMENT and the secrets.
export ENVIRONMENT ?= development
export TF_CPP_MIN_LOG_LEVEL ?= 2
export RASA_TELEMETRY_ENABLED ?= false
export SQLALCHEMY_SILENCE_UBER_WARNING ?= 1
export ACTION_ENDPOINT_URL ?= http://127.0.0.1:5055/webhook
export TRACKER_STORE_URL ?= sqlite:///$(CURDIR)/var/tracker.db
# endpoints.yml's lock store: one Rasa server keeps its conversations' locks in memory
# (make run-cluster: Redis, set by scripts/stack.py from REDIS_URL).
export LOCK_STORE_TYPE ?= in_memory
export LOCK_STORE_HOST ?=
export LOCK_STORE_PORT ?= 6379
export LOCK_STORE_DB ?= 0
export LOCK_STORE_KEY_PREFIX ?=
# make run-cluster: how many of each, and where PostgreSQL and Redis are (README, Cluster mode).
export RASA_INSTANCES ?= 2
export ACTION_INSTANCES ?= 2
export SERVICE_WORKERS ?= 2

.PHONY: help
help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# uv installs the same lock files as pip, about four times faster (README "Measured"); it is itself
# pinned (requirements/uv.lock) and bootstrapped from PyPI with pip into a venv of its own.
$(UV_VENV)/.installed: requirements/uv.lock
	@test -n "$(PYTHON311)" || { echo "Python 3.11 is needed for the service: see README"; exit 1; }
	$(PYTHON311) -m venv $(UV_VENV)
	$(UV_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements/uv.lock
	touch $@

$(RASA_VENV)/.installed: requirements/rasa.lock | $(UV_VENV)/.installed
	@test -n "$(PYTHON310)" || { echo "Python 3.10 is needed for Rasa: see README (pyenv install 3.10)"; exit 1; }
	$(PYTHON310) -m venv $(RASA_VENV)
	$(UV) pip install --quiet --python $(RASA_VENV)/bin/python -r requirements/rasa.lock
	touch $@

$(SVC_VENV)/.installed: requirements/service.lock | $(UV_VENV)/.installed
	@test -n "$(PYTHON311)" || { echo "Python 3.11 is needed for the service: see README"; exit 1; }
	$(PYTHON311) -m venv $(SVC_VENV)
	$(UV) pip install --quiet --python $(SVC_VENV)/bin/python -r requirements/service.lock
	touch $@

SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: browser
browser: ## Install Debian's Chromium and a Chinese font for the browser tests (apt)
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi wqy; then \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei; \
	fi

.PHONY: nginx
nginx: ## Install Debian's nginx for the cluster (apt)
	@if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx; \
	fi

.PHONY: setup
setup: $(RASA_VENV)/.installed $(SVC_VENV)/.installed ## Create both virtual environments (pinned)
	@mkdir -p var

.PHONY: db
db: setup ## Migrate the service database and import the catalogue (idempotent)
	$(SVC_PY) -m service.cli migrate
	$(SVC_PY) -m service.cli seed

.PHONY: nlu-data
nlu-data: setup ## Regenerate the jieba dictionary and lookup tables from the catalogue
	$(SVC_PY) -m service.cli export-nlu

.PHONY: review-data
review-data: setup ## Write the review page's labels as NLU data, a held-back set and the alias proposal (see README)
	$(SVC_PY) -m service.cli export-review

.PHONY: train
train: nlu-data ## Train the Rasa model when data, config, domain or catalogue changed
	@fingerprint=$$(find data bot config.yml domain.yml -type f \( -name '*.yml' -o -name '*.txt' -o -name '*.py' \) \
		-not -path '*/__pycache__/*' | sort | xargs sha256sum | sha256sum | cut -c1-16); \
	if [ -f $(MODEL) ] && [ "$$(cat $(MODEL_FINGERPRINT) 2>/dev/null)" = "$$fingerprint" ]; then \
		echo "Model is up to date ($$fingerprint)."; \
	else \
		echo "Training the model ($$fingerprint)..."; \
		$(RASA) train --fixed-model-name daoban --out models && echo $$fingerprint > $(MODEL_FINGERPRINT); \
	fi

.PHONY: run
run: db train ## Set up on first use, then start service (8000), actions (5055) and Rasa (5005)
	$(SVC_PY) scripts/stack.py run

.PHONY: run-cluster
run-cluster: setup train nginx ## Several Rasa, action and service processes on PostgreSQL and Redis behind nginx (7000)
	$(SVC_PY) scripts/stack.py cluster

# Lines of the service and of the actions that their tests run: the build fails below 85 %.
COVERAGE := --cov-config=.coveragerc --cov-report=term --cov-fail-under=85

.PHONY: test
test: db train browser nginx ## Run the whole test suite
	$(RASA) data validate
	$(SVC_PY) -m pytest tests/service tests/common tests/deploy -q -rs $(COVERAGE) --cov=service --cov=common
	$(RASA_PY) -m pytest tests/actions tests/bot tests/common -q -rs $(COVERAGE) --cov=actions
	$(RASA) test core --stories tests/conversations --model $(MODEL) --fail-on-prediction-errors --out var/results/core
	$(SVC_PY) -m pytest tests/e2e tests/browser tests/data -q -rs
	$(SVC_PY) -m pytest tests/cluster -q -rs

.PHONY: eval
eval: db train ## Accuracy on the held-out sets beside baselines (NLU, items, 12345 topics, reviewed messages; BEFORE=old model)
	$(RASA_PY) scripts/evaluate.py
	$(RASA_PY) scripts/evaluate_conversations.py
	$(RASA_PY) scripts/evaluate_review.py $(if $(BEFORE),--before $(BEFORE))
	$(SVC_PY) scripts/evaluate_triage.py
	$(SVC_PY) scripts/evaluate_referral.py

.PHONY: bench
bench: db train ## Latency, where a turn's time goes, load, memory, start-up and training time
	$(RASA_PY) scripts/bench.py

.PHONY: bench-install
bench-install: ## Time building both environments from nothing, with pip and with uv (downloads ~2 GB)
	$(SVC_PY) scripts/bench_install.py
