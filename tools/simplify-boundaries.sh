#!/usr/bin/env bash
# Builds the map layers the server draws from the shipped WGS84 boundaries in data/boundaries/:
# projected to British National Grid (EPSG:27700), simplified with mapshaper (which builds arc
# topology, so an edge shared by two areas is simplified once: no gaps, no slivers), coordinates
# rounded to whole metres, properties renamed to `code` and `name`, written gzipped to
# data/boundaries/simplified/. Run once after the source boundaries change; the output is
# committed (the server never runs mapshaper).
#
# Usage: tools/simplify-boundaries.sh            (needs node + npm; mapshaper is fetched pinned)
set -euo pipefail

MAPSHAPER_VERSION=0.7.70
root="$(cd "$(dirname "$0")/.." && pwd)"
src="$root/data/boundaries"
lookups="$root/data/geography_lookups"
out="$src/simplified"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A pinned mapshaper in a throwaway directory: nothing is installed globally.
npm install --silent --no-audit --no-fund --prefix "$work/npm" "mapshaper@$MAPSHAPER_VERSION" >/dev/null
ms="$work/npm/node_modules/.bin/mapshaper"
"$ms" -v | grep -qx "$MAPSHAPER_VERSION"

mkdir -p "$out"

# layer <name> <input> <code field> <name field> <keep ratio>
# keep = share of removable vertices kept (Visvalingam, mapshaper's default weighting);
# keep-shapes stops small islands and tiny areas from vanishing.
layer() {
  local name="$1" input="$2" code="$3" label="$4" keep="$5"
  "$ms" -quiet -i "$input" \
    -proj EPSG:27700 \
    -simplify "$keep" keep-shapes \
    -rename-fields "code=$code,name=$label" \
    -filter-fields code,name \
    -o "$work/$name.geojson" precision=1 format=geojson
  # -n: no file name or timestamp in the header, so reruns give identical bytes.
  gzip -9n -c "$work/$name.geojson" >"$out/$name.geojson.gz"
}

# District layers (BUC, already ultra-generalised ~500 m): drawn for all of England at about
# 1 px per km. keep=0.7 changes no district's area by more than 7% (the Isles of Scilly, the
# smallest; 0.5 halved them).
layer lad24 "$src/lad24_uk_buc.geojson" ltla24_code ltla24_name 0.7
layer lad19 "$src/lad19_uk_buc.geojson" ltla19_code ltla19_name 0.7
# Small areas (BSC, ~200 m generalisation, already simplified): drawn a district at a time.
# Not simplified further: even keep=0.6 shrank 885 urban LSOAs to under half their area and
# collapsed one (E01008627) to nothing, for a 15% smaller file. Projected and rounded only.
layer lsoa21 "$src/lsoa21_ew_bsc.geojson.gz" lsoa21_code lsoa21_name 1
layer lsoa11 "$src/lsoa11_ew_bsc.geojson.gz" lsoa11_code lsoa11_name 1
# Already simplified to 5% by geographr: project and round only.
layer dz11 "$src/datazones2011_scotland.geojson.gz" dz11_code dz11_name 1
layer soa01 "$src/soa2001_northern_ireland.geojson.gz" soa11_code soa11_name 1

# English regions: the simplified LAD 2024 layer dissolved by the ONS LAD -> region lookup
# (dissolving reuses the shared arcs, so regions line up exactly with their districts).
"$ms" -quiet -i "$work/lad24.geojson" \
  -filter 'code.startsWith("E")' \
  -join "$lookups/lookup_ltla24_region24.csv" keys=code,ltla24_code string-fields=ltla24_code,region24_code \
  -dissolve region24_code copy-fields=region24_name \
  -rename-fields code=region24_code,name=region24_name \
  -o "$work/region.geojson" precision=1 format=geojson
gzip -9n -c "$work/region.geojson" >"$out/region.geojson.gz"

for f in "$out"/*.geojson.gz; do
  printf '%s\t%s bytes\t%s features\n' "$(basename "$f")" "$(wc -c <"$f")" \
    "$(gzip -dc "$f" | grep -o '"type":"Feature"' | wc -l)"
done
