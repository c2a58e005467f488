"""Write locales/<lang>/LC_MESSAGES/meeting_types.po from Meeting Guide's types.json.

The Meeting Guide spec (code4recovery/spec, data/types.json, MIT licence) gives every meeting type
code its name in several languages. HelpMap's importer writes the English names
(helpmap.importers.meeting_guide.TYPE_NAMES); this turns the spec's translations into a gettext
catalogue whose msgids are those English names, so helpmap.i18n.meeting_type_name() can show a
type in the reader's language without changing what the importer writes.

    .venv/bin/python tools/meeting_type_catalogue.py [path/to/types.json]
    .venv/bin/pybabel compile -d locales -D meeting_types

Codes the spec does not have (the proposed ones and TSML's ONL) get no entry and stay English.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from helpmap.i18n import DEFAULT_LANGUAGE, LANGUAGES, LOCALES_DIR, MEETING_TYPES_DOMAIN  # noqa: E402
from helpmap.importers.meeting_guide import TYPE_NAMES  # noqa: E402

DEFAULT_SPEC = REPO.parent / "shared" / "specs" / "meeting-guide" / "types.json"


def catalogue(spec: dict, lang: str) -> Catalog:
    catalog = Catalog(locale=lang, project="HelpMap meeting types", copyright_holder="code4recovery/spec (MIT)",
                      fuzzy=False)
    for code, english in TYPE_NAMES.items():
        names = spec.get(code) or {}
        if names.get(lang) and names.get("en") == english:
            catalog.add(english, names[lang], auto_comments=[f"Meeting Guide type code {code}"])
    return catalog


def main(argv: list[str]) -> int:
    spec_path = Path(argv[0]) if argv else DEFAULT_SPEC
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    for lang in LANGUAGES:
        if lang == DEFAULT_LANGUAGE:
            continue
        out = LOCALES_DIR / lang / "LC_MESSAGES" / f"{MEETING_TYPES_DOMAIN}.po"
        out.parent.mkdir(parents=True, exist_ok=True)
        catalog = catalogue(spec, lang)
        with out.open("wb") as handle:
            write_po(handle, catalog, omit_header=False, width=110)
        print(f"{out.relative_to(REPO)}: {len(catalog)} of {len(TYPE_NAMES)} type names")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
