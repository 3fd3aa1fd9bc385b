// xapian_bench.cc - the Xapian peer of the benchmark: index letters, run one query.
//
//     xapian_bench index DBDIR FILELIST
//     xapian_bench query DBDIR "QUERY" N
//
// index: one document per letter file named in FILELIST (one path per line), its text indexed
// by a TermGenerator with the English (Snowball) stemmer and positions (for phrases), the
// letter name (file name without ".txt") and the text stored as document data so that a hit
// can be shown with a snippet without the files. One commit at the end; Xapian flushes by
// its own default threshold meanwhile.
// query: QueryParser with the English stemmer, STEM_SOME, default operator AND and the default
// flags (phrases, boolean operators, +/-); the top N of the MSet as JSON Lines, each with
// mset.snippet() of the stored text:
//     {"rank":1,"letter":"...","score":12.3,"snippet":"..."}
// Built by tests/bench/run.sh with g++ against Debian's libxapian-dev; not part of CMake.
// Exit status 0, 1 when some files could not be read, 2 for bad usage, 3 for a Xapian error.
#include <xapian.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

namespace {

// The letter name of a path: no folder, no ".txt".
std::string letter_name(const std::string &path)
{
    std::string base = path.substr(path.find_last_of('/') + 1);
    if (base.size() > 4 && base.compare(base.size() - 4, 4, ".txt") == 0)
        base.resize(base.size() - 4);
    return base;
}

// Appends s to out as a JSON string.
void json_string(std::string &out, const std::string &s)
{
    out += '"';
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20) {
            char esc[8];
            std::snprintf(esc, sizeof esc, "\\u%04x", c);
            out += esc;
        } else {
            out += static_cast<char>(c);
        }
    }
    out += '"';
}

// Indexes every file named in list_path into a new database at dbdir. Returns the exit status.
int do_index(const std::string &dbdir, const std::string &list_path)
{
    std::ifstream list(list_path);
    if (!list) {
        std::cerr << "xapian_bench: cannot read " << list_path << "\n";
        return 2;
    }
    Xapian::WritableDatabase db(dbdir, Xapian::DB_CREATE);
    Xapian::TermGenerator tg;
    tg.set_stemmer(Xapian::Stem("english"));
    long n_files = 0, n_skipped = 0;
    std::string path;
    while (std::getline(list, path)) {
        if (path.empty())
            continue;
        std::ifstream f(path, std::ios::binary);
        std::ostringstream text;
        if (!f || !(text << f.rdbuf())) {
            std::cerr << "xapian_bench: cannot read " << path << "\n";
            n_skipped++;
            continue;
        }
        std::string body = text.str();
        Xapian::Document doc;
        tg.set_document(doc);
        tg.index_text(body);
        doc.set_data(letter_name(path) + "\n" + body);
        db.add_document(doc);
        n_files++;
    }
    db.commit();
    std::cerr << "xapian_bench: " << n_files << " files, " << n_skipped << " skipped\n";
    return n_skipped ? 1 : 0;
}

// Prints the top n hits of query in the database at dbdir. Returns the exit status.
int do_query(const std::string &dbdir, const std::string &query, long n)
{
    Xapian::Database db(dbdir);
    Xapian::Stem stem("english");
    Xapian::QueryParser qp;
    qp.set_database(db);
    qp.set_stemmer(stem);
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    qp.set_default_op(Xapian::Query::OP_AND);
    Xapian::Query q = qp.parse_query(query);
    Xapian::Enquire enquire(db);
    enquire.set_query(q);
    Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(n));
    std::string out;
    int rank = 0;
    for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
        std::string data = it.get_document().get_data();
        size_t nl = data.find('\n');
        std::string name = data.substr(0, nl);
        std::string body = nl == std::string::npos ? std::string() : data.substr(nl + 1);
        out += "{\"rank\":" + std::to_string(++rank) + ",\"letter\":";
        json_string(out, name);
        char score[32];
        std::snprintf(score, sizeof score, "%.4f", it.get_weight());
        out += ",\"score\":";
        out += score;
        out += ",\"snippet\":";
        json_string(out, mset.snippet(body, 200, stem, Xapian::MSet::SNIPPET_EXHAUSTIVE, "[",
                                      "]", "..."));
        out += "}\n";
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    return std::fflush(stdout) == 0 ? 0 : 3;
}

} // namespace

int main(int argc, char **argv)
{
    try {
        if (argc == 4 && std::string(argv[1]) == "index")
            return do_index(argv[2], argv[3]);
        if (argc == 5 && std::string(argv[1]) == "query") {
            char *end;
            long n = std::strtol(argv[4], &end, 10);
            if (*end == '\0' && n > 0)
                return do_query(argv[2], argv[3], n);
        }
    } catch (const Xapian::Error &e) {
        std::cerr << "xapian_bench: " << e.get_description() << "\n";
        return 3;
    }
    std::cerr << "usage: xapian_bench index DBDIR FILELIST\n"
                 "       xapian_bench query DBDIR \"QUERY\" N\n";
    return 2;
}
