// Runs first in <body>, before it is painted: GOV.UK Frontend styles its components for
// JavaScript only when these classes are on the body (a file, as the CSP allows no inline code).
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
