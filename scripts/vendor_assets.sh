#!/usr/bin/env bash
# Copies the front-end libraries installed from the npm registry into the app's static files,
# each with its version in the file name, and compiles the stylesheet. Run by `make vendor`;
# the output is committed so that `make run` needs no Node.js.
set -euo pipefail
cd "$(dirname "$0")/.."
version() { node -p "require('./node_modules/$1/package.json').version"; }
out=healthgap/web/static/vendor
rm -rf "$out" && mkdir -p "$out/govuk-frontend/assets"
for lib in vega vega-lite vega-embed vega-interpreter; do
  cp "node_modules/$lib/build/$lib.min.js" "$out/$lib-$(version "$lib").min.js"
done
# vega-embed and vega-tooltip would inject their stylesheets as <style> elements, which the
# Content Security Policy blocks: serve them as files instead (from each package's src/style.ts).
for lib in vega-embed vega-tooltip; do
  node -e 'const ts = require("fs").readFileSync(process.argv[1], "utf8");
    process.stdout.write(ts.slice(ts.indexOf("`") + 1, ts.lastIndexOf("`")));' \
    "node_modules/$lib/src/style.ts" > "$out/$lib-$(version "$lib").css"
done
govuk=$(version govuk-frontend)
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$out/govuk-frontend/govuk-frontend-$govuk.min.js"
cp -r node_modules/govuk-frontend/dist/govuk/assets/images "$out/govuk-frontend/assets/"
npx --no-install sass --no-source-map --style=compressed --quiet-deps --silence-deprecation=import \
  --load-path=node_modules healthgap/web/styles/healthgap.scss "healthgap/web/static/healthgap/healthgap-govuk-$govuk.css"
cat > "$out/VERSIONS.txt" <<VERSIONS
From the npm registry (licences: vega, vega-lite, vega-embed, vega-interpreter, vega-tooltip
BSD-3-Clause; govuk-frontend MIT):
vega $(version vega)
vega-lite $(version vega-lite)
vega-embed $(version vega-embed)
vega-interpreter $(version vega-interpreter)
vega-tooltip $(version vega-tooltip)
govuk-frontend $govuk
VERSIONS
echo "vendored into $out"
