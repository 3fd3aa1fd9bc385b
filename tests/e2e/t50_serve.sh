#!/usr/bin/env bash
# t50_serve.sh - imrsearch serve over the seed letters and one hostile letter: the pages, their
# headers, /api/search and /export.csv byte for byte the command line's json and csv, hostile
# requests each refused with a 4xx and its one-line message while the server stays up, a
# hostile letter shown inert, the database never written, and a clean stop on SIGTERM.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve_lib.sh"

DB="$T/seeds.db"
mkdir -p "$T/letters"
cp "$IMR_SRC"/corpus/letters/*.txt "$T/letters/"
# A hostile letter: markup and a script in its item line, its summary and its rationale.
python3 - "$IMR_SRC/corpus/letters/l1_004_four_items.txt" "$T/letters/hostile.txt" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
text = text.replace("Lumbar epidural steroid injection at L4-L5 and L5-S1: Upheld",
                    "Lumbar epidural <script>alert(1)</script> injection at \"><img src=x "
                    "onerror=alert(2)> L4-L5: Upheld", 1)
text = text.replace("This 49-year-old female", "This <b onmouseover=alert(3)>49-year-old "
                    "javascript:alert(4) female", 1)
text = text.replace("recommend no more than", "recommend <iframe src=javascript:alert(5)> "
                    "no more than", 1)
# Without its dates: nothing places it in a year, and a date filter leaves it out.
text = re.sub(r"\d\d/\d\d/\d{4}", "that day", text)
open(sys.argv[2], "w", encoding="utf-8").write(text)
PY
"$IMRINDEX" --db "$DB" -q "$T/letters" || fail "imrindex"
export IMRSEARCH_DB="$DB" IMRSEARCH_NO_TIMING=1
db_sum=$(sha256sum <"$DB")

# serve_start ARGS...: starts imrsearch serve on a free port (--port 0 and the port it
# prints), its pid in $server and its address in $URL; fails when it does not listen.
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$T"' EXIT
serve_start() {
    "$IMRSEARCH" serve --port 0 "$@" >"$T/serve.out" 2>"$T/serve.err" &
    server=$!
    URL=$(serve_url "$T/serve.out" "$server")
    [ -n "$URL" ] && pass || { fail "serve $*: not listening"; cat "$T/serve.out" "$T/serve.err" >&2; }
}

# get NAME STATUS PATH [CURL_OPTIONS...]: requests PATH as it is (no dot segments removed);
# body in $T/body, headers in $T/head; checks the status.
get() {
    local name=$1 want=$2 path=$3 got
    shift 3
    got=$(curl -s --path-as-is -o "$T/body" -D "$T/head" -w '%{http_code}' "$@" "$URL$path")
    expect_equal "$name: status" "$got" "$want"
}

# has NAME TEXT: the last body holds TEXT; lacks NAME TEXT: it does not.
has() { if grep -qF -- "$2" "$T/body"; then pass; else fail "$1: no [$2] in the answer"; fi; }
lacks() { if grep -qF -- "$2" "$T/body"; then fail "$1: [$2] in the answer"; else pass; fi; }

# header NAME HEADER VALUE: the last answer's HEADER is VALUE.
header() {
    local got
    got=$(grep -i "^$2:" "$T/head" | head -n 1 | cut -d: -f2- | sed 's/^ //; s/\r$//')
    expect_equal "$1: $2" "$got" "$3"
}

# alert NAME MESSAGE: the page's error line (beside the search box) is exactly MESSAGE, once.
alert() {
    local got
    got=$(grep -o '<p class="error" role="alert">[^<]*</p>' "$T/body")
    expect_equal "$1: message" "$got" "<p class=\"error\" role=\"alert\">$2</p>"
}

# total NAME ITEMS LETTERS: the search page's totals line.
total() {
    local got
    got=$(grep -o '<strong>[0-9]*</strong> items\? in <strong>[0-9]*</strong> letters\?' "$T/body" |
        sed 's/<[^>]*>//g')
    expect_equal "$1: totals" "$got" "$2"
}

# cli_total ARGS...: "N items in M letters" as the command line counts the same search.
cli_total() {
    "$IMRSEARCH" --format json "$@" | python3 -c '
import json, sys
d = json.load(sys.stdin)
i, l = d["total_items"], d["total_letters"]
print("%d item%s in %d letter%s" % (i, "" if i == 1 else "s", l, "" if l == 1 else "s"))'
}

CSP="default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

# --- Usage --------------------------------------------------------------------------------
error "serve: bad port" 2 'imrsearch: --port: not a port number: "70000"' serve --port 70000
error "serve: port not a number" 2 'imrsearch: --port: not a port number: "http"' serve --port http
error "serve: bad bind" 2 'imrsearch: --bind: not an IP address: "localhost"' serve --bind localhost
error "serve: unknown argument" 2 'imrsearch: serve: unknown argument "cold"; see imrsearch --help' serve cold
error "serve: missing value" 2 'imrsearch: --port needs a value; see imrsearch --help' serve --port
error "serve: no database" 3 "imrsearch: $T/none.db: no such database; build one with: imrindex --db $T/none.db FOLDER" --db "$T/none.db" serve

expect_status "--help" 0 "$IMRSEARCH" --help
grep -q 'imrsearch serve \[--port N\] \[--bind ADDR\]' "$T/out" && pass || fail "--help does not show serve"
expect_status "serve --help" 0 "$IMRSEARCH" serve --help
grep -q 'imrsearch serve' "$T/out" && pass || fail "serve --help does not show the usage"

serve_start
expect_equal "listening line" "$(sed -n 1p "$T/serve.out")" "listening on $URL/"
case "$URL" in http://127.0.0.1:*) pass ;; *) fail "default bind: $URL" ;; esac
expect_equal "no warning on loopback" "$(cat "$T/serve.err")" ""

# A second server on the same port: refused with its reason.
port=${URL##*:}
error "serve: port taken" 4 "imrsearch: serve: cannot listen on 127.0.0.1 port $port: Address already in use" serve --port "$port"
# Any other address than loopback is warned about before listening (here the port is taken,
# so that nothing listens beyond this machine).
error "serve: not loopback" 4 "imrsearch: warning: serving on 0.0.0.0, not only this machine: the letters hold medical information; put a reverse proxy with authentication in front (docs/web.md)
imrsearch: serve: cannot listen on 0.0.0.0 port $port: Address already in use" serve --bind 0.0.0.0 --port "$port"

# --- Search page ----------------------------------------------------------------------------
get "search" 200 "/?q=cold"
header "search" Content-Type "text/html; charset=utf-8"
header "search" Content-Security-Policy "$CSP"
header "search" X-Content-Type-Options nosniff
total "search" "$(cli_total cold)"
has "search: box holds the query" 'value="cold"'
has "search: facet link" 'href="/?q=cold&amp;region=lumbar"'
has "search: marked snippet" '<mark>'
has "search: badge" '<span class="badge badge-upheld">upheld</span>'
lacks "search: no inline handler" ' onclick='
lacks "search: no inline script" '<script>'

# The whole page, against its golden file (IMR_UPDATE_GOLDEN=1 rewrites it).
mkdir -p "$GOLDEN/web"
get "golden" 200 "/?q=cold&region=lumbar,cervical&limit=3"
update_or_compare "golden search page" "$T/body" "$GOLDEN/web/search_cold.html"

# A facet's link, followed: counts change and agree with the command line; the value shows
# as selected, and a second click takes it away.
get "facet" 200 "/?q=cold&region=lumbar"
total "facet" "$(cli_total --region lumbar cold)"
has "facet: selected" 'href="/?q=cold" class="on" aria-pressed="true"><span class="value">lumbar</span>'
has "facet: filters line" '<a class="chip" href="/?q=cold" title="Remove this filter">region: <strong>lumbar</strong>'
get "two values" 200 "/?q=cold&region=lumbar,knee"
total "two values" "$(cli_total --region lumbar,knee cold)"
has "two values: one chip each" 'href="/?q=cold&amp;region=knee" title="Remove this filter">region: <strong>lumbar</strong>'
has "two values: clear all" '<a class="clear" href="/?q=cold">Clear all</a>'
get "year chip" 200 "/?q=cold&from=2014&to=2014"
has "year chip" 'decided: <strong>2014</strong>'
get "no filters, no line" 200 "/?q=cold"
lacks "no filters, no line" 'class="filters"'
# The query's reading is shown as the CLI reads it; a query without facet words has none.
get "reading" 200 "/?q=cold+unit+upheld"
total "reading" "$(cli_total cold unit upheld)"
has "reading" '<p class="reading">read as: cold unit · decision upheld'
get "no reading" 200 "/?q=cold&limit=2"
lacks "no reading" 'class="reading"'
# Few matches: the items of their kind follow under their own heading, outside the totals.
get "related" 200 "/?q=game+ready+upheld"
total "related" "1 item in 1 letter"
has "related: heading" '<h2 class="related">5 more items of the same kind, without every word'
has "related: numbered after" '<ol class="hits related" start="2">'
has "related: an undated letter's year" '</a> · item 1 · 2015 (latest-date)</p>'

get "decision filter" 200 "/?decision=overturned"
total "decision filter" "$(cli_total --decision overturned)"
get "grouped" 200 "/?q=cold&letters=1"
has "grouped: letters" '<li class="letter-group">'

# Pagination: limit 2, second page.
get "page 2" 200 "/?q=cold&limit=2&offset=2"
has "page 2: previous" 'rel="prev" href="/?q=cold&amp;limit=2"'
has "page 2: range" 'items 3&ndash;4 of'

# --- /api/search and /export.csv: the command line's own output ---------------------------
for args in "q=cold|cold" "q=injection&decision=upheld|--decision upheld injection" \
    "q=cold&offset=1&limit=3|--offset 1 --limit 3 cold" "q=cold&letters=1|--letters cold" \
    "q=cold&region=lumbar,knee&from=2013&to=2016|--region lumbar,knee --from 2013 --to 2016 cold"; do
    query=${args%%|*}
    read -r -a cli <<<"${args#*|}"
    get "api $query" 200 "/api/search?$query"
    header "api $query" Content-Type "application/json"
    limit=20
    case "$query" in *limit=3*) limit=3 ;; esac
    "$IMRSEARCH" --format json --limit "$limit" "${cli[@]}" >"$T/want.json" || true
    expect_equal_file "api $query: as the CLI" "$T/body" "$T/want.json"

    get "csv $query" 200 "/export.csv?$query"
    header "csv $query" Content-Type "text/csv; charset=utf-8"
    header "csv $query" Content-Disposition 'attachment; filename="imrsearch.csv"'
    expect_equal "csv $query: BOM" "$(head -c 3 "$T/body" | od -An -tx1 | tr -d ' ')" "efbbbf"
    tail -c +4 "$T/body" >"$T/got.csv"
    "$IMRSEARCH" --format csv --limit "$limit" "${cli[@]}" >"$T/want.csv" || true
    [ "$limit" = 3 ] || "$IMRSEARCH" --format csv --limit 10000 "${cli[@]}" >"$T/want.csv" || true
    expect_equal_file "csv $query: as the CLI" "$T/got.csv" "$T/want.csv"
done

# --- Letter page ---------------------------------------------------------------------------
get "letter" 200 "/letter/004?q=cold"
has "letter: title" '<h1>004_86369982a4019b49</h1>'
has "letter: jump" '<a href="#m1">1</a>'
has "letter: first mark" '<mark id="m1">'
has "letter: items" '<li id="item-1" class="item-box">'
has "letter: specialty as printed" '<dt>Reviewer specialty</dt><dd>Physical Medicine and Rehabilitation</dd>'
has "letter: specialty facet" '<dt>Specialty facet</dt><dd>physical-medicine-rehabilitation</dd>'

# --- Report --------------------------------------------------------------------------------
get "report" 200 "/report?by=region&by=decision"
has "report: chart" '<svg class="chart"'
has "report: rate column" 'overturn rate'
# The totals row's overturn rate, as the command line's table gives it.
web_rate=$(grep -o '<tfoot>.*</tfoot>' "$T/body" | grep -o '[0-9.]*%' | tail -n 1)
cli_rate=$("$IMRSEARCH" --by region --by decision | awk '$1 == "total" { print $NF }')
expect_equal "report: total rate" "$web_rate" "$cli_rate"
get "report with filters" 200 "/report?q=cold&region=lumbar&by=type"
has "report: filters line" '<a class="chip" href="/report?q=cold&amp;by=type" title="Remove this filter">region: <strong>lumbar</strong>'
get "report of an undated letter" 200 "/report?q=epidural&by=type"
has "report: undated note" '1 item with no date is not counted here'
lacks "report: no filter left it out" 'left out:'
get "report from 2013" 200 "/report?q=epidural&from=2013&by=type"
has "report: left out" '<p class="note undated">left out: 1 letter with no date (no decision date, nothing else dated)</p>'
get "search from 2013" 200 "/?q=epidural&from=2013"
has "search: left out" '<p class="note undated">left out: 1 letter with no date (no decision date, nothing else dated)</p>'
# same_counts NAME QUERY-STRING CLI-ARGS...: /report.csv of the query string is the command
# line's --format csv of the same search, byte for byte. The server counts from the facet
# cache of its connections (IMR_DB_SERVE), the command line from the item rows.
same_counts() {
    local name=$1 params=$2
    shift 2
    get "counts $name" 200 "/report.csv?$params"
    tail -c +4 "$T/body" >"$T/got.csv"
    "$IMRSEARCH" --format csv "$@" >"$T/want.csv" || true
    expect_equal_file "counts $name: as the CLI" "$T/got.csv" "$T/want.csv"
}
same_counts "all by specialty" "by=specialty" --by specialty
same_counts "all by claims source and source" "by=claims-source&by=source" --by claims-source --by source
same_counts "query by type" "q=cold&by=type" --by type cold
same_counts "query and filter" "q=cold&region=lumbar,knee&by=type&by=decision" --region lumbar,knee --by type --by decision cold
same_counts "filter alone" "decision=upheld&by=region&by=year" --decision upheld --by region --by year
same_counts "dates" "from=2014&to=2016&by=specialty" --from 2014 --to 2016 --by specialty
same_counts "summary words" "q=summary:cold&by=source" --by source summary:cold
same_counts "facet words" "q=lumbar+overturned&by=type" --by type lumbar overturned
same_counts "no match" "q=dentures&by=type&by=region" --by type --by region dentures

# The placeholder item of a letter no item was read from is in no count; the pages say so.
LEFT_OUT=$(sqlite3 "$DB" "SELECT count(*) FROM item WHERE placeholder = 1")
[ "$LEFT_OUT" -gt 0 ] && pass || fail "the served letters hold no unparsed letter"
note="$LEFT_OUT letter no item was read from (unparsed) is left out of the counts"
get "report: letters left out" 200 "/report?by=type"
has "report: letters left out" "$note"
get "sidebar: letters left out" 200 "/"
has "sidebar: letters left out" "$note"
get "sidebar: none left out" 200 "/?q=cryotherapy"
lacks "sidebar: none left out" "left out of the counts"

# Every row's overturn rate on the page is the command line's, for one facet and for two.
for by in "type" "region type" "year decision"; do
    read -r -a dims <<<"$by"
    cli=(--by "${dims[0]}") url="by=${dims[0]}"
    [ "${#dims[@]}" = 2 ] && cli+=(--by "${dims[1]}") url="$url&by=${dims[1]}"
    get "report by $by" 200 "/report?$url"
    python3 -c 'import re,sys
body = open(sys.argv[1], encoding="utf-8").read()
for row in re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>")[1].split("</tbody>")[0]):
    cells = re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", row)
    print(cells[0], cells[-1].replace("&mdash;", "-"))' "$T/body" >"$T/got"
    "$IMRSEARCH" "${cli[@]}" | grep -v '^left out: ' | awk 'NR > 3 && $1 != "total" && $1 !~ /^\(/ { print $1, $NF }' >"$T/want"
    expect_equal_file "report by $by: rates" "$T/got" "$T/want"
    [ -s "$T/want" ] && pass || fail "report by $by: no rows"
    # /report.csv is the command line's --format csv of the same --by, byte for byte, as one
    # table: one header, a line per row, no totals line.
    get "report csv by $by" 200 "/report.csv?$url"
    expect_equal "report csv by $by: BOM" "$(head -c 3 "$T/body" | od -An -tx1 | tr -d ' ')" "efbbbf"
    tail -c +4 "$T/body" >"$T/got.csv"
    "$IMRSEARCH" --format csv "${cli[@]}" >"$T/want.csv"
    expect_equal_file "report csv by $by: as the CLI" "$T/got.csv" "$T/want.csv"
    python3 -c 'import csv,sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
left = sum(1 for r in rows if any(c.endswith("left out (no item read)") for c in r[:2]))
sys.exit(not (rows[0][-1] == "overturn_rate" and len(rows) == int(sys.argv[2]) + 1 + left
              and left == int(sys.argv[3]) and all(len(r) == len(rows[0]) for r in rows)))' \
        "$T/got.csv" "$(wc -l <"$T/want")" "$LEFT_OUT" \
        && pass || fail "report csv by $by: one table"
done

# --- Hostile letter: inert everywhere ------------------------------------------------------
for path in "/?q=epidural" "/letter/hostile?q=epidural" "/report?q=epidural&by=type" \
    "/?q=epidural&letters=1"; do
    get "hostile $path" 200 "$path"
    for bad in '<script>alert' '<img src=x' '<b onmouseover' '<iframe' 'onerror=alert(2)>'; do
        lacks "hostile $path" "$bad"
    done
done
get "hostile letter" 200 "/letter/hostile"
has "hostile: item escaped" '&lt;script&gt;alert(1)&lt;/script&gt;'
has "hostile: quote escaped" '&quot;&gt;&lt;img src=x onerror=alert(2)&gt;'
has "hostile: summary escaped" '&lt;b onmouseover=alert(3)&gt;'
has "hostile: rationale escaped" '&lt;iframe src=javascript:alert(5)&gt;'
# A query with markup (and an unbalanced quote: a 400) goes back into the box escaped.
get "hostile query" 400 '/?q=%22%3E%3Cscript%3Ex%3C%2Fscript%3E'
lacks "hostile query" '"><script>x'
has "hostile query: attribute" 'value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"'

# --- Hostile requests: a 4xx each, with its one line -----------------------------------------
get "dot segments" 404 "/letter/../../etc/passwd"
has "dot segments" '<p>There is no such letter.</p>'
get "unknown page" 404 "/etc/passwd"
has "unknown page" '<p>There is no such page.</p>'
header "404" Content-Security-Policy "$CSP"
get "unknown letter" 404 "/letter/nothing"
has "unknown letter" '<p>no letter &quot;nothing&quot;</p>'
get "ambiguous letter" 400 "/letter/00"
alert "ambiguous letter" 'letter &quot;00&quot; is ambiguous: 000_df993e4b537a0a78, 001_f6bc1215f6435560, 002_916c3e67ea9e97c8, ...'
get "bad query" 400 "/?q=%22cold"
alert "bad query" 'invalid query: unbalanced quote (at column 1): &quot;cold'
has "bad query: box keeps it" 'value="&quot;cold"'
get "bad offset" 400 "/?q=cold&offset=abc"
alert "bad offset" 'offset: not a count'
get "negative limit" 400 "/?q=cold&limit=-1"
alert "negative limit" 'limit: not a count'
get "bad decision" 400 "/?decision=overturnd"
alert "bad decision" 'unknown decision &quot;overturnd&quot; (did you mean &quot;overturned&quot;?); decisions are: upheld, overturned, unknown'
get "bad date" 400 "/?from=2015-13"
alert "bad date" 'bad date &quot;2015-13&quot; for --from: write YYYY, YYYY-MM or YYYY-MM-DD'
get "bad facet" 400 "/report?by=colour"
alert "bad facet" 'unknown facet &quot;colour&quot;; facets are: type, region, source, decision, specialty, year, claims-source'
get "three facets" 400 "/report?by=type&by=region&by=decision"
alert "three facets" 'by: at most two facets (rows, columns)'
get "not UTF-8" 400 "/?q=%FF%FE"
alert "not UTF-8" 'invalid query: query is not valid UTF-8 (at byte 1)'
for path in "/?q=cold%00x" "/letter/004%00x" "/%00" "/static/style.css%00"; do
    get "NUL $path" 400 "$path"
    alert "NUL $path" 'the address holds a NUL byte (%00)'
done
long=$(head -c 2000 /dev/zero | tr '\0' a)
get "long query" 400 "/?q=$long"
alert "long query" 'q: too long (at most 1024 bytes)'
lacks "long query: not echoed" "$long"
get "long letter id" 404 "/letter/$long"
get "oversized address" 414 "/$(head -c 20000 /dev/zero | tr '\0' a)"
has "oversized address" 'Your HTTP header was too big for the memory constraints of this webserver.'
get "oversized header" 431 "/" -H "X-Big: $(head -c 20000 /dev/zero | tr '\0' a)"
for method in POST PUT DELETE PATCH OPTIONS; do
    get "$method" 405 "/" -X "$method"
    header "$method" Allow "GET, HEAD"
    has "$method" '<p>This server only answers GET and HEAD.</p>'
done
get "HEAD" 200 "/?q=cold" -I
# The JSON and CSV answers say what is wrong in their own format.
get "api: bad query" 400 "/api/search?q=%22x"
expect_equal "api: bad query: body" "$(cat "$T/body")" '{"error": "invalid query: unbalanced quote (at column 1): \"x"}'
header "api: bad query" Content-Type "application/json"
get "api: NUL" 400 "/api/search?q=a%00"
expect_equal "api: NUL: body" "$(cat "$T/body")" '{"error": "the address holds a NUL byte (%00)"}'
get "csv: bad limit" 400 "/export.csv?limit=-3"
expect_equal "csv: bad limit: body" "$(cat "$T/body")" 'limit: not a count'
header "csv: bad limit" Content-Type "text/plain; charset=utf-8"
# Requests that are not HTTP: the connection is closed, and the server stays up.
python3 - "${URL##*:}" <<'PY' || fail "raw garbage"
import socket, sys
for req in (b"GARBAGE\r\n\r\n", b"\x00\x01\x02\xff\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n"):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    s.sendall(req)
    s.shutdown(socket.SHUT_WR)
    s.settimeout(30)
    answer = s.recv(100)
    assert answer == b"" or answer.startswith((b"HTTP/1.1 4", b"HTTP/1.1 5")), answer
    s.close()
PY

# Slow clients (a request's headers never finished, on 100 connections held open: more than
# one worker thread's share, were the server to allow only 64 at once) do not hold the workers:
# a whole request meanwhile gets its page.
python3 - "${URL##*:}" "$URL/?q=cold" <<'PY' || fail "slow clients"
import socket, sys, urllib.request
slow = []
for _ in range(100):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    s.sendall(b"GET /?q=cold HTTP/1.1\r\nHost: x\r\nX-Slow: ")
    slow.append(s)
with urllib.request.urlopen(sys.argv[2], timeout=30) as answer:
    assert answer.status == 200, answer.status
for s in slow:
    s.close()
PY

# Still up, still answering, and the style sheet and script are served with their types.
get "still up" 200 "/?q=cold"
total "still up" "$(cli_total cold)"
get "style" 200 "/static/style.css"
header "style" Content-Type "text/css; charset=utf-8"
get "script" 200 "/static/app.js"
header "script" Content-Type "text/javascript; charset=utf-8"
get "favicon" 200 "/static/favicon.svg"
header "favicon" Content-Type "image/svg+xml"

# --- Stop: SIGTERM ends it with status 0; nothing was written to the database ---------------
kill -TERM "$server"
code=0
wait "$server" || code=$?
server=""
expect_equal "SIGTERM: exit" "$code" 0
expect_equal "database unchanged" "$(sha256sum <"$DB")" "$db_sum"

# --bind elsewhere than loopback warns; 127.0.0.2 is loopback and does not.
serve_start --bind 127.0.0.2
case "$URL" in http://127.0.0.2:*) pass ;; *) fail "--bind 127.0.0.2: $URL" ;; esac
expect_equal "127.0.0.2: no warning" "$(cat "$T/serve.err")" ""
# imrindex adds a letter while the server runs: the next page sees it, and agrees with the
# command line.
get "before the update" 404 "/letter/added"
for i in 1 2 3 4 5 6; do # every worker's connection counts, and keeps its cache
    same_counts "before the update ($i)" "by=type&by=decision" --by type --by decision
done
cp "$IMR_SRC/corpus/letters/l1_001_crlf_footers_hyphens.txt" "$T/letters/added.txt"
"$IMRINDEX" --db "$DB" -q "$T/letters" || fail "imrindex while serving"
get "after the update" 200 "/letter/added"
get "totals after the update" 200 "/?q=cold"
total "totals after the update" "$(cli_total cold)"
# Each worker's facet cache sees the commit: every connection answers the new counts.
for i in 1 2 3 4 5 6; do
    same_counts "after the update ($i)" "by=type&by=decision" --by type --by decision
    same_counts "query after the update ($i)" "q=cold&by=region" --by region cold
done
kill -INT "$server"
code=0
wait "$server" || code=$?
server=""
expect_equal "SIGINT: exit" "$code" 0

finish
