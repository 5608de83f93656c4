#!/usr/bin/env bash
# Rebuild static/govuk-frontend/ from the npm package govuk-frontend, at the version that
# package.json pins (package-lock.json holds the exact tree):
#
#   tools/govuk-frontend/build.sh
#
# Writes the compiled stylesheet (govuk-frontend.scss: the system font stack in place of GDS
# Transport), the package's own compiled script, the licence and VERSION. Needs Node.js and npm;
# the app itself needs neither: what this writes is committed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../../static/govuk-frontend"
cd "$here"
npm ci --ignore-scripts --no-audit --no-fund
dist=node_modules/govuk-frontend/dist/govuk
version="$(node -p 'require("govuk-frontend/package.json").version')"
mkdir -p "$out"
# --quiet-deps: GOV.UK Frontend 5 still uses Sass's @import, which Sass now warns about.
npx sass --no-source-map --style=compressed --quiet-deps --silence-deprecation=import \
  --load-path=node_modules govuk-frontend.scss "$out/govuk-frontend.min.css"
# Without its source-map comment: the map is not shipped.
sed "s|//# sourceMappingURL=.*$||" "$dist/govuk-frontend.min.js" > "$out/govuk-frontend.min.js"
cp LICENCE.txt "$out/LICENCE.txt"
printf 'govuk-frontend %s (npm), built by tools/govuk-frontend/build.sh\n' "$version" > "$out/VERSION"
echo "static/govuk-frontend/ now holds govuk-frontend $version"
