# corpus.awk - score "habar route --tsv" against tests/data/queries.tsv.
# Input: "query<TAB>acceptable topics<TAB>language<TAB>topic<TAB>lang<TAB>
# match" (the corpus pasted beside the router's answers).  Prints every
# failure as "# topic|wrong|lang: ..." and a last line
# "n ok wrong langn langok".
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
	else if ($4 == "unknown") {
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
END { printf "%d %d %d %d %d\n", n, ok, wrong, langn, langok }
