# corpus.awk - score "habar route --tsv" against a query set such as
# tests/data/queries.tsv.  Input: "query<TAB>acceptable topics<TAB>
# language<TAB>topic<TAB>lang<TAB>match[<TAB>offered]" (the set pasted
# beside the router's answers).  A question back (topic "choose") is
# neither right nor wrong: it is counted as asked.  Prints every failure
# as "# miss|WRONG|asked|lang: ..." and a last line
# "n ok wrong langn langok asked".
BEGIN { FS = "\t" }
{
	n++
	split($2, acc, ",")
	right = 0
	for (i in acc)
		if (acc[i] == $4)
			right = 1
	if (right)
		ok++
	else if ($4 == "choose") {
		asked++
		printf "# asked: %s\t(want %s, offered %s)\n", $1, $2, $7
	} else if ($4 == "unknown") {
		printf "# miss:  %s\t(want %s, got unknown)\n", $1, $2
	} else {
		wrong++
		printf "# WRONG: %s\t(want %s, got %s by %s)\n", $1, $2, $4, $6
	}
	if ($3 != "*") {
		langn++
		if ($3 == $5)
			langok++
		else
			printf "# lang:  %s\t(want %s, got %s; %s)\n", $1, $3,
			    $5, $4
	}
}
END { printf "%d %d %d %d %d %d\n", n, ok, wrong, langn, langok, asked }
