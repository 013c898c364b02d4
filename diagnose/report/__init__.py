"""What an enterprise's page (企业画像) and its report show: the view's data, the result's screen
charts, the PDF/HTML report (中小企业数字化转型咨询诊断报告) with its chart images and CJK font.

Pure: imports ``diagnose.rule``, ``diagnose.visit``, ``diagnose.catalog`` and ``diagnose.pilot``;
``services/profile_view.py`` and ``services/report.py`` gather what it shows.
"""
