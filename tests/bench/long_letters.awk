# long_letters.awk - long letters for tests/bench/pdf.sh: reads a list of letter files, one
# path a line, and writes their lines one letter after another into OUT/long-1.txt,
# OUT/long-2.txt, ... up to K files, each holding whole letters while they fit in MAX lines.
#
#   awk -v k=K -v max=MAX -v out=OUT -f long_letters.awk LIST
#
# Each letter is written as tests/tools/txt2pdf draws it: a letter of which most lines are
# followed by an empty line (as extraction leaves it) loses one empty line after each line,
# and trailing blanks go. So a file of n lines renders into ceil(n / L) pages of L lines, and
# MAX = P * L gives PDFs of at most P pages.
{
    lines = 0
    while ((getline l < $0) > 0) {
        sub(/[ \t\r]+$/, "", l)
        text[++lines] = l
    }
    close($0)
    content = followed = 0
    for (i = 1; i < lines; i++)
        if (text[i] != "") {
            content++
            followed += text[i + 1] == ""
        }
    drawn = 0
    for (i = 1; i <= lines; i++) {
        draw[++drawn] = text[i]
        if (content >= 2 && followed * 2 > content && i < lines && text[i + 1] == "")
            i++
    }
}
n == 0 || used + drawn > max {
    if (n)
        close(f)
    if (n++ == k)
        exit
    f = sprintf("%s/long-%d.txt", out, n)
    used = 0
}
{
    for (i = 1; i <= drawn; i++)
        print draw[i] > f
    used += drawn
}
