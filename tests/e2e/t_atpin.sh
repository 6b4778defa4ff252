#!/bin/sh
# The SIM PIN on libGammu's AT driver against tests/tools/atmodem.py's
# modem on a pseudo-terminal (t_at.sh's modem, apart so that the two run
# side by side): a PIN file others can read refused; the PIN entered
# once when the SIM asks; a wrong one tried once and never again, not
# even after a restart, until a person corrects it; never in the log.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "1..0 # skip no python3"; exit 0; }

# The SIM PIN: entered once when the SIM asks; a wrong one never again.
pin_run() {	# pin_run MODEM_PIN CONF_LINE
	rm -rf "$AT"
	at_start || return 1
	at_mode "pin=$1"
	at_conf
	awk -v line="$2" '{ print } /^modem = [{]$/ { print "\tid = \"at1\";"
	    print "\t" line }' "$T/habar.conf" >"$T/habar.conf.new" &&
	    mv "$T/habar.conf.new" "$T/habar.conf"
	: >"$LOG"
	start_daemon
}
printf '1234\n' >"$T/pin"
chmod 644 "$T/pin"
at_conf
sed -i "s|^modem = {\$|modem = {\n\tpin_file = \"$T/pin\";|" "$T/habar.conf"
check "habard -n refuses a PIN file others can read" \
    sh -c "! '$HABARD' -n -f '$T/habar.conf' 2>&1 | grep -q 'configuration OK'"
check "  saying why" \
    sh -c "'$HABARD' -n -f '$T/habar.conf' 2>&1 | grep -q 'readable by its owner only'"
chmod 600 "$T/pin"
check "the SIM asks for a PIN; habard enters the one in pin_file" \
    pin_run 1234 "pin_file = \"$T/pin\";"
at_inject +77011110012 "паспорт"
check "and works" poll 60 has_at_sent_to +77011110012
check "the PIN was entered once" [ "$(at_count 'AT+CPIN="')" = 1 ]
check "the PIN is not in habard's log" sh -c "! grep -q 1234 '$LOG'"
check "habard stops" stop_daemon
at_stop

check "a wrong PIN: habard starts" pin_run 1234 'pin = "4321";'
refused() { grep -q 'the SIM refused the PIN' "$LOG"; }
check "the refusal is logged" poll 30 refused
n_after=$(wc -l <"$AT/log")
# Backoff would reconnect within 1, 2, 4 s: watch for 8 s, looking every
# half second (the log only grows: the last look decides; every 50 ms,
# each look's processes made it 13 s).
quiet() {
	i=0
	while [ $i -lt 16 ]; do
		[ "$(at_count 'AT+CPIN="')" = 1 ] || return 1
		sleep 0.5
		i=$((i + 1))
	done
	[ "$(at_count 'AT+CPIN="')" = 1 ]
}
check "exactly one PIN try, none after the refusal" quiet
check "  and no command at all since" [ "$(wc -l <"$AT/log")" = "$n_after" ]
check "logged once" [ "$(grep -c 'the SIM refused the PIN' "$LOG")" = 1 ]
check "the PIN is not in habard's log" sh -c "! grep -q 4321 '$LOG'"
st=$("$HABAR" -f "$T/habar.conf" status)
check "habar status shows the SIM waiting for a person" \
    sh -c "printf '%s\n' \"\$1\" | grep -q 'SIM .*refused the PIN, waiting for a person'" - "$st"
check "habard stops" stop_daemon
# A restart (or a reboot) with the configuration unchanged: not again.
: >"$LOG"
check "restarted with the same wrong PIN" start_daemon
not_again() { grep -q 'refused this PIN before' "$LOG"; }
check "  says it will not try it again" poll 20 not_again
check "  and sends nothing to the modem" quiet
check "habard stops" stop_daemon
# A person corrects the PIN: tried once more, and it works.
sed -i 's/^	pin = "4321";/	pin = "1234";/' "$T/habar.conf"
: >"$LOG"
check "restarted with the corrected PIN" start_daemon
entered_twice() { [ "$(at_count 'AT+CPIN="')" = 2 ]; }
check "  entered" poll 60 entered_twice
at_inject +77011110013 "паспорт"
check "  and works" poll 60 has_at_sent_to +77011110013
check "habard stops" stop_daemon
at_stop
finish
