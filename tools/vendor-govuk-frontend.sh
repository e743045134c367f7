#!/usr/bin/env bash
# Re-vendors govuk-frontend's compiled CSS into crates/svatlas-web/assets/vendor/ (run by hand
# when upgrading; needs npm). Strips the GDS Transport font and the royal crest, which are for
# GOV.UK services only, and switches to the system font stack.
set -euo pipefail
version="${1:-5.14.0}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "govuk-frontend@$version" >/dev/null 2>&1 && tar xzf govuk-frontend-*.tgz)
python3 - "$work/package/dist/govuk/govuk-frontend.min.css" \
  "$root/crates/svatlas-web/assets/vendor/govuk-frontend.min.css" <<'PY'
import re, sys
css = open(sys.argv[1], encoding="utf-8").read()
css = re.sub(r"/\*! Copyright \(c\) 2011 by Margaret Calvert[^*]*\*/", "", css)
css = re.sub(r"@font-face\{[^}]*\}", "", css)
css = css.replace("GDS Transport,arial,sans-serif",
                  'system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif')
css = re.sub(r"[^{}]*\{[^{}]*govuk-crest\.svg[^{}]*\}", "", css)
assert css.count("{") == css.count("}"), "unbalanced braces after stripping"
assert "GDS Transport" not in css and "url(" not in css
open(sys.argv[2], "w", encoding="utf-8").write(css)
PY
echo "vendored govuk-frontend $version"
