#!/usr/bin/env bash
# t43_search_errors.sh - every imrsearch error: its one line on stderr and its exit code
# (0 found, 1 nothing matched, 2 usage or query, 3 database, 4 I/O, 70 internal).
. "$(dirname "$0")/lib.sh"

DB="$T/seeds.db"
"$IMRINDEX" --db "$DB" -q "$IMR_SRC/corpus/letters" || fail "imrindex corpus/letters"
export IMRSEARCH_DB="$DB" IMRSEARCH_NO_TIMING=1

# Invalid queries.
error "unbalanced quote" 2 'imrsearch: invalid query: unbalanced quote (at column 1): "cold unit' '"cold unit'
error "dangling OR" 2 'imrsearch: invalid query: OR needs a term after it (at column 6): OR' 'cold OR'
error "open parenthesis" 2 'imrsearch: invalid query: unbalanced parenthesis (at column 1): (cold' '(cold'
error "only negated" 2 'imrsearch: invalid query: a query needs at least one term that is not negated (at column 1): -tens' -- -tens

# Facets.
FACETS="facets are: type, region, source, decision, specialty, year, claims-source"
error "unknown facet" 2 "imrsearch: unknown facet \"colour\"; $FACETS" --facets type,colour x
error "unknown --by facet" 2 "imrsearch: unknown facet \"colour\"; $FACETS" --by region --by colour
error "three --by" 2 'imrsearch: --by: at most two facets (rows, columns)' --by type --by region --by decision

# Dates.
error "bad month" 2 'imrsearch: bad date "2015-13" for --from: write YYYY, YYYY-MM or YYYY-MM-DD' --from 2015-13 x
error "bad day" 2 'imrsearch: bad date "2015-02-30" for --to: write YYYY, YYYY-MM or YYYY-MM-DD' --to 2015-02-30 x
error "short year" 2 'imrsearch: bad date "16" for --from: write YYYY, YYYY-MM or YYYY-MM-DD' --from 16 x
error "from after to" 2 'imrsearch: --from 2016 is after --to 2015' --from 2016 --to 2015 x

# Filter values: the valid values, and the closest one when there is one.
error "decision" 2 'imrsearch: unknown decision "overturnd" (did you mean "overturned"?); decisions are: upheld, overturned, unknown' --decision overturnd x
error "region" 2 'imrsearch: unknown region "sholder" (did you mean "shoulder"?); regions are: cervical, thoracic, lumbar, shoulder, elbow, wrist-hand, hip, knee, ankle-foot, head, multiple, unspecified' --region sholder x
error "type" 2 'imrsearch: unknown type "tens" (did you mean "tens-estim"?); types are: cold-heat-device, tens-estim, traction, dme-other, opioid, nsaid, muscle-relaxant, topical, medication-other, epidural-injection, facet-mbb, trigger-point-injection, injection-other, physical-therapy, chiropractic, acupuncture, surgery, mri, imaging-other, emg-ncv, lab-drug-screen, psych, home-health, functional-restoration, consultation, other' --type tens x
error "source" 2 'imrsearch: unknown source "maximus"; sources are: mtus, acoem, odg, aetna, other, none' --source maximus x
error "specialty" 2 'imrsearch: unknown specialty "dentistry practice"; specialties are: acupuncture, addiction-medicine, anesthesiology, chiropractic, dentistry, emergency-medicine, family-medicine, general-surgery, hand-surgery, internal-medicine, neurology, neurosurgery, occupational-medicine, orthopedic-surgery, pain-medicine, physical-medicine-rehabilitation, physical-therapy, plastic-surgery, podiatry, preventive-medicine, psychiatry, psychology, rheumatology, spine-surgery, sports-medicine, toxicology, other, unknown' --specialty "dentistry practice" cold
error "claims source" 2 'imrsearch: unknown claims source "odgg" (did you mean "odg"?); claims sources are: mtus, acoem, odg, aetna, other, none' --claims-source odgg x
error "layout" 2 'imrsearch: unknown layout "4"; layouts are: 0, 1, 2, 3' --layout 4 x

# Options.
error "format" 2 'imrsearch: unknown format "xml"; formats are: text, json, jsonl, csv, ids' --format xml x
error "limit" 2 'imrsearch: --limit: not a count: "-1"' --limit -1 x
error "offset" 2 'imrsearch: --offset: not a count: "abc"' --offset abc x
error "unknown option" 2 'imrsearch: unknown option --bogus (argument 1); see imrsearch --help' --bogus x
error "unknown option after words" 2 'imrsearch: unknown option --kne (argument 2); see imrsearch --help' cryotherapy --kne
error "only exclusions" 2 'imrsearch: invalid query: a query needs at least one term that is not negated (at column 1): -fusion' -fusion
error "missing value" 2 'imrsearch: --db needs a value; see imrsearch --help' x --db
error "show without id" 2 'imrsearch: show needs a letter ID' show
error "stats with a query" 2 'imrsearch: stats takes no query: "x"' stats x
error "ids of facets" 2 'imrsearch: format ids cannot print facet counts' --format ids --facets type
error "csv of a letter" 2 'imrsearch: format csv cannot print a letter' --format csv show 004
error "ambiguous letter" 2 "imrsearch: letter \"00\" is ambiguous: 000_df993e4b537a0a78, 001_f6bc1215f6435560, 002_916c3e67ea9e97c8, ..." show 00

# Nothing found.
error "no letter" 1 "imrsearch: no letter \"nothing\" in $DB" show nothing
error "no match" 1 '' dentures
expect_equal "no match: stdout" "$(cat "$T/out")" 'no items match "dentures"'
error "decision as a word" 1 '' thermocool overturned
error "unknown region word" 2 'imrsearch: unknown region "sholder" (did you mean "shoulder"?); regions are: cervical, thoracic, lumbar, shoulder, elbow, wrist-hand, hip, knee, ankle-foot, head, multiple, unspecified' region:sholder x
error "year as two digits" 2 'imrsearch: invalid query: year:15: write the year as YYYY' year:15 tens
error "no match, json" 1 '' --format json dentures

# Databases: missing, not ours, of another version, damaged.
error "no database" 3 "imrsearch: $T/none.db: no such database; build one with: imrindex --db $T/none.db FOLDER" --db "$T/none.db" x
IMRSEARCH_DB="$T/none2.db" error "no database (environment)" 3 "imrsearch: $T/none2.db: no such database; build one with: imrindex --db $T/none2.db FOLDER" x
cp "$DB" "$T/v99.db"
sqlite3 "$T/v99.db" "PRAGMA user_version = 99"
error "schema version" 3 "imrsearch: $T/v99.db: built with schema version 99, but this is version 7; delete it and index the letters again, or give --db another file" --db "$T/v99.db" x
sqlite3 "$T/other.db" "CREATE TABLE t(x)"
error "other database" 3 "imrsearch: $T/other.db: not an imrsearch database" --db "$T/other.db" x
head -c 8192 /dev/urandom >"$T/junk.db"
"$IMRSEARCH" --db "$T/junk.db" x >/dev/null 2>"$T/err"
expect_equal "junk bytes: exit" "$?" 3
if grep -qE "^imrsearch: $T/junk.db: (not an imrsearch database|.*damaged or not a database)$" "$T/err"; then pass; else fail "junk bytes: $(cat "$T/err")"; fi
cp "$DB" "$T/trunc.db"
truncate -s 40000 "$T/trunc.db"
error "truncated" 3 "imrsearch: $T/trunc.db: reading the schema: the database file is damaged or not a database" --db "$T/trunc.db" cryotherapy

# Output that cannot be written.
if [ -w /dev/full ]; then
    code=0
    "$IMRSEARCH" --format json cryotherapy >/dev/full 2>"$T/err" || code=$?
    expect_equal "full disk: exit" "$code" 4
    expect_equal "full disk: message" "$(cat "$T/err")" 'imrsearch: writing the output: No space left on device'
fi

finish
