#!/usr/bin/env bash
# Copy the browser assets pinned in package.json/package-lock.json into the repository, so that
# the page needs no CDN and no npm at run time: Leaflet into web/static/vendor/leaflet/ and
# axe-core (browser tests only) into tests/web/vendor/axe-core/, each with its licence.
# Run it after changing a version in package.json: `bash scripts/vendor_assets.sh`.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cp "$repo/package.json" "$repo/package-lock.json" "$work/"
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)

leaflet="$repo/web/static/vendor/leaflet"
rm -rf "$leaflet" && mkdir -p "$leaflet/images"
cp "$work/node_modules/leaflet/dist/leaflet.js" "$work/node_modules/leaflet/dist/leaflet.css" "$leaflet/"
cp "$work/node_modules/leaflet/dist/images/"*.png "$leaflet/images/"
cp "$work/node_modules/leaflet/LICENSE" "$leaflet/LICENSE"

axe="$repo/tests/web/vendor/axe-core"
rm -rf "$axe" && mkdir -p "$axe"
cp "$work/node_modules/axe-core/axe.min.js" "$work/node_modules/axe-core/LICENSE" "$axe/"

for pkg in leaflet axe-core; do
  echo "$pkg $(node -p "require('$work/node_modules/$pkg/package.json').version")"
done
