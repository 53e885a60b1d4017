"""The public pages the bounded load test reads, apart from the Locust users: importing locust
patches the standard library (gevent), which the other benchmarks must not meet."""

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
]
