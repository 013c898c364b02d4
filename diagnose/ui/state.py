"""What pages share across reruns: loaded once per process, never a user's data."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from diagnose import services


def shipped_questionnaires():
    """The questionnaires in use; read-only objects, so all sessions may share them."""
    return _questionnaires_in(str(services.questionnaire_directory()))


@st.cache_resource(show_spinner=False)
def _questionnaires_in(directory: str):
    # keyed on the folder, so pointing DIAGNOSE_QUESTIONNAIRES elsewhere loads afresh
    return services.questionnaires(Path(directory))


def store():
    """The records store named by DIAGNOSE_DATABASE_URL (or the default file), migrated once
    per process."""
    from diagnose.store import database_url

    return _store_at(database_url())


@st.cache_resource(show_spinner=False)
def _store_at(url: str):
    # one engine (a connection pool) per database for all sessions; never a user's data
    from diagnose.services import open_store
    from diagnose.services.backup import serve_from

    made = open_store(url)
    serve_from(made)  # a restore waits until this process has stopped
    # the schema only: building the dashboard's sums may take a minute on a province's data,
    # which is `diagnose db upgrade`'s job (`make run` runs it), not a first page's
    made.upgrade(build_sums=False)
    return made


UNEXPECTED = ("页面出现意外错误，已记录下来。已保存的内容不受影响，未能保存的内容仍在表单中；"
              "请刷新页面后重试，如仍出现请联系管理员。")  # fmt: skip


def guarded(draw, where: str) -> None:
    """Run ``draw()``; a bug in it (never a refusal: those are shown where they happen) is logged
    and said in Chinese instead of Streamlit's English error box. Reruns and stops pass through."""
    import logging

    try:
        draw()
    except Exception:
        logging.getLogger("diagnose").exception("%s failed", where)
        st.error(UNEXPECTED, icon=":material/error:")
