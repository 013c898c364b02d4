"""The national rule (评测指标 2024年版) and the industry rubrics: the questionnaire model, its
loading and checks, the answers format, single and batch scoring, the four maturity dimensions.

Pure: imports only ``diagnose.problems`` and itself; no store, no Streamlit, no clock.
"""
