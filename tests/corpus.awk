# corpus.awk - score "habar route --tsv" against a query set such as
# tests/data/queries.tsv.  Input: "query<TAB>acceptable topics<TAB>
# language<TAB>topic<TAB>lang<TAB>match[<TAB>offered]" (the set pasted
# beside the router's answers).  A question back (topic "choose") is
# neither right nor wrong: it is counted as asked.  Prints every failure
# as "# miss|WRONG|asked|lang: ..." - none with -v held=1, for a held-out
# set whose lines nobody may read - then, by expected language,
# "# by language: lang n right asked wrong langok both" (both: the right
# topic in the expected language) and a last line
# "n ok wrong langn langok asked".
BEGIN { FS = "\t" }
function say(fmt, a, b, c, d) {
	if (!held)
		printf fmt, a, b, c, d
}
{
	n++
	l = $3
	ln[l]++
	split($2, acc, ",")
	right = 0
	for (i in acc)
		if (acc[i] == $4)
			right = 1
	if (right) {
		ok++
		lok[l]++
	} else if ($4 == "choose") {
		asked++
		lasked[l]++
		say("# asked: %s\t(want %s, offered %s)\n", $1, $2, $7)
	} else if ($4 == "unknown") {
		say("# miss:  %s\t(want %s, got unknown)\n", $1, $2)
	} else {
		wrong++
		lwrong[l]++
		say("# WRONG: %s\t(want %s, got %s by %s)\n", $1, $2, $4, $6)
	}
	if (l == "*" || l == $5) {
		llang[l]++
		if (right)
			lboth[l]++
	}
	if (l != "*") {
		langn++
		if (l == $5)
			langok++
		else
			say("# lang:  %s\t(want %s, got %s; %s)\n", $1, l, $5,
			    $4)
	}
}
END {
	for (l in ln)
		printf "# by language: %s %d %d %d %d %d %d\n", l, ln[l],
		    lok[l], lasked[l], lwrong[l], llang[l], lboth[l]
	printf "%d %d %d %d %d %d\n", n, ok, wrong, langn, langok, asked
}
