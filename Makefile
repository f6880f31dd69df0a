# Every target sets up what it needs: a fresh clone only needs python3.11, make and the package index.
VENV   := .venv
PYTHON := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: install test lint-workflows clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

## install: .venv with the pinned dependencies and the `sophia` command (bin/sophia runs it for you)
install: $(STAMP)

## test: lint, the workflows' schema and security checks, then every test
test: $(STAMP) lint-workflows
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	$(PYTHON) -m pytest

## lint-workflows: GitHub's workflow and action schemas (check-jsonschema) and zizmor, both offline
lint-workflows: $(STAMP)
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-actions .github/actions/*/action.yml
	$(VENV)/bin/zizmor --offline --no-progress --config .github/zizmor.yml .github

clean:
	rm -rf build .pytest_cache
