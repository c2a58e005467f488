"""Referral sheet: the services a caseworker chose, put in order and annotated, handed over as a
printable sheet, a CSV, a calendar file or a share link.

Privacy: the list and the notes live only in this browser session's state (gone when the tab
closes). The share link carries service ids only. Files are made when a download button is
pressed, from that moment's list and notes, and sent straight to the browser.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path

import streamlit as st

from helpmap import ics, labels, presentation, referral, referral_facts, referral_sheet, schedule
from helpmap.presentation import area_text
from ui import data, language, results
from ui.text import md

settings = data.settings()
# Read once per run: the download buttons build their files on a thread without the request.
page_language = language.current_language()
frame = data.loaded_directory().frame
by_id = frame.drop_duplicates("id").set_index("id", drop=False)
# Mutable holders, changed in place: the download buttons build their files later, on a thread
# with no access to st.session_state, from these same objects.
ids: list[str] = st.session_state.setdefault("referral_ids", [])
notes: dict[str, str] = st.session_state.setdefault("referral_notes", {})  # service id -> note
sheet: dict = st.session_state.setdefault("referral_sheet", {"client_note": "", "calendar": None})


def apply_share_link() -> None:
    """?ids=a,b,c fills the list, once per link (the list the caseworker then edits wins)."""
    asked = st.query_params.get_all("ids")
    if not asked or st.session_state.get("_referral_link") == asked:
        return
    st.session_state["_referral_link"] = asked
    resolved = referral.resolve(frame, referral.parse_ids(asked))
    ids[:] = list(resolved.rows["id"])
    st.session_state["_referral_unknown"] = resolved.unknown


# A quick second click can arrive for a service the first click already moved or removed:
# callbacks check the id is still listed rather than assume it.
def move(service_id: str, step: int) -> None:
    if service_id not in ids:
        return
    position = ids.index(service_id)
    other = position + step
    if 0 <= other < len(ids):
        ids[position], ids[other] = ids[other], ids[position]


def remove(service_id: str) -> None:
    if service_id in ids:
        ids.remove(service_id)
    notes.pop(service_id, None)  # nothing about the person is kept once it is not needed
    st.session_state.pop(f"_note_{service_id}", None)


def clear_all() -> None:
    ids.clear()
    notes.clear()
    sheet.update(client_note="", calendar=None)
    for key in [k for k in st.session_state if str(k).startswith(("_note_", "_client_note", "_calendar"))]:
        del st.session_state[key]


def keep_note(service_id: str) -> None:
    notes[service_id] = st.session_state[f"_note_{service_id}"]


def keep(name: str, widget_key: str) -> None:
    sheet[name] = st.session_state[widget_key]


def widget_value(widget_key: str, value) -> None:
    """Widgets forget their state when their page is left; the lasting copy lives in plain keys."""
    if widget_key not in st.session_state:
        st.session_state[widget_key] = value


def service_card(position: int, service_id: str) -> None:
    with st.container(border=True):
        if service_id not in by_id.index:
            st.markdown(f"**{position + 1}. {md(service_id)}**: this service is no longer in the directory.")
            st.button("Remove", key=f"remove-{service_id}", on_click=remove, args=(service_id,))
            return
        row = by_id.loc[service_id]
        status = schedule.status_for(row, datetime.now(timezone.utc)).text
        where = area_text(row) if row["attendance"] != "online" else "Online"
        st.markdown(
            f"**{position + 1}. {md(row['name'])}**  \n"
            + " · ".join(
                md(p) for p in (labels.word(labels.KINDS, row["kind"]), where, status, row["phone"]) if p
            )
        )
        with st.container(horizontal=True, gap="small"):
            st.button("Move up", key=f"up-{service_id}", icon=":material/arrow_upward:", disabled=position == 0,
                      on_click=move, args=(service_id, -1))  # fmt: skip
            st.button("Move down", key=f"down-{service_id}", icon=":material/arrow_downward:",
                      disabled=position == len(ids) - 1, on_click=move, args=(service_id, 1))  # fmt: skip
            st.button("Remove", key=f"remove-{service_id}", icon=":material/close:", on_click=remove,
                      args=(service_id,))  # fmt: skip
        widget_value(f"_note_{service_id}", notes.get(service_id, ""))
        st.text_area(
            f"Note about {md(row['name'][:60])} (optional)",  # labels are markdown: escape
            key=f"_note_{service_id}",
            on_change=keep_note,
            args=(service_id,),
            max_chars=500,
            height=68,
            placeholder="For example: ask for Sam at the front desk",
        )


def current_referral() -> referral_facts.Referral:
    """The referral as it stands now. No st.* calls: download buttons call this on click."""
    chosen = referral.resolve(frame, list(ids)).rows
    codes = referral.countries(chosen, settings.country)
    return referral_facts.Referral(
        rows=chosen,
        made=datetime.now(timezone.utc),
        notes=dict(notes),
        client_note=sheet["client_note"],
        title=settings.title,
        directions_url=settings.directions_url,
        helplines=referral.helplines_for(codes, settings.country, settings.helplines),
        lang=page_language,
    )


def sheet_file() -> bytes:
    return referral_sheet.sheet_html(current_referral()).encode("utf-8")


def csv_file() -> bytes:
    return referral.csv_bytes(current_referral())


def calendar_file() -> bytes:
    now = current_referral()
    chosen = sheet["calendar"]
    rows = now.rows if chosen is None else now.rows[now.rows["id"].isin(chosen)]
    return ics.ics_text(replace(now, rows=rows)).encode("utf-8")


def render_outputs(snapshot: referral_facts.Referral) -> None:
    meeting_ids = list(ics.meeting_rows(snapshot.rows)["id"])
    chosen_meetings: list[str] = []
    if meeting_ids:
        st.subheader("Calendar")
        saved = sheet["calendar"]  # None until the caseworker changes it: every meeting
        if "_calendar" in st.session_state:  # a removed meeting must leave the widget's choice too
            st.session_state["_calendar"] = [i for i in st.session_state["_calendar"] if i in meeting_ids]
        widget_value(
            "_calendar", [i for i in (saved if saved is not None else meeting_ids) if i in meeting_ids]
        )
        chosen_meetings = st.multiselect(
            "Meetings to put in the calendar file (each repeats weekly, at its local time)",
            meeting_ids,
            key="_calendar",
            on_change=keep,
            args=("calendar", "_calendar"),
            format_func=lambda i: by_id.loc[i, "name"],
        )

    st.subheader("Hand it over")
    stamp = date.today().isoformat()
    with st.container(horizontal=True, gap="small"):
        st.download_button("Printable sheet (HTML)", sheet_file, file_name=f"referral-{stamp}.html",
                           mime="text/html", icon=":material/print:", on_click="ignore", type="primary")  # fmt: skip
        st.download_button("Spreadsheet (CSV)", csv_file, file_name=f"referral-{stamp}.csv", mime="text/csv",
                           icon=":material/table:", on_click="ignore")  # fmt: skip
        if meeting_ids:
            st.download_button("Calendar (.ics)", calendar_file, file_name=f"meetings-{stamp}.ics",
                               mime="text/calendar", icon=":material/event:", on_click="ignore",
                               disabled=not chosen_meetings)  # fmt: skip
    st.caption(
        "Open the sheet in a browser and print it, or save it as a PDF. Listings can change: call before you go."
    )

    link = referral.share_url(st.context.url, ids) if st.context.url else "?" + referral.share_query(ids)
    st.markdown("**Share link**: opens this list of services on another device. It holds only the services, "
                "never your notes or where the person is.")  # fmt: skip
    st.code(link, language=None, wrap_lines=True)

    with st.expander("Preview of the printable sheet", expanded=True):
        st.html(referral_sheet.sheet_html(snapshot, standalone=False))  # it escapes every data text


def sync_address_bar() -> None:
    """The address bar keeps the list (never the notes), so a reload keeps it too; `edit=1`
    marks the caseworker's editing view, which the shared link (ids only) never carries."""
    wanted = [",".join(ids)] if ids else []
    if st.query_params.get_all("ids") != wanted or (ids and st.query_params.get("edit") != "1"):
        if ids:
            st.query_params["ids"] = wanted[0]
            st.query_params["edit"] = "1"
        else:
            st.query_params.pop("ids", None)
            st.query_params.pop("edit", None)
        st.session_state["_referral_link"] = wanted


def is_client_view() -> bool:
    """The link a caseworker shares (/referral?ids=...) opens the client's read-only sheet."""
    return bool(st.query_params.get("ids")) and st.query_params.get("edit") != "1"


def render_client_view() -> None:
    """Phone first: each service's Call and Directions at the top of its card; no editing."""
    resolved = referral.resolve(frame, referral.parse_ids(st.query_params.get_all("ids")))
    chosen = resolved.rows
    st.title("Your list of services")
    st.markdown("Someone chose these services for you. Listings can change: **call before you go.**")
    if resolved.unknown:
        st.warning(md(referral.unknown_message(resolved.unknown)))
    if not len(chosen):
        st.info("None of the services in this link are listed any more. The help lines above are available.")
        return
    codes = referral.countries(chosen, settings.country)
    if not st.session_state.get("searcher_country"):
        st.session_state["searcher_country"] = codes[0]
    first = chosen.iloc[0]
    zone = st.context.timezone or first["timezone"] or ""
    display = results.display_for(settings, zone, codes[0])
    st.html(presentation.client_sheet_html(results.views(chosen), display))
    st.caption("Times are shown on your device's clock where it told us its time zone.")
    with st.expander("For the caseworker who made this list"):
        st.page_link(Path(__file__), label="Edit this list", query_params={"ids": ",".join(chosen["id"]), "edit": "1"},
                     icon=":material/edit:")  # fmt: skip


def render() -> None:
    # No st.stop() here: app.py draws the crisis bar and quick exit after this page returns.
    if is_client_view():
        render_client_view()
        return
    st.title("Referral sheet")
    st.markdown(
        "Gather services for someone and hand them over: printed, as a file, in their calendar, or as a link. "
        "**Nothing about the person is saved:** notes stay in this browser tab until it is closed, and the share "
        "link holds only the services."
    )
    apply_share_link()
    unknown = st.session_state.get("_referral_unknown")
    if unknown:
        st.warning(md(referral.unknown_message(unknown)))
    sync_address_bar()
    if not ids:
        st.info("No services yet. On **Find help**, press **Add to referral** on each service you want here.")
        st.page_link(
            Path(__file__).with_name("find_help.py"), label="Go to Find help", icon=":material/location_on:"
        )
        return

    st.subheader(f"Services ({len(ids)})")
    for position, service_id in enumerate(list(ids)):
        service_card(position, service_id)
    st.button("Clear the list and notes", icon=":material/delete:", on_click=clear_all)

    st.subheader("A note for the person")
    widget_value("_client_note", sheet["client_note"])
    st.text_area("Note printed at the top of the sheet (optional)", key="_client_note", on_change=keep,
                 args=("client_note", "_client_note"), max_chars=1000, height=90,
                 placeholder="For example: start with the Tuesday meeting; call FRANK any time")  # fmt: skip

    snapshot = current_referral()
    if len(snapshot.rows) and not st.session_state.get("searcher_country"):
        # Someone opening a share link has not searched: the crisis bar follows the services' country.
        st.session_state["searcher_country"] = referral.countries(snapshot.rows, settings.country)[0]
    render_outputs(snapshot)


render()
