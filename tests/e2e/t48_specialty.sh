#!/usr/bin/env bash
# t48_specialty.sh - reviewer specialties as slugs: one seed letter (one item) copied with the
# specialty line in each spelling letters print; --specialty finds both spellings, --by
# specialty merges them into one row and counts a pair under each of its slugs, the letter
# view keeps the text as printed, and an unknown value is a one-line error.
. "$(dirname "$0")/lib.sh"

SEED="$IMR_SRC/corpus/letters/002_916c3e67ea9e97c8.txt" # "Certification(s)/Specialty: ..."
grep -q '^Certification(s)/Specialty: Emergency Medicine' "$SEED" || fail "the seed's specialty line"
mkdir -p "$T/letters"
n=0
while IFS= read -r spec; do
    n=$((n + 1))
    spec=${spec//&/\\&} # sed's replacement: & is the matched text
    sed "s|^Certification(s)/Specialty: .*|Certification(s)/Specialty: $spec |" "$SEED" \
        >"$T/letters/s$n.txt"
done <<'SPECS'
Orthopedic Surgery
Orthopaedic Surgery
Physical Medicine & Rehabilitation
Physical Medicine and Rehabilitation
Anesthesiology, Pain Medicine
Pain Medicine, Anesthesiology
Itnernal Medicine
Neurological Surgery
Aerospace Engineering
SPECS
DB="$T/s.db"
"$IMRINDEX" --db "$DB" -q "$T/letters" || fail "imrindex"
export IMRSEARCH_DB="$DB" IMRSEARCH_NO_TIMING=1

# --specialty orthopedic: both spellings, and nothing else.
"$IMRSEARCH" --specialty orthopedic --format ids --limit 0 | cut -f1 | sort >"$T/got"
printf 's1\ns2\n' >"$T/want"
expect_equal_file "--specialty orthopedic" "$T/got" "$T/want"
"$IMRSEARCH" --specialty "Physical Medicine" --format ids --limit 0 | cut -f1 | sort >"$T/got"
printf 's3\ns4\n' >"$T/want"
expect_equal_file "--specialty 'Physical Medicine'" "$T/got" "$T/want"
"$IMRSEARCH" --specialty pain-medicine,other --format ids --limit 0 | cut -f1 | sort >"$T/got"
printf 's5\ns6\ns9\n' >"$T/want"
expect_equal_file "--specialty pain-medicine,other" "$T/got" "$T/want"

# --by specialty: one row per slug; a pair in either order counts once under each.
"$IMRSEARCH" --by specialty --format csv | tr -d '\r' >"$T/got"
cat >"$T/want" <<'CSV'
facet,value,count,overturn_rate
specialty,anesthesiology,2,0
specialty,orthopedic-surgery,2,0
specialty,pain-medicine,2,0
specialty,physical-medicine-rehabilitation,2,0
specialty,internal-medicine,1,0
specialty,neurosurgery,1,0
specialty,other,1,0
CSV
expect_equal_file "--by specialty" "$T/got" "$T/want"
"$IMRSEARCH" --by specialty --format json | python3 -c 'import json,sys
t = json.load(sys.stdin)["tables"][0]
print(t["total"], sum(v["items"] for v in t["values"]))' >"$T/got"
echo "9 11" >"$T/want" # 2 letters with two slugs
expect_equal_file "--by specialty: total counts items once" "$T/got" "$T/want"

# The stored slugs and the text as printed, side by side.
sqlite3 "$DB" "SELECT name, specialties FROM letter WHERE name IN ('s2', 's6', 's7', 's9')
               ORDER BY name" >"$T/got"
printf 's2|orthopedic-surgery\ns6|pain-medicine,anesthesiology\ns7|internal-medicine\ns9|other\n' >"$T/want"
expect_equal_file "letter.specialties" "$T/got" "$T/want"
"$IMRSEARCH" show s2 | grep '^specialty' >"$T/got"
echo "specialty       Orthopaedic Surgery (orthopedic-surgery)" >"$T/want"
expect_equal_file "show keeps the text" "$T/got" "$T/want"
expect_equal "show --format json: text and slugs" "$("$IMRSEARCH" show s6 --format json |
    python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["specialty"], d["specialties"])')" \
    "Pain Medicine, Anesthesiology ['pain-medicine', 'anesthesiology']"

error "unknown specialty" 2 'imrsearch: unknown specialty "dentist" (did you mean "dentistry"?); specialties are: acupuncture, addiction-medicine, anesthesiology, chiropractic, dentistry, emergency-medicine, family-medicine, general-surgery, hand-surgery, internal-medicine, neurology, neurosurgery, occupational-medicine, orthopedic-surgery, pain-medicine, physical-medicine-rehabilitation, physical-therapy, plastic-surgery, podiatry, preventive-medicine, psychiatry, psychology, rheumatology, spine-surgery, sports-medicine, toxicology, ...' --specialty dentist
error "words out of order" 2 'imrsearch: unknown specialty "surgery orthopedic"; specialties are: acupuncture, addiction-medicine, anesthesiology, chiropractic, dentistry, emergency-medicine, family-medicine, general-surgery, hand-surgery, internal-medicine, neurology, neurosurgery, occupational-medicine, orthopedic-surgery, pain-medicine, physical-medicine-rehabilitation, physical-therapy, plastic-surgery, podiatry, preventive-medicine, psychiatry, psychology, rheumatology, spine-surgery, sports-medicine, toxicology, other, unknown' --specialty "surgery orthopedic"
finish
