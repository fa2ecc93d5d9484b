#!/usr/bin/env bash
# Lighthouse (the npm package) against Debian's Chromium on a running server: home, blog index
# and one blog post. Prints performance, accessibility, best-practices and SEO per page and
# fails when any score is below LH_MIN (90).
#
#   scripts/lighthouse.sh [BASE_URL]          # default http://127.0.0.1:8000
#   LH_DIR=/tmp/lh LH_PAGES="/ /blog/" scripts/lighthouse.sh http://127.0.0.1:8123
#
# Lighthouse is installed on first use into $LH_DIR (default var/lighthouse, git-ignored, never
# a static folder) with the pinned version below; Node 18.16+ is needed (Lighthouse 13 needs 22).
# The JSON reports are kept in $LH_OUT (default var/lighthouse/reports) to read failing audits.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LH_VERSION="12.8.2"
LH_DIR="${LH_DIR:-$ROOT/var/lighthouse}"
LH_OUT="${LH_OUT:-$LH_DIR/reports}"
LH_MIN="${LH_MIN:-90}"
BASE_URL="${1:-${LH_BASE_URL:-http://127.0.0.1:8000}}"
BASE_URL="${BASE_URL%/}"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
[ -x "$PYTHON" ] || PYTHON=python3

command -v node >/dev/null 2>&1 || { echo "node is required (Debian: apt-get install nodejs npm)" >&2; exit 2; }
[ -x "$CHROME_PATH" ] || { echo "Chromium not found at $CHROME_PATH" >&2; exit 2; }

LH_BIN="$LH_DIR/node_modules/.bin/lighthouse"
if [ ! -x "$LH_BIN" ] || ! "$LH_BIN" --version 2>/dev/null | grep -qx "$LH_VERSION"; then
  echo "installing lighthouse@$LH_VERSION into $LH_DIR"
  mkdir -p "$LH_DIR"
  npm install --prefix "$LH_DIR" --no-audit --no-fund --loglevel=error "lighthouse@$LH_VERSION" >/dev/null
fi
mkdir -p "$LH_OUT"

curl -fsS -o /dev/null "$BASE_URL/api/v1/health" || { echo "no server answering at $BASE_URL" >&2; exit 2; }

# Pages: home, blog index, and the newest blog post linked from the blog index (or LH_PAGES).
if [ -n "${LH_PAGES:-}" ]; then
  read -r -a PAGES <<<"$LH_PAGES"
else
  post="$(curl -fsS "$BASE_URL/blog/" | grep -oE 'href="/blog/[a-z0-9-]+/"' | grep -v '/blog/rss/' | head -1 | sed -E 's/href="([^"]+)"/\1/' || true)"
  PAGES=("/" "/blog/")
  [ -n "$post" ] && PAGES+=("$post")
fi

FLAGS="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync"
status=0
for path in "${PAGES[@]}"; do
  name="$(echo "$path" | sed -E 's#^/$#home#; s#^/##; s#/$##; s#[^a-zA-Z0-9]+#-#g')"
  report="$LH_OUT/$name.json"
  "$LH_BIN" "$BASE_URL$path" --quiet --output=json --output-path="$report" \
    --only-categories=performance,accessibility,best-practices,seo \
    --chrome-flags="$FLAGS" --locale=es ${LH_EXTRA_FLAGS:-} || { echo "lighthouse failed on $path" >&2; status=1; continue; }
  "$PYTHON" - "$report" "$path" "$LH_MIN" <<'PY' || status=1
import json, sys

report, path, minimum = json.load(open(sys.argv[1])), sys.argv[2], int(sys.argv[3])
cats = report["categories"]
scores = {key: round((cats[key]["score"] or 0) * 100) for key in ("performance", "accessibility", "best-practices", "seo")}
print(f"{path:<60} " + "  ".join(f"{k} {v:>3}" for k, v in scores.items()))
bad = False
for key, score in scores.items():
    if score >= minimum:
        continue
    bad = True
    for ref in cats[key]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref.get("weight", 0) and audit.get("score") is not None and audit["score"] < 0.9:
            items = (audit.get("details") or {}).get("items") or []
            where = []
            for item in items[:4]:
                node = item.get("node") or {}
                where.append(node.get("selector") or item.get("url") or node.get("snippet") or "")
            print(f"    {key} < {minimum}: {ref['id']} ({audit.get('displayValue') or audit['score']}) "
                  + "; ".join(w for w in where if w))
sys.exit(1 if bad else 0)
PY
done
exit "$status"
