"""Closing the gap: the deaths a year an area would need to avert to reach a target's death
rates, and its life expectancy gap split by age band and cause (Arriaga), in the style of the
Health Inequalities Intervention Tool and OHID's Segment Tool.

Real data first (``published``): ONS deaths and populations by authority, sex and age band give
the gap with England (or the best-quartile threshold authority) for men and women. Causes,
deprivation within the area and wards (``local``) come from the council's record-level deaths
extract (the demo's is synthetic, and the page says so), compared with the area's own least
deprived fifth, under disclosure control (``disclosure``). ``page`` builds the page from the
sections (chart and download table each) of ``published_sections`` and ``local_sections``.
"""
