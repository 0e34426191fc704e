# The two commands: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
STAMP := $(VENV)/.install-stamp
JOBS ?= 2
export FLASK_APP := portal

.PHONY: install run test test-postgres lint format bench clean upgrade translations

# The interface's French and Spanish (docs/translating.md): the .mo files are built, not kept.
PO_FILES := $(wildcard portal/translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)
# WeasyPrint's C declarations compiled once (portal/pdf/prebuilt_ffi.py): a faster start.
DECLARATIONS := portal/pdf/_weasyprint_declarations.py

install: $(STAMP) $(MO_FILES) $(DECLARATIONS)

$(MO_FILES): %.mo: %.po $(STAMP)
	$(BIN)/pybabel compile -i $< -o $@

$(DECLARATIONS): $(STAMP) portal/pdf/prebuilt_ffi.py
	$(BIN)/python -c 'from portal.pdf.prebuilt_ffi import compile_declarations as c; print(c())'

# After changing a wrapped string: extract every msgid, merge them into the catalogs (then translate
# the new entries; tests/test_i18n.py fails while one is missing or fuzzy).
translations: $(STAMP)
	$(BIN)/pybabel extract --project=statement-portal -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 --no-location --sort-output -o portal/translations/messages.pot .
	$(BIN)/pybabel update -i portal/translations/messages.pot -d portal/translations --no-fuzzy-matching --ignore-obsolete

# Reinstall only when the dependency list or the pins change; the package itself is editable.
# constraints.txt pins every package to the versions CI last tested (`make upgrade` renews it).
$(STAMP): setup.cfg pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,postgres,redis]'
	touch $(STAMP)

# New versions within setup.cfg's bounds: install them, write the pins, run the whole suite.
upgrade:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade --upgrade-strategy eager -e '.[test,postgres,redis]'
	$(BIN)/python -m pip freeze --exclude-editable > constraints.txt
	touch $(STAMP)
	$(MAKE) test

# The demo runs in debug mode (without the interactive debugger or the reloader): the app then
# accepts the development SECRET_KEY, which it refuses in production, and logs e-mails whole,
# private links included, since no mail server delivers them.
run: export FLASK_DEBUG ?= 1
run: install
	$(BIN)/portal db upgrade
	$(BIN)/portal seed --if-empty
	$(BIN)/portal demo-accounts
	@# The demo is served over plain HTTP on the loopback address, so the session cookie
	@# cannot be HTTPS-only here; production (docs/deployment.md) keeps it Secure.
	SESSION_COOKIE_SECURE=$${SESSION_COOKIE_SECURE:-0} $(BIN)/portal run --host 127.0.0.1 --port $(PORT) --no-debugger --no-reload

# Two passes: the suite spread over the cores, then the browser journeys one at a time (a real
# Chromium per journey competes badly with parallel workers on a small machine).
test: install
	$(BIN)/python -m pytest -n $(JOBS) --ignore=tests/browser $(PYTEST_ARGS)
	$(BIN)/python -m pytest tests/browser $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# LOAD_SCALE=small makes the load bench's round small enough for a run of a few minutes.
bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
