"""Letters and reports as PDF (WeasyPrint), from the same template the HTML page includes."""

from django.http import HttpResponse
from django.template.loader import render_to_string


def pdf_response(template: str, context: dict, filename: str, request) -> HttpResponse:
    """Renders ``template`` (a standalone print page) to a PDF download."""
    from weasyprint import CSS, HTML  # imported here: loads pango, which only PDFs need

    html = render_to_string(template, context, request=request)
    # The print stylesheet is given to WeasyPrint, not inlined: templates carry no <style>.
    stylesheet = CSS(string=render_to_string("improvement/_print.css"))
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        stylesheets=[stylesheet]
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
