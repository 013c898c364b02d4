"""One way for a page to take an action: call the service; on success rerun the page with what was
done as its notice, else say why next to the button (each named field on its own line)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from diagnose.services.errors import ServiceError, ValidationFailed


def act(call: Callable[[], Any], notice: str, done: Callable[[Any], str]) -> None:
    """Run ``call``; on success keep ``done(result)`` in ``st.session_state[notice]`` and rerun."""
    try:
        result = call()
    except ValidationFailed as refused:
        for problem in refused.problems:
            st.error(problem.message)
        return
    except ServiceError as refused:
        st.error(str(refused))
        return
    st.session_state[notice] = done(result)
    st.rerun()
