"""Result cards: the list is the primary, accessible view of a search.

All text from the directory goes through ui.text (md, link) before it reaches markdown.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

import pandas as pd
import streamlit as st

from helpmap import labels
from helpmap.config import Settings
from helpmap.mapview import area_text, format_distance
from ui.text import link, md, safe_web_url, tel_href


def render_card(row: pd.Series, settings: Settings, key_prefix: str, show_distance: bool = True) -> None:
    # The key gives each card a stable class (st-key-card-...) for tests and styling.
    with st.container(border=True, key=f"card-{key_prefix}"):
        st.markdown(f"#### {md(row['name'])}")
        kind = labels.word(labels.KINDS, row["kind"])
        facts = [kind]
        if show_distance and pd.notna(row.get("distance_km")):
            facts.append(format_distance(row["distance_km"], settings.units))
        if row["organization"]:
            facts.append(md(row["organization"]))
        st.markdown(" · ".join(facts))
        st.markdown("  \n".join(_detail_lines(row, settings)))
        _render_actions(row, settings, key_prefix)


def _detail_lines(row: pd.Series, settings: Settings) -> list[str]:
    lines = []
    area = area_text(row)
    if area and pd.notna(row.get("latitude")):
        note = " (area only: contact them for the exact place)" if row["approximate"] == "yes" else ""
        lines.append(f"**Where:** {md(area)}{note}")
    if row.get("status"):
        lines.append(f"**When:** {md(row['status'])}")
    if row["phone"]:
        lines.append(f"**Phone:** {link(row['phone'], tel_href(row['phone']))}")
    online = [link("Join online", safe_web_url(row["online_url"]))] if safe_web_url(row["online_url"]) else []
    if row["online_phone"]:
        online.append(f"by phone {link(row['online_phone'], tel_href(row['online_phone']))}")
    if online:
        lines.append(f"**Online:** {' or '.join(online)}")
    if safe_web_url(row["website"]):
        lines.append(f"**Website:** {link(_short_url(row['website']), row['website'])}")
    cost = labels.words(labels.COST, row["cost"]) if row["cost"] else ""
    payment = [p for p in row["payment"].split(";") if p.strip() and p.strip() != row["cost"]]
    if cost:
        lines.append(f"**Cost:** {md(cost)}")
    if payment:
        lines.append(f"**Payment accepted:** {md(labels.words(labels.PAYMENT, ';'.join(payment)))}")
    if row["services"]:
        lines.append(f"**Services:** {md(labels.words(labels.SERVICES, row['services']))}")
    if row["languages"]:
        lines.append(f"**Languages:** {md(row['languages'].replace(';', ', '))}")
    access = [text for flag, text in (("wheelchair", "Wheelchair accessible"), ("walk_in", "Walk-in welcome"))
              if row[flag] == "yes"]  # fmt: skip
    if row["referral_required"] == "yes":
        access.append("Referral needed")
    if access:
        lines.append(f"**Access:** {', '.join(access)}")
    if row["source"] and row["source"] != "demo":  # real listings say whose they are (demo rows say so in their name)
        lines.append(f"**Source:** {md(row['source'])}")
    lines.append(_verified_line(row["last_verified"], settings.stale_after_days))
    return lines


def _verified_line(last_verified: str, stale_after_days: int) -> str:
    if not last_verified:
        return "**Last checked:** not known. Call before you go."
    checked = date.fromisoformat(last_verified)
    age = (datetime.now(timezone.utc).date() - checked).days
    if age > stale_after_days:
        return f"**Last checked:** {checked:%d %b %Y}. ⚠️ This listing may be out of date: call before you go."
    return f"**Last checked:** {checked:%d %b %Y}"


def _short_url(url: str) -> str:
    return url.split("://", 1)[-1].rstrip("/")[:60]


def directions_url(row: pd.Series, settings: Settings) -> str | None:
    if pd.isna(row.get("latitude")):
        return None
    return settings.directions_url.format(lat=f"{row['latitude']:.5f}", lon=f"{row['longitude']:.5f}")


def _render_actions(row: pd.Series, settings: Settings, key_prefix: str) -> None:
    links = []
    directions = directions_url(row, settings)
    if directions:
        links.append(link("Directions", directions))
    if settings.report_problem_url:
        links.append(link("Report a problem with this listing", _report_url(settings.report_problem_url, row)))
    if links:
        st.markdown(" · ".join(links))
    referral = st.session_state.setdefault("referral_ids", [])
    if row["id"] in referral:
        st.caption("Added to the referral list.")
    elif st.button("Add to referral", key=f"{key_prefix}-add-{row['id']}"):
        referral.append(row["id"])
        st.rerun()


def _report_url(base: str, row: pd.Series) -> str:
    from urllib.parse import quote

    subject = quote(f"Problem with listing {row['id']}: {row['name'][:80]}")
    if base.startswith("mailto:"):
        return f"{base}{'&' if '?' in base else '?'}subject={subject}"
    return f"{base}{'&' if '?' in base else '?'}listing={quote(str(row['id']))}"
