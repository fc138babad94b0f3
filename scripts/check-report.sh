#!/usr/bin/env bash
# Opens generated HTML reports in headless Chromium, saves a screenshot of each, and fails if a
# page logs a console error or makes any network request (a report must work offline).
#
#   scripts/check-report.sh [PAGE.html ...]     default: reports/index.html and the latest week
#
# Needs Debian's chromium (apt-get install chromium) and python3. Not part of `cargo test`.
# Screenshots go to target/report-check/ (or $OUT_DIR).
set -euo pipefail

browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [[ -z "$browser" ]]; then
    echo "chromium not found: apt-get install chromium" >&2
    exit 2
fi
out=${OUT_DIR:-target/report-check}
mkdir -p "$out"

pages=("$@")
if [[ ${#pages[@]} -eq 0 ]]; then
    latest=$(ls reports/*-W*.html 2>/dev/null | sort | tail -n 1 || true)
    pages=(reports/index.html ${latest:+"$latest"})
fi

failed=0
for page in "${pages[@]}"; do
    if [[ ! -f "$page" ]]; then
        echo "FAIL $page: no such file (run \`cargo run -- run\` first)" >&2
        failed=1
        continue
    fi
    name=$(basename "$page" .html)
    url="file://$(realpath "$page")"
    log="$out/$name.console.log"
    netlog="$out/$name.netlog.json"
    shot="$out/$name.png"
    # The browser's own traffic (updates, sync, spelling dictionaries) is switched off, so that
    # any request left in the net log was made by the page.
    "$browser" --headless=new --no-sandbox --disable-gpu --hide-scrollbars \
        --user-data-dir="$out/profile" --no-first-run --no-default-browser-check \
        --disable-background-networking --disable-component-update --disable-sync \
        --disable-default-apps --disable-domain-reliability --disable-client-side-phishing-detection \
        --disable-features=Translate,OptimizationHints,MediaRouter,SpellCheck,AutofillServerCommunication \
        --enable-logging=stderr --v=0 --log-net-log="$netlog" --net-log-capture-mode=Default \
        --window-size=1100,2600 --virtual-time-budget=3000 --screenshot="$shot" "$url" 2>"$log" >/dev/null || true
    python3 - "$page" "$log" "$netlog" "$shot" <<'PY' || failed=1
import json, re, sys
page, log, netlog, shot = sys.argv[1:5]
problems = []
for line in open(log, encoding="utf-8", errors="replace"):
    # Reports have no scripts: any console message (errors, CSP violations) is a problem.
    if ":CONSOLE" in line or "Content Security Policy" in line or "Refused to" in line:
        problems.append("console: " + line.strip())
try:
    text = open(netlog, encoding="utf-8", errors="replace").read()
except FileNotFoundError:
    text = ""
# URL requests in the net log carry the network traffic annotation of whoever made them: pages'
# subresource loads are "blink_resource_loader" (101845102); the browser's own services (update
# checks, time, accounts) carry their own and are not the page's doing.
PAGE = {"101845102"}
requests = re.findall(r'\{[^{}]*"url":"([^"]+)"[^{}]*\}', text)
annotated = {u: a for a, u in re.findall(r'"traffic_annotation":(\d+),"url":"([^"]+)"', text)}
urls = set(requests)
remote = sorted(u for u in urls if re.match(r"(?i)(https?|wss?|ftp)://", u))
by_page = [u for u in remote if annotated.get(u, "101845102") in PAGE]
browser = len(remote) - len(by_page)
problems += ["network: " + u for u in by_page]
try:
    with open(shot, "rb") as f:
        if f.read(8) != b"\x89PNG\r\n\x1a\n":
            problems.append("screenshot is not a PNG")
except FileNotFoundError:
    problems.append("no screenshot was taken")
if problems:
    print(f"FAIL {page}")
    for p in problems:
        print("  " + p)
    sys.exit(1)
print(f"ok   {page}: no console messages, no network requests by the page ({browser} of the browser's own ignored); screenshot {shot}")
PY
done
exit $failed
