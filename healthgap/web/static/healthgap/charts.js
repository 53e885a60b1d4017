// Renders every Vega-Lite chart on the page from the JSON spec placed beside it by the server.
// Charts render as SVG; the data behind each one is also in a table and a download link.
// A select with data-focus-chart="<chart id>" is the keyboard path into a map: choosing an
// option outlines that area (the chart's "focus" signal) and shows its details as text.
(function () {
  "use strict";
  const embedOptions = {
    renderer: "svg",
    // Only local exports: the editor and source links would open another site.
    actions: { export: true, source: false, compiled: false, editor: false },
    // The Content Security Policy allows no eval and no inline styles: Vega's expressions are
    // interpreted from their syntax tree, and the stylesheets are files linked by the page.
    ast: true,
    expr: vega.expressionInterpreter,
    defaultStyle: false,
    // Without vega-embed's injected style it would show the actions as an open list over the
    // chart; this keeps them in their closed menu (styled by the linked vega-embed stylesheet).
    forceActionsMenu: true,
    tooltip: { theme: "light", disableDefaultStyle: true },
  };
  const views = {};

  function render(container) {
    const specElement = document.getElementById(container.dataset.specId);
    if (!specElement) return;
    const spec = JSON.parse(specElement.textContent);
    vegaEmbed(container, spec, embedOptions)
      .then(function (result) {
        views[container.id] = result.view;
        container.dataset.rendered = "true";
        // vega-embed's actions menu opens from an icon-only summary: give it a name.
        container.querySelectorAll("details > summary").forEach(function (summary) {
          summary.setAttribute("aria-label", "Chart actions: save the chart as an image");
        });
        const svg = container.querySelector("svg");
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

  function focusArea(select) {
    const view = views[select.dataset.focusChart];
    if (view) view.signal("focus", select.value).runAsync();
    const panel = document.getElementById(select.dataset.detailsPanel);
    const option = select.selectedOptions[0];
    if (panel) panel.textContent = (option && option.dataset.details) || "";
  }

  document.querySelectorAll("[data-spec-id]").forEach(render);
  document.querySelectorAll("select[data-focus-chart]").forEach(function (select) {
    select.addEventListener("change", function () { focusArea(select); });
  });
})();
