"""The outcome pages: each module builds one page type's data (tables, charts, filters) from an
area and the query string, so that the HTML page, its ``.json`` twin and its downloads agree."""
