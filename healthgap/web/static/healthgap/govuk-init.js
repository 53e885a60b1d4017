// Starts GOV.UK Frontend's components. The library's versioned file name comes from the
// script element's data-govuk-frontend attribute, which the template fills with its static URL.
const script = document.querySelector("script[data-govuk-frontend]");
const { initAll } = await import(script.dataset.govukFrontend);
initAll();
