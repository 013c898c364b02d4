"""One visit (把脉问诊): the items typed one by one, the form's widgets ↔ items, evidence files,
and the comparison of two results of one enterprise.

Pure: imports ``diagnose.rule``, ``diagnose.clock`` and ``diagnose.problems``; no store, no Streamlit.
"""
