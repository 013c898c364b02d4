"""The pilot planner: which enterprises to bring to 二级, with which catalog products, at what public cost.

Pure (no store, no Streamlit): the subsidy rule as data (subsidy), one enterprise's bundles and
their keys (bundles), the exact choice of enterprises (choose), the plan's tables and workbook
(tables, workbook). May import catalog, rule, pilot and problems; services/planner.py feeds it.
"""
