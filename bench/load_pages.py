"""The public pages and API calls the bounded load test reads, apart from the Locust users:
importing locust patches the standard library (gevent), which the other benchmarks must not
meet."""

COVENTRY, LEICESTER = "/areas/E08000026", "/areas/E06000016"
PAGES = [
    "/",
    COVENTRY,
    COVENTRY + "/profile",
    COVENTRY + "/compare",
    COVENTRY + "/trends",
    COVENTRY + "/map",
    LEICESTER + "/inequalities",
    LEICESTER + "/premature-mortality",
    COVENTRY + "/profile.json",
    COVENTRY + "/profile/indicators.csv",
    "/programmes/",
    "/programmes.json",
    # The open-data API and a Fingertips-compatible call (issue 17: "public pages and API").
    "/api/v1/areas/E08000026",
    "/api/v1/indicators",
    "/api/v1/values?indicator=41001&area=E08000026",
    "/api/all_data/csv/by_indicator_id?indicator_ids=41001&child_area_type_id=202"
    "&parent_area_type_id=15",
]
