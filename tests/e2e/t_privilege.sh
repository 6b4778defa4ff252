#!/bin/sh
# Least privilege: habard drops to the configured user after opening
# what it needs, refuses to stay root when that user does not exist,
# and, from an empty state folder, makes its key before the drop and
# gives its state to that user, so it answers over SMS and HTTP with
# pseudonyms and removes the WAL at stop; the systemd unit passes
# systemd-analyze verify; the HTTP channel refuses requests without its
# token, caps body and headers, and drops clients that stall.
. "$(dirname "$0")/lib.sh"

HP=$(test_port 13)
URL=http://127.0.0.1:$HP
TOKEN=priv-token-123
# keys_at DIR: the configuration's key folder is DIR.
keys_at() {
	sed "s|key_dir = \"[^\"]*\"|key_dir = \"$1\"|" "$T/habar.conf" \
	    >"$T/c" && mv "$T/c" "$T/habar.conf"
}
uid_of() {
	awk '/^Uid:/ { print $2, $3, $4, $5 }' "/proc/$1/status"
}

if [ "$(id -u)" != 0 ] || ! id nobody >/dev/null 2>&1; then
	ok "privilege drop # SKIP needs root and a 'nobody' user"
else
	write_conf 'user = "habar-no-such-user";'
	"$HABARD" -d -f "$T/habar.conf" >>"$LOG" 2>&1
	rc=$?
	check "as root with a missing user: refuses to run (exit $rc)" \
	    [ "$rc" -ne 0 ]
	check "and says why" grep -q "user 'habar-no-such-user' does not exist" "$LOG"

	# The documented install: started as root with `user' set, from an
	# empty state folder (root's) and no key folder.  Everything it
	# writes must become the user's, keys included, or it would answer
	# without pseudonyms and leave the WAL behind at stop.
	U=nobody
	if command -v useradd >/dev/null; then
		id habar-test >/dev/null 2>&1 ||
		    useradd --system --no-create-home --home-dir /nonexistent \
		    --shell /usr/sbin/nologin habar-test >/dev/null 2>&1
		id habar-test >/dev/null 2>&1 && U=habar-test
	fi
	DB=$T/var/habar.db
	write_conf "user = \"$U\";
http = { listen = \"127.0.0.1\"; port = $HP; token = \"$TOKEN\";
    max_request = 512; timeout = 2; };"
	chmod 755 "$T"
	chown -R "$U" "$PHONE"	# the phone's files are the daemon's
	rm -rf "$T/keys"
	mkdir "$T/var"	# empty, root's: as a package would leave it
	check "state starts empty" [ -z "$(ls -A "$T/var")" -a ! -e "$T/keys" ]
	check "habard starts as root with user $U" start_daemon
	nuid=$(id -u "$U")
	check "runs as $U (uid $(uid_of $PID))" \
	    [ "$(uid_of $PID)" = "$nuid $nuid $nuid $nuid" ]
	check "the log says so" grep -q "running as user '$U'" "$LOG"
	check "the key is made at start and is $U's" \
	    [ "$(stat -c %U "$T/keys"/*.key 2>/dev/null)" = "$U" ]
	check "the key folder is $U's" [ "$(stat -c %U "$T/keys")" = "$U" ]
	check "the database folder is $U's" [ "$(stat -c %U "$T/var")" = "$U" ]
	check "the database is $U's" [ "$(stat -c %U "$DB")" = "$U" ]
	inject +77016660101 "паспорт"
	chown -R "$U" "$PHONE"
	check "answers over SMS as $U" wait_sent 1
	check "the SMS event has a pseudonym" [ "$(sql "SELECT count(*) FROM \
	    events WHERE channel = 'sms' AND pseudonym IS NOT NULL AND \
	    pseudonym != zeroblob(16)")" = 1 ]
	c=$(curl -s -o /dev/null -m 10 -w '%{http_code}' \
	    -H "X-Habar-Token: $TOKEN" \
	    "$URL/sms?from=%2B77016660103&text=pasport")
	check "answers over HTTP as $U: 200, not 500 ($c)" [ "$c" = 200 ]
	check "the HTTP event has a pseudonym" sql_ge "SELECT count(*) FROM \
	    events WHERE channel != 'sms' AND pseudonym IS NOT NULL AND \
	    pseudonym != zeroblob(16)" 1
	check "no pseudonym error in the log" \
	    sh -c "! grep -q 'cannot make a pseudonym\\|cannot create key' '$LOG'"

	# HTTP limits on the same daemon.
	code() {
		curl -s -o /dev/null -m 10 -w '%{http_code}' "$@"
	}
	check "no token: 403" [ "$(code "$URL/sms?from=%2B77016660102&text=x")" = 403 ]
	check "with the token: 200" \
	    [ "$(code -H "X-Habar-Token: $TOKEN" "$URL/sms?from=%2B77016660102&text=x")" = 200 ]
	big=$(head -c 2000 /dev/zero | tr '\0' a)
	check "body over max_request: 413" \
	    [ "$(code -H "X-Habar-Token: $TOKEN" -d "from=%2B77016660102&text=$big" "$URL/sms")" = 413 ]
	hdr=$(head -c 20000 /dev/zero | tr '\0' b)
	c=$(code -H "X-Habar-Token: $TOKEN" -H "X-Big: $hdr" "$URL/sms?from=%2B77016660102&text=x")
	check "headers over the memory limit refused ($c)" \
	    [ "$c" = 431 -o "$c" = 413 -o "$c" = 400 -o "$c" = 000 ]
	# A client that sends half a request and stalls is dropped after
	# the 2 s timeout: the connection closes long before curl's 10 s.
	if command -v python3 >/dev/null; then
		took=$(python3 - "$HP" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"POST /sms HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nfrom=")
t = time.time()
s.settimeout(15)
try:
    while s.recv(4096):
        pass
except Exception:
    pass
print(int(time.time() - t))
PY
)
		check "a stalled client is dropped after the timeout (${took} s)" \
		    [ "${took:-99}" -le 5 ]
	else
		ok "stalled client # SKIP no python3"
	fi
	check "daemon alive after the abuse" kill -0 "$PID"
	check "habard stops cleanly on SIGTERM" stop_daemon
	check "the WAL is removed at stop" [ ! -e "$DB-wal" ]
	check "no number left in the database" \
	    sh -c "! grep -qaF 7016660101 '$DB'"
	DB=$T/habar.db

	# No key can be made: refuse to start rather than answer without
	# pseudonyms (a folder stands where this week's key should be).
	mkdir -p "$T/nokeys/$(date -u +%G-W%V).key"
	keys_at "$T/nokeys"
	: >"$LOG"
	timeout 30 "$HABARD" -d -f "$T/habar.conf" >>"$LOG" 2>&1
	rc=$?
	check "no key can be made: refuses to run (exit $rc)" \
	    [ "$rc" -ne 0 -a "$rc" -ne 124 ]
	check "and says why" grep -q "refusing to answer without pseudonyms" "$LOG"
fi

# Not root: nothing to drop, it says so and runs.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
	DB=$T/nr/habar.db
	write_conf 'user = "habar-no-such-user";'
	keys_at "$T/nr/keys"
	mkdir -p "$T/nr"
	chown nobody "$T/nr"
	chmod 755 "$T"
	: >"$LOG"
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    "$HABARD" -d -f "$T/habar.conf" >>"$LOG" 2>&1 &
	PID=$!
	check "not root: runs without dropping" poll 20 started
	check "and says so" grep -q "not started as root" "$LOG"
	kill -TERM "$PID"
	wait "$PID"
	PID=
fi

# The systemd unit, with ExecStart pointing at this build.
if command -v systemd-analyze >/dev/null; then
	mkdir -p "$T/unit"
	sed "s|/usr/local/sbin/habard|$HABARD|g" "$ROOT/conf/habard.service" \
	    >"$T/unit/habard.service"
	systemd-analyze verify "$T/unit/habard.service" >"$T/verify" 2>&1
	rc=$?
	sed 's/^/# /' "$T/verify"
	check "systemd-analyze verify conf/habard.service" \
	    [ "$rc" -eq 0 -a ! -s "$T/verify" ]
	# One hardening for both units.
	for u in habard.service habard@.service; do
		for k in User=habar StateDirectory=habar ProtectSystem=strict \
		    NoNewPrivileges=yes PrivateTmp=yes PrivateMounts=yes \
		    RemoveIPC=yes ProtectProc=invisible ProcSubset=pid \
		    IPAddressDeny=any IPAddressAllow=localhost \
		    SupplementaryGroups=dialout RestrictAddressFamilies \
		    SystemCallFilter=@system-service CapabilityBoundingSet=; do
			check "$u sets $k" grep -q "^$k" "$ROOT/conf/$u"
		done
		check "$u gives no CAP_DAC_OVERRIDE or CAP_CHOWN" \
		    sh -c "! grep -q 'CAP_DAC_OVERRIDE\|CAP_CHOWN' '$ROOT/conf/$u'"
	done
	check "the sample configuration runs habard as an unprivileged user" \
	    grep -q '^user = "habar";' "$ROOT/conf/habar.conf"
else
	ok "systemd-analyze verify # SKIP no systemd-analyze here"
fi
finish
