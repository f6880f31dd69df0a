# Every target sets up what it needs: a fresh clone only needs Python 3.11, make and the package index.
# .venv is made with python3.11 when it is on PATH, else python3; choose another: make PYTHON=/path/to/python3.11
PYTHON ?= $(or $(shell command -v python3.11 2>/dev/null),python3)
VENV   := .venv
VPY    := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: install test lint-workflows policy-pack clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null || { \
	  echo "sophia needs Python 3.11 for .venv; '$(PYTHON)' is $$($(PYTHON) --version 2>/dev/null || echo 'not found')." >&2; \
	  echo "Install Python 3.11, or name one: make PYTHON=/path/to/python3.11 (PYTHON=... bin/sophia ... alike)." >&2; \
	  exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install --quiet --upgrade pip
	$(VPY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

## install: .venv with the pinned dependencies and the `sophia` command (bin/sophia runs it for you)
install: $(STAMP)

## requirements.txt: what `pulumi install` puts in .venv, generated from pyproject.toml (a test keeps them equal)
requirements.txt: pyproject.toml
	$(PYTHON) -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
	  print("# Generated from pyproject.toml by make requirements.txt; do not edit. For pulumi install."); \
	  print("\n".join(p["dependencies"]))' > $@

## test: lint, the workflows' schema and security checks, then every test
test: $(STAMP) lint-workflows
	$(VPY) -m ruff check .
	$(VPY) -m ruff format --check .
	$(VPY) -m pytest

## lint-workflows: GitHub's workflow and action schemas (check-jsonschema) and zizmor, both offline
lint-workflows: $(STAMP)
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-actions .github/actions/*/action.yml
	$(VENV)/bin/zizmor --offline --no-progress --config .github/zizmor.yml .github

## policy-pack: the publishable pack in build/policy-pack: the rules, PulumiPolicy.yaml, and models/ as a wheel
policy-pack: $(STAMP)
	$(VPY) -m offline.policy_pack_dist build/policy-pack

clean:
	rm -rf build .pytest_cache
