"""The approved product catalog (数字化产品清单) as checked data, and the exact cheapest
recommendation of products that reaches a level.

Pure: imports ``diagnose.rule``, ``diagnose.pilot`` and ``diagnose.problems``; no store, no Streamlit.
"""
