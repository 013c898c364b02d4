# make run   — set everything up and start the app
# make test  — set everything up (system packages too, as root on Debian) and run every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501

.PHONY: run test lint format bench system-deps clean lock

# Every dependency, direct and transitive, at the version CI tested, checked by its hash
# (requirements.lock, made from pyproject.toml by pip-tools: `make lock`); then the tool itself.
$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	  || { echo "需要 Python ≥ 3.11（当前：$$($(PYTHON) --version)）"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

# after changing a dependency in pyproject.toml: the lock anew, with every file's hash
lock:
	$(PYTHON) -m venv /tmp/diagnose-lock && /tmp/diagnose-lock/bin/pip install --quiet pip-tools==7.6.2
	/tmp/diagnose-lock/bin/pip-compile --quiet --generate-hashes --extra dev --strip-extras \
	  --no-emit-index-url --no-emit-find-links --output-file requirements.lock pyproject.toml

# Chromium and a CJK font for the browser tests (screenshots of Chinese pages) and the PDF
# report, poppler-utils to read the PDFs back, PostgreSQL's server binaries for the
# integration tests (they start their own server).
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "missing system packages:$$missing (run make test as root on Debian, or install them)"; exit 1; \
	  fi; \
	fi

# first start: create the database and fill it with sample (示例) enterprises
run: $(STAMP)
	$(BIN)/diagnose db upgrade
	$(BIN)/diagnose demo --if-empty --enterprises 300
	$(BIN)/python -m streamlit run diagnose/web.py --server.port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# two workers (pytest-xdist; the browser tests stay together in one, sharing one app server)
test: $(STAMP) system-deps lint
	$(BIN)/python -m pytest --numprocesses 2 --dist loadgroup

bench: $(STAMP)
	$(BIN)/python benchmarks/score_batch.py

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache .ruff_cache .hypothesis
