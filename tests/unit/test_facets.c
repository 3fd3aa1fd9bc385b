/*
 * test_facets.c - the facet rules of docs/facets.md (indexer/facets.c and the dictionaries):
 * item type priority, the three steps of body region and `multiple`, guideline sources with
 * their negations, `other` and `none`.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "parse.h"

static imr__scratch_t sc;

static imr_span_t all(const char *s)
{
    return (imr_span_t){0, (uint32_t)strlen(s)};
}

static const char *item_type(const char *text)
{
    const char *slug = NULL;
    CHECK_INT(imr__item_type(text, all(text), &sc, &slug), IMR_OK);
    return slug;
}

/* Body region of an item in a letter text "ITEM\x01RATIONALE\x01SUMMARY". */
static const char *region(const char *item, const char *rationale, const char *summary)
{
    static char text[4096];
    size_t a = strlen(item), b = strlen(rationale), c = strlen(summary);
    snprintf(text, sizeof text, "%s\n%s\n%s", item, rationale, summary);
    const char *slug = NULL;
    imr_span_t i = {0, (uint32_t)a}, r = {(uint32_t)a + 1, (uint32_t)b},
               s = {(uint32_t)(a + b + 2), (uint32_t)c};
    imr__summary_t sum = {0};
    imr__summary_init(&sum, text, s);
    CHECK_INT(imr__body_region(text, i, r, &sum, &sc, &slug), IMR_OK);
    imr__summary_free(&sum);
    return slug;
}

static unsigned sources(const char *para)
{
    unsigned bits = 0;
    CHECK_INT(imr__guideline_sources(para, all(para), &sc, &bits), IMR_OK);
    return bits;
}

static void test_item_types(void)
{
    static const char *const cases[][2] = {
        /* docs/facets.md examples */
        {"Q-TECH HOT AND COLD UNIT FOR LUMBAR SPINE", "cold-heat-device"},
        {"Orthopedic consultation for possible knee surgery", "consultation"},
        {"Post-operative physical therapy 12 sessions for the right shoulder", "physical-therapy"},
        {"Norco 10/325mg #90", "opioid"},
        /* seeds */
        {"Hot/Cold unit for the lumbar spine", "cold-heat-device"},
        {"RETROSPECTIVE REQUEST FOR 1 THERMOCOOL UNIT", "cold-heat-device"},
        {"RETROSPECTIVE 1 HOME TRACTION UNIT", "traction"},
        {"Diagnostic Bilateral L4-L5 and L5-S1 Medial Branch Blocks under Fluoroscopic Guidance",
         "facet-mbb"},
        {"Rental of a ThermoCool Hot and Cold Contrast Therapy Unit with Compression for 60 days",
         "cold-heat-device"},
        /* the vocabulary of real letters (issue 12) */
        {"Left L4-5 LESI", "epidural-injection"},
        {"Right C5-6 CESI under fluoroscopy", "epidural-injection"},
        {"Left CTR", "surgery"},
        {"CPM machine rental x 21 days", "dme-other"},
        {"OMT x 6 sessions", "chiropractic"},
        {"Lumbar corset", "dme-other"},
        {"Knee sleeve", "dme-other"},
        {"Shoulder sling", "dme-other"},
        {"Electro-acupuncture x 6", "acupuncture"},
        {"Laxative", "medication-other"},
        {"Chronic pain management program x 10 days", "functional-restoration"},
        {"Pre-operative medical clearance", "consultation"},
        {"Right knee arthroscopy and pre-operative clearance", "surgery"},
        {"Inpatient stay x 2 days", "surgery"},
        {"Infrared heat lamp", "cold-heat-device"},
        {"Inversion table", "traction"},
        {"Tub transfer bench", "dme-other"},
        {"GABACYCLOTRAM 180 GM", "topical"},
        /* a coined name of drug-name pieces, a cream's tube; not a word that merely holds
         * one piece */
        {"GABACYCLOTRAM #1 tube", "topical"},
        {"GABACYCLOTRAM 120ml - the cervical spine", "topical"},
        {"KETOFLURCAP 240", "topical"},
        {"Capitation review", "other"},
        /* an operation named by its suffix (`*ectomy`); a word that only ends so is none */
        {"Request For Bunionectomy (DOS: 6/12/21)", "surgery"},
        {"Right thumb trapeziectomy", "surgery"},
        {"Left shoulder capsulorrhaphy", "surgery"},
        {"Ectomy review", "other"},
        {"Open reduction internal fixation", "surgery"},
        {"PROSPECTIVE REQUEST FOR 1 ULNAR NERVE TRANSPOSITION", "surgery"},
        {"Lactulose 10 g/15 mL", "medication-other"},
        /* the letter's own typos: one edit in one word of five letters or more */
        {"Physcial therapy x 12", "physical-therapy"},
        {"Accupuncture 6 sessions", "acupuncture"},
        {"Chiropratic care", "chiropractic"},
        {"Cyclobenzaprin 7.5mg", "muscle-relaxant"},
        {"Hydrocodne/APAP", "opioid"},
        {"Zzzzz yyyyy", "other"},
        /* a typo keeps its first letter: "motion" is no misspelt "lotion" */
        {"Computerized range of motion testing", "other"},
        /* a consultation with pain management is no pain program */
        {"Chronic pain management consultation", "consultation"},
        {"Pain management evaluation", "consultation"},
        {"Chronic pain management program x 80 hours", "functional-restoration"},
        /* `ignore`: the framing of a request names no type */
        {"Associated surgical service: Knee brace", "dme-other"},
        {"Associated surgical service: Right knee arthroscopy", "surgery"},
        /* priority: the specific line above the generic one */
        {"TENS patch x 2 pairs", "tens-estim"},
        {"Voltaren 1% gel 100gm", "topical"},
        {"Voltaren XR 100mg", "nsaid"},
        {"Ketoprofen/Lidocaine/Capsaicin compounded cream", "topical"},
        {"Butrans 10mcg/hr patch", "opioid"},
        {"Lidoderm 5% patch #30", "topical"},
        {"Lidocaine 2% viscous solution", "medication-other"},
        {"Continuous flow cryotherapy unit following right shoulder arthroscopy",
         "cold-heat-device"},
        {"Right shoulder manipulation under anesthesia", "surgery"},
        {"Chiropractic sessions with myofascial release", "chiropractic"},
        {"Psychiatric follow-up visits", "psych"},
        {"Functional restoration program evaluation", "functional-restoration"},
        {"Genetic testing for narcotic risk", "lab-drug-screen"},
        {"Paraffin wax unit", "other"},
        {"Home exercise kit", "dme-other"},
        {"Home health aide 3 times a week", "home-health"},
        {"Home H-wave device", "tens-estim"},
        {"Magnetic resonance imaging (MRI) of the neck", "mri"},
        {"CT myelogram of the lumbar spine", "imaging-other"},
        {"EMG/NCV of the bilateral lower extremities", "emg-ncv"},
        {"Lumbar epidural steroid injection at L4-L5", "epidural-injection"},
        {"Trigger point injections x 4", "trigger-point-injection"},
        {"Right trigger finger release", "surgery"},
        {"Synvisc-One injection to the right knee", "injection-other"},
        {"Vitamin B12 injection", "injection-other"},
        {"Vitamin D 50,000 IU", "medication-other"},
        {"Electroacupuncture 6 sessions", "acupuncture"},
        {"Aquatic therapy 2x6", "physical-therapy"},
        {"Cyclobenzaprine 7.5mg #60", "muscle-relaxant"},
        {"Celebrex 200mg", "nsaid"},
        {"Front-wheeled walker", "dme-other"},
        {"Total knee arthroplasty, left", "surgery"},
        {"Gym membership for 6 months", "other"},
        {"Something nobody lists", "other"},
        {"", "other"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = item_type(cases[i][0]);
        if (strcmp(got, cases[i][1]) != 0)
            fprintf(stderr, "  item \"%s\"\n", cases[i][0]);
        CHECK_STR(got, cases[i][1]);
    }
}

static void test_regions(void)
{
    /* Step 1: the item text decides. */
    CHECK_STR(region("Q-TECH HOT AND COLD UNIT FOR LUMBAR SPINE", "The knee.", ""), "lumbar");
    CHECK_STR(region("Medial branch blocks at L4-L5 and L5-S1", "", ""), "lumbar");
    CHECK_STR(region("ACDF C5-6", "", ""), "cervical");
    CHECK_STR(region("Spasm at T6-T8", "", ""), "thoracic");
    CHECK_STR(region("MRI of the cervical and lumbar spine", "", ""), "multiple");
    CHECK_STR(region("Wrist and hand splint", "", ""), "wrist-hand");
    CHECK_STR(region("Cock-up wrist brace for the right thumb", "", ""), "wrist-hand");
    CHECK_STR(region("Botox injections for migraine headaches", "", ""), "head");
    CHECK_STR(region("Orthotics for bilateral feet and ankles", "", ""), "ankle-foot");
    /* Abbreviations that name their region, and the spine's short names. */
    CHECK_STR(region("Left L4-5 LESI", "", ""), "lumbar");
    CHECK_STR(region("CESI under fluoroscopy", "", ""), "cervical");
    CHECK_STR(region("Right CTR", "", ""), "wrist-hand");
    CHECK_STR(region("LSO brace", "", ""), "lumbar");
    CHECK_STR(region("Left TKA with 3 day inpatient stay", "", ""), "knee");
    CHECK_STR(region("Right THR", "", ""), "hip");
    CHECK_STR(region("MRI of the C-spine", "", ""), "cervical");
    CHECK_STR(region("X-rays of the L-spine and T-spine", "", ""), "multiple");
    CHECK_STR(region("REQUEST FOR MRI, L/S SPINE", "", ""), "lumbar");
    CHECK_STR(region("Physiotherapy to C/S spine 2x6", "", ""), "cervical");
    CHECK_STR(region("Caudal epidural steroid injection", "", ""), "lumbar");
    CHECK_STR(region("Bunionectomy", "", ""), "ankle-foot");
    CHECK_STR(region("Occipital nerve block between 9/30/2011 and 11/20/2011", "", ""), "head");
    /* The case summary's sentence that mentions the item. */
    CHECK_STR(region("Methadone 5mg #90", "",
                     "Methadone 5mg #90 was recommended on 2/20/2013 to address L/S spine."),
              "lumbar");
    /* A region the treatment implies, only when the letter names none. */
    CHECK_STR(region("Prospective request for 1 custom orthotics (purchase)",
                     "The patient has not improved.", ""),
              "ankle-foot");
    CHECK_STR(region("Custom orthotics", "",
                     "Utilization review denied the request for custom orthotics for the knee."),
              "knee");
    CHECK_STR(region("ULNAR NERVE TRANSPOSITION", "", ""), "elbow");
    /* "occipital tension" of a painful neck is no head */
    CHECK_STR(region("TPI X 3", "The patient has neck pain with occipital tension.", ""),
              "cervical");
    /* Step 2: the rationale, skipping sentences that cite or paraphrase a guideline. */
    CHECK_STR(region("Hot/cold therapy unit with wrap",
                     "ODG supports cryotherapy after shoulder surgery. The patient has a failed "
                     "cervical fusion.",
                     "The knee hurts with the hot cold wrap."),
              "cervical");
    CHECK_STR(region("ThermoCool unit",
                     "Guidelines support it for the post-operative shoulder as well as knee. "
                     "MTUS is silent on this. Chapter 12 covers the low back.",
                     ""),
              "unspecified");
    CHECK_STR(region("Norco", "On the other hand, the pain persists. It helps the neck and the "
                              "low back.", ""),
              "multiple");
    CHECK_STR(region("Norco", "On the other hand, the pain persists.", ""), "unspecified");
    CHECK_STR(region("Evaluation", "The applicant has left lateral epicondylitis. ODG covers the "
                                   "knee. The report documented low back pain.", ""),
              "multiple");
    /* A blank line inside a sentence is a page break: the sentence still cites a guideline. */
    CHECK_STR(region("Prilosec 20mg", "The MTUS guidelines address this\n\nmedication mainly "
                                      "for low back complaints. The right shoulder hurts.", ""),
              "shoulder");
    /* Step 3: summary sentences that share a distinctive word with the item text. */
    CHECK_STR(region("Rental of a ThermoCool Unit for 60 days", "Not necessary.",
                     "The patient has neck pain. The thermocool unit was requested for the right "
                     "shoulder."),
              "shoulder");
    CHECK_STR(region("Retrospective request for 1 unit for 60 days", "Not necessary.",
                     "A unit was requested for the right knee for 60 days."),
              "unspecified");
    CHECK_STR(region("Home traction unit", "",
                     "Traction was tried for the neck. Home traction helped the low back."),
              "multiple");
    CHECK_STR(region("Home traction unit", "", ""), "unspecified");
    /* "No. 3" and "Dr. Lee" do not end a sentence; "2x4" and "3x4" share no word. */
    CHECK_STR(region("Tylenol with codeine No. 3", "",
                     "A request for Tylenol with codeine No. 3 was made by Dr. Lee for the low back."),
              "lumbar");
    CHECK_STR(region("PT 2x4", "", "Physical therapy 3x4 for the neck was denied."),
              "unspecified");
}

static void test_sources(void)
{
    const unsigned MTUS = IMR_SOURCE_MTUS, ACOEM = IMR_SOURCE_ACOEM, ODG = IMR_SOURCE_ODG,
                   AETNA = IMR_SOURCE_AETNA, OTHER = IMR_SOURCE_OTHER, NONE = IMR_SOURCE_NONE;
    CHECK_INT(sources("Decision based on MTUS ACOEM Chapter 12 Low Back Complaints Page(s): 299."),
              MTUS | ACOEM);
    CHECK_INT(sources("Decision based on MTUS ACOEM Chapter 12 Low Back Complaints Page(s): 299. "
                      "Decision based on Non-MTUS Citation ACOEM Occupational Medicine Practice "
                      "Guidelines, 3rd ed, Low Back Disorders, pg 560."),
              MTUS | ACOEM);
    CHECK_INT(sources("The Expert Reviewer did not base their decision on the MTUS. Decision based "
                      "on Non-MTUS Citation Other Medical Treatment Guideline or Medical Evidence: "
                      "AETNA Clinical Policy Bulletin, Hot or Ice Machine."),
              AETNA);
    CHECK_INT(sources("The Expert Reviewer did not base their decision on the MTUS. Decision based "
                      "on Non-MTUS Citation Official Disability Guidelines (ODG), Shoulder."),
              ODG);
    CHECK_INT(sources("Decision based on Non-MTUS Citation ODG-TWC 2015: low back: Cold/heat packs."),
              ODG);
    CHECK_INT(sources("Decision based on Non-MTUS Citation Work Loss Data Institute, ODG Treatment "
                      "in Workers' Comp."),
              ODG);
    CHECK_INT(sources("Decision based on MTUS Chronic Pain Medical Treatment Guidelines, Opioids, "
                      "page 78."),
              MTUS);
    CHECK_INT(sources("Decision based on Non-MTUS Citation Other Medical Treatment Guideline or "
                      "Medical Evidence: Harrison's Principles of Internal Medicine."),
              OTHER);
    CHECK_INT(sources("Decision based on Non-MTUS Citation Other Medical Treatment Guideline or "
                      "Medical Evidence: A Book Nobody Has Listed, 2011."),
              OTHER);
    CHECK_INT(sources("Decision based on MTUS Chronic Pain Medical Treatment Guidelines. Decision "
                      "based on Non-MTUS Citation Other Medical Treatment Guideline or Medical "
                      "Evidence: UpToDate."),
              MTUS | OTHER);
    CHECK_INT(sources("The MTUS does not address this device. The reviewer relied on the Official "
                      "Disability Guidelines, which are not part of the MTUS."),
              ODG);
    CHECK_INT(sources("The Claims Administrator did not cite any medical evidence for its decision."),
              NONE);
    CHECK_INT(sources(""), NONE);
    CHECK_INT(sources("The Expert Reviewer based their decision on the Chronic Pain Medical "
                      "Treatment Guidelines, which is part of the California Medical Treatment "
                      "Utilization Schedule (MTUS)."),
              MTUS);
    /* "his/her" in a negation; the MTUS's other names; ACOEM's 2nd edition is in the MTUS. */
    CHECK_INT(sources("The Expert Reviewer did not base his/her decision on the MTUS. The Expert "
                      "Reviewer based his/her decision on the ODG, Shoulder Chapter."),
              ODG);
    CHECK_INT(sources("The Expert Reviewer based his/her decision on the Chronic Pain Treatment "
                      "Guidelines."),
              MTUS);
    CHECK_INT(sources("The Expert Reviewer based his/her decision on the California Code of "
                      "Regulations, Title 8, Section 9792.24.2."),
              MTUS);
    CHECK_INT(sources("The Expert Reviewer based his/her decision on the ACOEM Practice "
                      "Guidelines, 2nd Edition (2004), Chapter 13, Knee Complaints."),
              MTUS | ACOEM);
    CHECK_INT(sources("Decision based on ACOEM Chapter 12 Low Back Complaints."), MTUS | ACOEM);
    /* "no section of the MTUS", "not applicable", "his or her". */
    CHECK_INT(sources("The Expert Reviewer found that no section of the MTUS was applicable. Per "
                      "the Strength of Evidence hierarchy, the Expert Reviewer based his or her "
                      "decision on the Aetna Clinical Policy Bulletin."),
              AETNA);
    CHECK_INT(sources("The MTUS is not applicable. Decision based on the ODG."), ODG);
    CHECK_INT(sources("The Expert Reviewer did not base his or her decision on the MTUS. "
                      "Harrison's Principles."),
              OTHER);
    CHECK_INT(sources("Decision based on Non-MTUS Citation ACOEM Occupational Medicine Practice "
                      "Guidelines, 3rd ed, Low Back Disorders."),
              ACOEM);
    /* A journal article's reference cites other evidence, whatever the journal; a source
     * that a negation takes back names nothing. */
    CHECK_INT(sources("The Expert Reviewer based their decision on the California Medical "
                      "Treatment Utilization Schedule (MTUS), Chronic Pain Medical Treatment "
                      "Guidelines, Opioids, criteria for use, pages 167-185; Spine (Phila Pa "
                      "1976). 2009 May 1;34(10):1066-77."),
              MTUS | OTHER);
    CHECK_INT(sources("Decision based on the ODG. See Clin J Pain. 2012;28:1-9."), ODG | OTHER);
    CHECK_INT(sources("The Expert Reviewer based his/her decision on the Spine (Phila Pa 1976). "
                      "2009 May 1;34(10):1066-77, which is not part of the MTUS."),
              OTHER);
    CHECK_INT(sources("Decision based on MTUS Page(s): 89; 12 visits."), MTUS);
}

/* The citation of a reviewer's paragraph, as text. */
static const char *citation(const char *para)
{
    static char out[256];
    unsigned bits = sources(para);
    imr_span_t c;
    CHECK_INT(imr__citation(para, all(para), bits, &sc, &c), IMR_OK);
    snprintf(out, sizeof out, "%.*s", (int)c.len, para + c.off);
    return out;
}

static void test_citations(void)
{
    CHECK_STR(citation("The Expert Reviewer did not base their decision on the MTUS. Decision "
                       "based on Non-MTUS Citation Official Disability Guidelines (ODG), Shoulder "
                       "and Knee Chapters, Continuous Flow Cryotherapy."),
              "Official Disability Guidelines (ODG), Shoulder and Knee Chapters, Continuous Flow "
              "Cryotherapy");
    CHECK_STR(citation("Decision based on Non-MTUS Citation Other Medical Treatment Guideline or "
                       "Medical Evidence: AETNA Clinical Policy Bulletin, Hot or Ice Machine."),
              "AETNA Clinical Policy Bulletin, Hot or Ice Machine");
    CHECK_STR(citation("Decision based on MTUS ACOEM Chapter 12 Low Back Complaints Page(s): 299. "
                       "Decision based on Non-MTUS Citation ACOEM."),
              "MTUS ACOEM Chapter 12 Low Back Complaints Page(s): 299");
    CHECK_STR(citation("The Expert Reviewer based his/her decision on the ODG, Shoulder Chapter, "
                       "Continuous-flow cryotherapy."),
              "ODG, Shoulder Chapter, Continuous-flow cryotherapy");
    CHECK_STR(citation("The MTUS does not address it. The reviewer relied on the Official "
                       "Disability Guidelines (ODG), Shoulder Chapter, Continuous-flow "
                       "cryotherapy, which is not part of the MTUS, as the best guideline."),
              "Official Disability Guidelines (ODG), Shoulder Chapter, Continuous-flow "
              "cryotherapy");
    CHECK_STR(citation("MTUS Chronic Pain Medical Treatment Guidelines, page 114. More."),
              "MTUS Chronic Pain Medical Treatment Guidelines, page 114");
    CHECK_STR(citation("The Claims Administrator did not cite any medical evidence for its "
                       "decision."),
              "");
}

int main(void)
{
    imr_error_t err;
    CHECK_INT(imr__facets_init(&err), IMR_OK);
    test_item_types();
    test_regions();
    test_sources();
    test_citations();
    imr__toks_free(&sc.a);
    imr__toks_free(&sc.b);
    return check_done();
}
