/*
 * doctor.c - "habar doctor", for the technician on site: connects to
 * the modem habar.conf names and prints each step with OK or the
 * problem and what to do, in plain words: the device and its
 * permissions for the service user, other programs holding it
 * (ModemManager above all), whether the modem answers at all (a Huawei
 * stick still in its storage or HiLink mode does not), who it is, the
 * SIM and its PIN, the network and signal, the SMS centre, the SIM's
 * message storage, the credit when a balance group is set, and with
 * --send a test SMS.  The modem is reached through modem.c only.
 * Never printed: the IMSI, the full IMEI (its last 4 digits only), the
 * PIN, the number a test SMS goes to.
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "balance.h"
#include "conf.h"
#include "doctor.h"
#include "log.h"
#include "modem.h"
#include "phone.h"

#define DOCTOR_GROUPS	64
#define DOCTOR_HOLDERS	8
#define DOCTOR_TEXT	"habar doctor: test message"
/* Where "make install" puts the udev rule shipped in conf/. */
#define UDEV_RULE	"/usr/local/share/habar/99-habar-modemmanager.rules"
#define UDEV_RULE_DEB	"/usr/share/habar/99-habar-modemmanager.rules"

struct doctor {
	int	 failed;
	bool	 pin_set;	/* a PIN is configured, not entered */
};

static void	 ok(struct doctor *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	 bad(struct doctor *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* One step that works. */
static void
ok(struct doctor *d, const char *fmt, ...)
{
	va_list	 ap;

	(void)d;
	printf("OK    ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* One step that does not; what to do follows with todo(). */
static void
bad(struct doctor *d, const char *fmt, ...)
{
	va_list	 ap;

	d->failed++;
	printf("FAIL  ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* What to do, indented under the step. */
static void
todo(const char *text)
{
	const char	*p = text, *nl;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		printf("      %.*s\n", nl ? (int)(nl - p) : (int)strlen(p), p);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
}

/*
 * Whether the user name (or, NULL, whoever runs this) may read and
 * write a file of sb's owner, group and mode.
 */
static bool
user_can_rw(const char *name, const struct stat *sb)
{
	struct passwd	*pw;
	gid_t		 groups[DOCTOR_GROUPS];
	int		 ngroups = DOCTOR_GROUPS, i;

	if (name == NULL)
		pw = getpwuid(geteuid());
	else
		pw = getpwnam(name);
	if (pw == NULL)
		return false;
	if (pw->pw_uid == 0)
		return true;
	if (pw->pw_uid == sb->st_uid)
		return (sb->st_mode & 0600) == 0600;
	if (getgrouplist(pw->pw_name, pw->pw_gid, groups, &ngroups) == -1)
		ngroups = DOCTOR_GROUPS;
	for (i = 0; i < ngroups; i++)
		if (groups[i] == sb->st_gid)
			return (sb->st_mode & 0060) == 0060;
	return (sb->st_mode & 0006) == 0006;
}

/* The name of sb's group, or its number, into buf. */
static const char *
group_name(const struct stat *sb, char *buf, size_t bufsz)
{
	struct group	*gr;

	if ((gr = getgrgid(sb->st_gid)) != NULL)
		snprintf(buf, bufsz, "%s", gr->gr_name);
	else
		snprintf(buf, bufsz, "%lu", (unsigned long)sb->st_gid);
	return buf;
}

/* The device exists and the service user may use it. */
static int
step_device(struct doctor *d, const struct conf *conf, const char *dev)
{
	struct stat	 sb;
	char		 grp[64], msg[512];
	const char	*user = conf->user;

	if (stat(dev, &sb) == -1) {
		bad(d, "device %s: %s", dev, strerror(errno));
		todo("Is the modem plugged in?  'ls /dev/ttyUSB*' lists the "
		    "serial ports.\nA Huawei stick that makes none is still "
		    "in its storage (CD-ROM) mode:\n'apt-get install "
		    "usb-modeswitch' and plug it in again.");
		return -1;
	}
	if (!S_ISCHR(sb.st_mode)) {
		bad(d, "device %s is not a serial port", dev);
		todo("Set 'device' (or the gammurc's) to the modem's port, "
		    "e.g. /dev/ttyUSB0.");
		return -1;
	}
	if (!user_can_rw(user, &sb)) {
		bad(d, "device %s: the service user '%s' cannot read and "
		    "write it", dev, user != NULL ? user : "(you)");
		group_name(&sb, grp, sizeof(grp));
		if ((sb.st_mode & 0060) == 0060 && sb.st_gid != 0)
			snprintf(msg, sizeof(msg), "It belongs to group '%s' "
			    "(mode %03o).  Add the user to that group:\n"
			    "usermod -aG %s %s", grp,
			    (unsigned)(sb.st_mode & 0777), grp,
			    user != NULL ? user : "$USER");
		else
			snprintf(msg, sizeof(msg), "It belongs to group '%s' "
			    "(mode %03o), which no service should join.\n"
			    "Debian gives USB modems to group dialout, mode "
			    "0660; add the user\nto dialout (usermod -aG "
			    "dialout %s) and check the device.", grp,
			    (unsigned)(sb.st_mode & 0777),
			    user != NULL ? user : "$USER");
		todo(msg);
		return -1;
	}
	ok(d, "device %s, readable and writable by '%s'", dev,
	    user != NULL ? user : "you");
	return 0;
}

/* The programs other than this one holding path open, into names. */
static size_t
holders(const char *path, char names[][64], size_t max)
{
	char		 real[PATH_MAX], fdir[300], link[600];
	char		 target[PATH_MAX], comm[300];
	DIR		*proc, *fds;
	struct dirent	*p, *f;
	FILE		*fp;
	ssize_t		 len;
	size_t		 n = 0, k;
	pid_t		 self = getpid();

	if (realpath(path, real) == NULL || (proc = opendir("/proc")) ==
	    NULL)
		return 0;
	while (n < max && (p = readdir(proc)) != NULL) {
		if (strspn(p->d_name, "0123456789") != strlen(p->d_name) ||
		    atol(p->d_name) == (long)self)
			continue;
		snprintf(fdir, sizeof(fdir), "/proc/%s/fd", p->d_name);
		if ((fds = opendir(fdir)) == NULL)
			continue;
		while ((f = readdir(fds)) != NULL) {
			snprintf(link, sizeof(link), "%s/%s", fdir, f->d_name);
			len = readlink(link, target, sizeof(target) - 1);
			if (len <= 0)
				continue;
			target[len] = '\0';
			if (strcmp(target, real) != 0)
				continue;
			snprintf(comm, sizeof(comm), "/proc/%s/comm",
			    p->d_name);
			snprintf(names[n], 64, "process %.20s", p->d_name);
			if ((fp = fopen(comm, "r")) != NULL) {
				if (fgets(names[n], 64, fp) != NULL) {
					k = strcspn(names[n], "\n");
					names[n][k] = '\0';
				}
				fclose(fp);
			}
			n++;
			break;
		}
		closedir(fds);
	}
	closedir(proc);
	return n;
}

/* Nothing else holds the device. */
static int
step_holders(struct doctor *d, const char *dev)
{
	char		 names[DOCTOR_HOLDERS][64], msg[768];
	size_t		 n, i;
	bool		 mm = false, habard = false;
	int		 fd, locked = 0;

	n = holders(dev, names, DOCTOR_HOLDERS);
	if ((fd = open(dev, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)) !=
	    -1) {
		/* libGammu locks the port so: another one is using it. */
		if (flock(fd, LOCK_EX | LOCK_NB) == -1 && errno ==
		    EWOULDBLOCK)
			locked = 1;
		close(fd);
	}
	if (n == 0 && !locked) {
		ok(d, "no other program holds %s", dev);
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (strcmp(names[i], "ModemManager") == 0)
			mm = true;
		if (strcmp(names[i], "habard") == 0)
			habard = true;
		bad(d, "%s holds %s", names[i], dev);
	}
	if (n == 0)
		bad(d, "another program has locked %s", dev);
	if (mm) {
		snprintf(msg, sizeof(msg), "ModemManager grabs every modem "
		    "it sees.  Make it leave this one alone:\ncp %s "
		    "/etc/udev/rules.d/\n(%s in a package install; edit the "
		    "device in it if it is not "
		    "a Huawei or ZTE stick), then\nudevadm control --reload "
		    "&& udevadm trigger, and unplug and replug the modem.\n"
		    "Or, if nothing else needs it: systemctl disable --now "
		    "ModemManager", UDEV_RULE, UDEV_RULE_DEB);
		todo(msg);
	} else if (habard || locked)
		todo("habard (or another Gammu program) is using the modem: "
		    "stop it first,\ne.g. 'systemctl stop habard', run the "
		    "doctor, then start it again.");
	else
		todo("Stop that program: two programs cannot talk to one "
		    "modem.");
	return -1;
}

/* The modem answers. */
static int
step_link(struct doctor *d, struct modem *m, const char *dev)
{
	char		 why[160];
	enum modem_link	 l;

	switch ((l = modem_probe(m, why, sizeof(why)))) {
	case MODEM_LINK_OK:
	case MODEM_LINK_SIM:
		ok(d, "the modem answers on %s", dev);
		return 0;
	case MODEM_LINK_NODEV:
		bad(d, "no modem at %s (%s)", dev, why);
		todo("Plug the modem in, or set the right device.");
		return -1;
	case MODEM_LINK_PERM:
		bad(d, "no permission to open %s (%s)", dev, why);
		todo("Run 'habar doctor' as root or as the service user, and "
		    "add that user\nto the device's group (usually "
		    "dialout).");
		return -1;
	case MODEM_LINK_BUSY:
		bad(d, "cannot open %s: another program holds it (%s)", dev,
		    why);
		todo("Stop the other program (habard, ModemManager, another "
		    "Gammu).");
		return -1;
	case MODEM_LINK_SILENT:
		bad(d, "the modem on %s does not answer AT commands (%s)",
		    dev, why);
		todo("A Huawei stick still in its storage (CD-ROM) or HiLink "
		    "(network card)\nmode has no port that talks: 'lsusb' "
		    "shows it as 12d1:1f01, 12d1:14db or\nsimilar.  "
		    "'apt-get install usb-modeswitch' switches it to modem "
		    "mode\nwhen plugged in; a HiLink stick may need its "
		    "firmware changed to a\n'stick' (modem) one.  Also check "
		    "that this is the modem's first port\n(ttyUSB0, not "
		    "ttyUSB1) and that connection is 'at'.");
		return -1;
	case MODEM_LINK_CONFIG:
		bad(d, "the modem configuration is not usable (%s)", why);
		todo("Check modem.gammurc/section or device/connection in "
		    "habar.conf.");
		return -1;
	case MODEM_LINK_OTHER:
		break;
	}
	bad(d, "cannot talk to the modem on %s (%s)", dev, why);
	todo("Unplug the modem, wait 10 seconds, plug it in, and try again.");
	(void)l;
	return -1;
}

/* The SIM is there and unlocked. */
static int
step_sim(struct doctor *d, struct modem *m)
{
	switch (modem_sim(m)) {
	case MODEM_SIM_READY:
		ok(d, "SIM ready");
		return 0;
	case MODEM_SIM_UNKNOWN:
		ok(d, "SIM: the modem does not say whether it wants a PIN");
		return 0;
	case MODEM_SIM_PIN:
		bad(d, "the SIM asks for its PIN");
		if (d->pin_set) {
			todo("habard enters the configured PIN.  To check it "
			    "here too, run\n'habar doctor --pin': a wrong PIN "
			    "spends one of the SIM's three tries.");
			return -1;
		}
		todo("Set modem.pin = \"NNNN\"; in habar.conf, or put it in "
		    "a file only root\ncan read and set modem.pin_file.  Or "
		    "turn the PIN off in a phone.");
		return -1;
	case MODEM_SIM_PIN_REFUSED:
		bad(d, "the SIM refused the configured PIN");
		todo("Do not try again blindly: after three wrong PINs the "
		    "SIM locks and needs\nits PUK.  Check the PIN in a phone, "
		    "then correct modem.pin.");
		return -1;
	case MODEM_SIM_PUK:
		bad(d, "the SIM is locked and needs its PUK");
		todo("Put the SIM in a phone and unlock it with the PUK from "
		    "its card\n(or ask the operator).");
		return -1;
	case MODEM_SIM_ABSENT:
		bad(d, "no SIM in the modem");
		todo("Insert the SIM (contacts down, the cut corner as "
		    "marked) and replug.");
		return -1;
	}
	return -1;
}

/* Registered, with a signal: 0, else -1. */
static int
step_network(struct doctor *d, struct modem *m)
{
	struct modem_health mh;

	if (modem_health(m, &mh) == -1) {
		bad(d, "the modem does not report its network");
		todo("Unplug and replug the modem; if it stays so, try "
		    "another modem.");
		return -1;
	}
	switch (mh.net) {
	case MODEM_NET_HOME:
	case MODEM_NET_ROAMING:
	case MODEM_NET_UNKNOWN:
		if (mh.signal_pct == 0) {
			bad(d, "network %s but no signal",
			    modem_net_name(mh.net));
			todo("Move the modem (a USB extension cable helps) "
			    "or fit an antenna.");
			return -1;
		}
		ok(d, "network %s%s%s, signal %d%% (%d dBm)",
		    modem_net_name(mh.net), mh.net_code[0] ? " " : "",
		    mh.net_code, mh.signal_pct, mh.signal_dbm);
		return 0;
	case MODEM_NET_SEARCHING:
	case MODEM_NET_NONE:
		bad(d, "not registered on a network (%s), signal %d%%",
		    modem_net_name(mh.net), mh.signal_pct);
		todo("Check coverage and the antenna, and that the SIM works "
		    "in a phone\n(a new SIM may need activating; an unpaid "
		    "one may be cut off).");
		return -1;
	case MODEM_NET_DENIED:
		bad(d, "the network denied registration");
		todo("The SIM is blocked or not activated: call the "
		    "operator.");
		return -1;
	}
	return -1;
}

static void
step_smsc(struct doctor *d, struct modem *m)
{
	char	 smsc[MODEM_NUMBER_MAX];

	if (modem_smsc(m, smsc, sizeof(smsc)) == -1) {
		bad(d, "the SIM has no SMS centre number: replies cannot be "
		    "sent");
		todo("Ask the operator for its SMS centre number and set it "
		    "on the SIM in a\nphone (Messages, Settings, Message "
		    "centre).");
		return;
	}
	ok(d, "SMS centre %s", smsc);
}

static void
step_storage(struct doctor *d, struct modem *m)
{
	int	 used, total;

	if (modem_storage(m, &used, &total) == -1) {
		ok(d, "SMS storage: the modem does not say how full it is");
		return;
	}
	if (total > 0 && used >= total) {
		bad(d, "the SIM's SMS storage is full (%d of %d)", used,
		    total);
		todo("No new SMS can arrive.  Start habard: it reads and "
		    "deletes every\nmessage, status reports included.");
		return;
	}
	ok(d, "SMS storage %d of %d used", used, total);
}

/* The credit, when the balance group is set. */
static void
step_credit(struct doctor *d, const struct conf *conf, struct modem *m)
{
	struct balance	*b;
	struct timespec	 ts = { 0, 100 * 1000 * 1000 };
	char		 reply[512], err[128], amount[BALANCE_FMT_MAX];
	time_t		 until;
	int64_t		 minor;
	int		 rv = 0;

	if (!conf->has_balance || conf->balance.code == NULL)
		return;
	if ((b = balance_new(conf->balance.pattern, err, sizeof(err))) ==
	    NULL) {
		bad(d, "balance.pattern: %s", err);
		return;
	}
	until = time(NULL) + conf->balance.timeout;
	if (modem_ussd_start(m, conf->balance.code) == 0)
		while ((rv = modem_ussd_poll(m, reply, sizeof(reply))) == 0 &&
		    time(NULL) < until)
			nanosleep(&ts, NULL);
	else
		rv = -1;
	modem_ussd_cancel(m);
	if (rv != 1)
		bad(d, "no answer to the balance code %s within %d s",
		    conf->balance.code, conf->balance.timeout);
	else if (balance_parse(b, reply, &minor) == -1)
		bad(d, "cannot read the credit in the answer to %s",
		    conf->balance.code);
	else
		ok(d, "SIM credit %s", balance_format(minor, amount,
		    sizeof(amount)));
	if (rv != 1)
		todo("Check balance.code with the operator; dial it in a "
		    "phone with this SIM.");
	else if (d->failed > 0 && balance_parse(b, reply, &minor) == -1)
		todo("Set balance.pattern to read your operator's answer; "
		    "habard records\nthe answer it gets in 'habar status'.");
	balance_free(b);
}

static void
step_send(struct doctor *d, struct modem *m, const char *raw)
{
	char	 number[PHONE_MAX];
	char	 text[] = DOCTOR_TEXT;
	char	*parts[1] = { text };

	if (phone_e164(number, sizeof(number), raw) == -1) {
		bad(d, "--send: not a phone number");
		return;
	}
	if (modem_send(m, number, false, parts, 1) == -1) {
		bad(d, "the test SMS was not sent (%s)",
		    modem_strerror(modem_lasterr(m)));
		todo("Check the SMS centre and the credit above.");
		return;
	}
	ok(d, "test SMS sent: check that it arrives");
}

int
cmd_doctor(const char *conf_file, int argc, char *argv[])
{
	struct doctor	 d;
	struct conf	*conf;
	struct modem_conf mc;
	struct modem	*m = NULL;
	struct modem_ident id;
	struct stat	 sb;
	char		 dev[PATH_MAX], pin[16];
	const char	*send = NULL;
	bool		 use_pin = false, registered;
	int		 i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--pin") == 0)
			use_pin = true;
		else if (strcmp(argv[i], "--send") == 0 && i + 1 < argc)
			send = argv[++i];
		else {
			fprintf(stderr, "usage: habar [-f file] doctor [--pin] "
			    "[--send NUMBER]\n");
			return 2;
		}
	}
	memset(&d, 0, sizeof(d));
	if ((conf = conf_load(conf_file)) == NULL)
		return 2;
	if (!conf->has_modem) {
		printf("FAIL  %s has no modem group\n", conf_file);
		conf_free(conf);
		return 1;
	}
	/*
	 * The PIN only when asked: a wrong one spends one of the SIM's
	 * three tries, and a technician may run the doctor many times.
	 */
	if (!use_pin) {
		if (conf_modem(conf, &mc, pin, sizeof(pin)) == 0)
			explicit_bzero(pin, sizeof(pin));
		mc.pin = NULL;
		d.pin_set = conf->modem.pin != NULL ||
		    conf->modem.pin_file != NULL;
	} else if (conf_modem(conf, &mc, pin, sizeof(pin)) == -1) {
		bad(&d, "cannot read the SIM PIN");
		todo("modem.pin_file must be readable by root only: run the "
		    "doctor as root.");
		conf_free(conf);
		return 1;
	}
	if (modem_device(&mc, dev, sizeof(dev)) == -1) {
		explicit_bzero(pin, sizeof(pin));
		conf_free(conf);
		return 2;
	}
	printf("habar doctor: modem %s%s%s\n", dev, conf->modem.id ?
	    ", id " : "", conf->modem.id ? conf->modem.id : "");
	if (stat(dev, &sb) == 0 && S_ISDIR(sb.st_mode))
		ok(&d, "%s is a simulated phone (a folder)", dev);
	else if (step_device(&d, conf, dev) == -1 ||
	    step_holders(&d, dev) == -1)
		goto done;
	if ((m = modem_open(&mc)) == NULL) {
		bad(&d, "cannot set up the modem");
		goto done;
	}
	explicit_bzero(pin, sizeof(pin));
	if (step_link(&d, m, dev) == -1)
		goto done;
	if (modem_ident(m, &id) == 0)
		ok(&d, "modem %s %s, firmware %s, IMEI ending %s",
		    id.manufacturer[0] ? id.manufacturer : "(unknown)",
		    id.model[0] ? id.model : "(unknown model)",
		    id.firmware[0] ? id.firmware : "unknown",
		    id.imei_tail[0] ? id.imei_tail : "(none)");
	if (step_sim(&d, m) == -1)
		goto done;
	registered = step_network(&d, m) == 0;
	step_smsc(&d, m);
	step_storage(&d, m);
	/* The operator answers a balance code only over its network. */
	if (registered)
		step_credit(&d, conf, m);
	else if (conf->has_balance && conf->balance.code != NULL)
		printf("SKIP  the credit (%s): not asked without a network\n",
		    conf->balance.code);
	if (send != NULL)
		step_send(&d, m, send);
done:
	explicit_bzero(pin, sizeof(pin));
	modem_close(m);
	printf("%s\n", d.failed == 0 ? "all OK" : d.failed == 1 ?
	    "1 problem" : "problems found");
	conf_free(conf);
	return d.failed == 0 ? 0 : 1;
}
