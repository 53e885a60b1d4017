// Renders every Vega-Lite chart on the page from the JSON spec placed beside it by the server.
// Charts render as SVG; the data behind each one is also in a table and a download link.
(function () {
  "use strict";
  const embedOptions = {
    renderer: "svg",
    // Only local exports: the editor and source links would open another site.
    actions: { export: true, source: false, compiled: false, editor: false },
    tooltip: { theme: "light" },
  };

  function render(container) {
    const specElement = document.getElementById(container.dataset.specId);
    if (!specElement) return;
    const spec = JSON.parse(specElement.textContent);
    vegaEmbed(container, spec, embedOptions)
      .then(function (result) {
        container.dataset.rendered = "true";
        const actions = container.querySelector("details > summary");
        if (actions) {
          // vega-embed's menu button is an icon only; give it a name for screen readers.
          actions.setAttribute("aria-label", "Save this chart as an image (SVG or PNG)");
        }
        const svg = container.querySelector(":scope > svg");
        if (svg) {
          // The figure's caption and table carry the description; name the image after it.
          svg.setAttribute("role", "img");
          svg.setAttribute("aria-label", container.dataset.label || "Chart");
        }
        return result;
      })
      .catch(function (error) {
        container.dataset.rendered = "error";
        container.textContent = "The chart could not be drawn: the table below has the same data.";
        console.error(error);
      });
  }

  document.querySelectorAll("[data-spec-id]").forEach(render);
})();
