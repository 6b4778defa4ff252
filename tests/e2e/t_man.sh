#!/bin/sh
# The man pages: mandoc's linter finds nothing, they render in mandoc and
# in man/groff (when there) without stray angle brackets or unbalanced
# quotes, and they document every command, option, setting, default and
# exit status the code has, with one reload delay everywhere.
. "$(dirname "$0")/lib.sh"

PAGES="habar.1 habar.conf.5 habard.8"

for p in $PAGES; do
	src=$ROOT/man/$p
	if command -v mandoc >/dev/null 2>&1; then
		mandoc -T lint -W warning "$src" >"$T/lint" 2>&1
		check "$p: mandoc -T lint finds nothing" [ ! -s "$T/lint" ]
		sed 's/^/# /' "$T/lint"
		mandoc -T utf8 "$src" 2>/dev/null | col -b >"$T/$p.mandoc"
	else
		ok "$p: mandoc -T lint # SKIP no mandoc (make check installs it)"
	fi
	if command -v man >/dev/null 2>&1; then
		MANWIDTH=80 man -l "$src" 2>/dev/null | col -b >"$T/$p.man"
	elif command -v groff >/dev/null 2>&1; then
		groff -mandoc -Tutf8 "$src" 2>/dev/null | col -b >"$T/$p.man"
	fi
	for r in mandoc man; do
		f=$T/$p.$r
		[ -s "$f" ] || continue
		check "$p ($r): renders" [ "$(wc -l <"$f")" -gt 40 ]
		check "$p ($r): no stray ⟨ ⟩" sh -c "! grep -n '[⟨⟩]' '$f'"
		check "$p ($r): no empty or doubled quotes" \
		    sh -c "! grep -n '\"\"' '$f'"
		# Straight and curly quotes pair up, on the page as a whole
		# (a quotation may wrap).
		n=$(tr -cd '"' <"$f" | wc -c)
		o=$(grep -o '“' "$f" | wc -l)
		c=$(grep -o '”' "$f" | wc -l)
		check "$p ($r): quotes balanced (\" $n, “ $o, ” $c)" \
		    sh -c "[ $((n % 2)) = 0 ] && [ $o = $c ]"
	done
	case $p in
	*.5) ;;
	*) check "$p: has an EXIT STATUS section" \
	    grep -q '^\.Sh EXIT STATUS' "$src" ;;
	esac
done

# habar(1): every command and every option the usage names.
"$HABAR" --help >"$T/help"
for c in $(sed -n 's/^  \([a-z]*\)  .*/\1/p' "$T/help"); do
	check "habar.1 documents the command $c" grep -q "^\.It Cm $c" \
	    "$ROOT/man/habar.1"
done
for o in $(grep -o -- '--[a-z-]*' "$T/help" | sort -u); do
	o=${o#--}
	check "habar.1 documents --$o" grep -q "Fl -$o" "$ROOT/man/habar.1"
done
for c in summary topics languages countries hours days unanswered checks; do
	check "habar.1 says what stats $c shows" \
	    grep -Eq "^\.It Cm (.* )?$c( |\$)" "$ROOT/man/habar.1"
done

# habard(8): every option of its usage.
"$HABARD" --help >"$T/dhelp"
for o in $(sed -n 's/^  -\([a-z]\) .*/\1/p' "$T/dhelp"); do
	check "habard.8 documents -$o" grep -q "^\.It Fl $o" "$ROOT/man/habard.8"
done

# habar.conf(5): every setting conf.c knows, and every default it sets.
sed -n 's/^	{ \(NULL\|"[a-z_]*"\), "\([a-z_0-9]*\)", CT_\([A-Z]*\).*/\1 \2 \3/p' \
    "$ROOT/gateway/conf.c" >"$T/settings"
check "conf.c's settings read ($(wc -l <"$T/settings"))" \
    [ "$(wc -l <"$T/settings")" -gt 50 ]
while read -r group name type; do
	[ "$type" = GROUP ] && continue
	check "habar.conf.5 documents $name" \
	    grep -Eq "Cm ([a-z_]*\\.)?$name( |\$)" "$ROOT/man/habar.conf.5"
done <"$T/settings"
# The defaults: conf.c's table is their one source (conf_defaults()
# and the strings filled in after reading take them from there, and no
# "conf->x = N;" is left to disagree).  Each default N is written N (or,
# for a duration, as minutes or hours) in the setting's entry; a switch
# as true or false; a string quoted, or "empty".
check "conf.c sets no default outside its table" sh -c "
    ! sed -n '/^conf_defaults/,/^}/p' '$ROOT/gateway/conf.c' |
    grep -Eq 'conf->[a-z_.]+ = [0-9]' &&
    ! grep -Eq 'conf->[a-z_.]+ = strdup\(\"' '$ROOT/gateway/conf.c'"
sed -n '/^static const struct conf_field fields/,/^};/p' \
    "$ROOT/gateway/conf.c" | tr '\n\t' '  ' | sed 's/},/}\n/g' |
    sed -n 's/^ *{ *\(.*[^ ]\) *}.*/\1/p' | awk -F', *' '
    $3 != "CT_GROUP" && NF == 9 {
	type = $3; sub(/^CT_/, "", type)
	key = $4; sub(/^F\(/, "", key); sub(/\)$/, "", key)
	if ($9 != "NULL") { s = $9; gsub(/"/, "", s); print type, key, 0, "[" s "]" }
	else if ($8 != "0") print type, key, $8, "-"
    }' >"$T/defaults"
check "conf.c's defaults read ($(wc -l <"$T/defaults"))" \
    [ "$(wc -l <"$T/defaults")" -gt 30 ]
check "conf.c's table has the string defaults (epoch, log_level, listen)" \
    sh -c "grep -q '^STR pseudonym.epoch 0 \\[week\\]' '$T/defaults' &&
    grep -q '^STR log_level 0 \\[info\\]' '$T/defaults' &&
    grep -q '^STR http.listen 0 \\[127.0.0.1\\]' '$T/defaults'"
while read -r type key n s; do
	name=${key##*.}
	awk -v name="$name" '
	    /^\.It / { on = ($0 ~ ("Cm ([a-z_]*\\.)?" name "( |$)")) }
	    on' "$ROOT/man/habar.conf.5" >"$T/entry"
	case $type in
	STR|PATH)
		s=${s#\[}; s=${s%\]}
		if [ -z "$s" ]; then
			check "habar.conf.5 gives $key's default (empty)" \
			    grep -q 'empty' "$T/entry"
		else
			check "habar.conf.5 gives $key's default ($s)" \
			    grep -Fq "Qq $s" "$T/entry"
		fi
		continue ;;
	BOOL)
		w=false
		[ "$n" = 1 ] && w=true
		check "habar.conf.5 gives $key's default ($w)" \
		    grep -Eq "default $w" "$T/entry"
		continue ;;
	AMOUNT)
		[ "$n" -lt 0 ] && continue ;;	# -1: never; no amount
	esac
	alt=$n
	[ $((n % 3600)) = 0 ] && alt="$((n / 3600))h"
	[ $((n % 60)) = 0 ] && [ $((n % 3600)) != 0 ] && alt="$((n / 60))m"
	check "habar.conf.5 gives $key's default ($n)" \
	    grep -Eq "(^|[^0-9])($n|$alt)([^0-9]|\$)" "$T/entry"
done <"$T/defaults"

# One reload delay: the one in habard.c, in every document.
max=$(sed -n 's/^#define RELOAD_MAX_MS[^0-9]*\([0-9]*\).*/\1/p' "$ROOT/gateway/habard.c")
secs=$(awk -v ms="$max" 'BEGIN { printf "%g", ms / 1000 }')
for f in README.md content/README.md man/habard.8; do
	check "$f: the reload delay is $secs seconds" \
	    sh -c "tr '\n' ' ' <'$ROOT/$f' | grep -Eq '$secs +s'"
	check "$f: no other reload delay" sh -c \
	    "! grep -Eqi 'within (two|2|a|one) second|within a second' '$ROOT/$f'"
done
finish
