"""The officials' dashboard (看板): its filter, the figures from the records, the sums every
write keeps, the tables both end in, its charts, and the pilot's target by the counting rule.

Pure (pandas, plotly): imports ``diagnose.pilot``, ``diagnose.latest`` and ``diagnose.report.fonts``;
the store feeds it frames, never the other way round.
"""
