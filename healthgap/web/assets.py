"""Vendored front-end files, versioned in their names (see static/vendor/VERSIONS.txt)."""

GOVUK_FRONTEND_VERSION = "5.8.0"

ASSETS = {
    "stylesheet": f"healthgap/healthgap-govuk-{GOVUK_FRONTEND_VERSION}.css",
    "govuk_js": f"vendor/govuk-frontend/govuk-frontend-{GOVUK_FRONTEND_VERSION}.min.js",
    "vega": "vendor/vega-5.30.0.min.js",
    "vega_lite": "vendor/vega-lite-5.21.0.min.js",
    "vega_embed": "vendor/vega-embed-6.26.0.min.js",
    "charts": "healthgap/charts.js",
}


def assets(request):
    """Context processor: ``{% static assets.vega %}`` in templates."""
    return {"assets": ASSETS}
