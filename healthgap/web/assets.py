"""Vendored front-end files, versioned in their names (see static/vendor/VERSIONS.txt)."""

GOVUK_FRONTEND_VERSION = "5.8.0"

ASSETS = {
    "stylesheet": f"healthgap/healthgap-govuk-{GOVUK_FRONTEND_VERSION}.css",
    "govuk_js": f"vendor/govuk-frontend/govuk-frontend-{GOVUK_FRONTEND_VERSION}.min.js",
    "vega": "vendor/vega-5.30.0.min.js",
    "vega_lite": "vendor/vega-lite-5.21.0.min.js",
    "vega_embed": "vendor/vega-embed-6.26.0.min.js",
    # CSP-safe charts: Vega's expressions interpreted instead of compiled with new Function(),
    # and vega-embed's and vega-tooltip's stylesheets as files instead of injected <style>.
    "vega_interpreter": "vendor/vega-interpreter-1.0.5.min.js",
    "vega_embed_css": "vendor/vega-embed-6.26.0.css",
    "vega_tooltip_css": "vendor/vega-tooltip-0.34.0.css",
    "charts": "healthgap/charts.js",
    # Files, not inline code: the Content Security Policy allows scripts from this site only.
    "js_enabled": "healthgap/js-enabled.js",
    "govuk_init": "healthgap/govuk-init.js",
}


def assets(request):
    """Context processor: ``{% static assets.vega %}`` in templates."""
    return {"assets": ASSETS}
