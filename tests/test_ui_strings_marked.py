"""Every word the interface shows is marked for translation: a static check over app.py, app_pages/
and ui/ (the Streamlit layer). The core (helpmap/) composes its own words with a translator; what
this test guards is the UI's habit of passing English literals straight to Streamlit.

A string literal (or f-string, or "...".format(...)) with letters in it, passed as the text of a
Streamlit element below, fails unless it is wrapped in a gettext call (_(), gettext, ngettext,
pgettext, N_). Markup-only strings such as "·" have no letters and pass. The rare exception is
allowed in ALLOWED, with its reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FILES = sorted([REPO / "app.py", *(REPO / "app_pages").glob("*.py"), *(REPO / "ui").glob("*.py")])

# Streamlit calls whose text a visitor reads: the first positional argument and these keywords.
ELEMENTS = {
    "title", "header", "subheader", "markdown", "caption", "button", "text_input", "text_area", "selectbox",
    "multiselect", "checkbox", "radio", "info", "warning", "error", "success", "page_link", "Page", "pills",
    "segmented_control", "download_button", "link_button", "expander", "number_input", "slider",
    "form_submit_button", "spinner", "toggle", "set_page_config",
}  # fmt: skip
TEXT_KEYWORDS = {"label", "title", "body", "placeholder", "help", "page_title", "alt", "prompt"}
# Their first argument is a page (a path), not text: only their keywords are read.
FIRST_IS_A_PAGE = {"Page", "page_link", "set_page_config"}
GETTEXT = {"_", "gettext", "ngettext", "pgettext", "N_"}

# (file, literal) -> why it stays as it is.
ALLOWED: dict[tuple[str, str], str] = {}


def _is_gettext(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    if name in GETTEXT:
        return True
    # _("... {n}").format(n=...) is marked: the receiver is the gettext call
    return name == "format" and isinstance(func, ast.Attribute) and _is_gettext(func.value)


def _literal_texts(node: ast.AST) -> list[str]:
    """English a visitor would read in this argument, unless it went through gettext."""
    if _is_gettext(node):
        return []
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value] if any(c.isalpha() for c in node.value) else []
    if isinstance(node, ast.JoinedStr):
        parts = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
        found = [parts] if any(c.isalpha() for c in parts) else []
        for value in node.values:
            if isinstance(value, ast.FormattedValue):
                found += _literal_texts(value.value)
        return found
    if isinstance(node, ast.BinOp):
        return _literal_texts(node.left) + _literal_texts(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("format", "join"):
        # "English {x}".format(...) and "; ".join(f"English {x}" ...)
        found = _literal_texts(node.func.value) if node.func.attr == "format" else []
        for arg in node.args:
            found += _literal_texts(arg)
        return found
    if isinstance(node, (ast.GeneratorExp, ast.ListComp)):
        return _literal_texts(node.elt)
    if isinstance(node, ast.IfExp):
        return _literal_texts(node.body) + _literal_texts(node.orelse)
    return []


def unmarked(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    where = path.relative_to(REPO).as_posix() if path.is_relative_to(REPO) else path.name
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id if isinstance(node.func, ast.Name) else ""
        if name not in ELEMENTS:
            continue
        arguments = ([] if name in FIRST_IS_A_PAGE else node.args[:1]) + [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS]
        for argument in arguments:
            for text in _literal_texts(argument):
                if (where, text) not in ALLOWED:
                    found.append((node.lineno, text))
    return found


def hidden_from_pybabel(path: Path) -> list[int]:
    """Lines with a gettext call inside an f-string: Python 3.11's tokenizer gives pybabel the whole
    f-string as one token, so such a message never reaches the catalogue and is never translated."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return sorted({
        inner.lineno for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
        for value in node.values if isinstance(value, ast.FormattedValue)
        for inner in ast.walk(value.value) if _is_gettext(inner)
    })  # fmt: skip


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_no_gettext_call_hides_inside_an_f_string(path):
    assert hidden_from_pybabel(path) == [], f"{path.name}: move these gettext calls out of their f-strings"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_streamlit_text_goes_through_gettext(path):
    problems = unmarked(path)
    assert not problems, "\n".join(f"{path.name}:{line}: {text!r} is not marked for translation" for line, text in problems)


def test_the_check_finds_what_it_is_meant_to_find(tmp_path):
    """The checker itself: an unmarked literal, f-string, concatenation and .format() are found;
    marked ones, data and letterless markup are not."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import streamlit as st\n"
        "st.title('Find help')\n"
        "st.caption(f'{n} found')\n"
        "st.markdown('Nothing here. ' + md(x))\n"
        "st.button('Show {n}'.format(n=1))\n"
        "st.page_link(p, label='Open')\n"
        "st.Page('app_pages/x.py', title=_('Find help'))\n"
        "st.title(_('Find help'))\n"
        "st.caption(_('{n} found').format(n=n))\n"
        "st.markdown(md(name))\n"
        "st.markdown(' · '.join(parts))\n"
        "st.selectbox(tr.gettext('Distance'), options)\n",
        encoding="utf-8",
    )
    assert [line for line, _ in unmarked(sample)] == [2, 3, 4, 5, 6]
    hidden = tmp_path / "hidden.py"
    hidden.write_text("x = f'<b>{_(\"Quick exit\")}</b>'\ny = _('Quick exit')\n", encoding="utf-8")
    assert hidden_from_pybabel(hidden) == [1]
