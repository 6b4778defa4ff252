/*
 * report.c - "habar report --html FILE": one self-contained HTML page
 * of demand statistics with inline SVG charts (per day, topics,
 * languages, countries, hours, unanswered words), in Russian or
 * English.  Nothing is fetched: no scripts, fonts or images from
 * anywhere, so it opens offline and prints.  The figures are the ones
 * "habar stats" shows, suppressed the same way (suppress.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf.h"
#include "content.h"
#include "log.h"
#include "stats.h"
#include "store.h"
#include "suppress.h"

#define REPORT_WORDS	30	/* unanswered words charted */
#define REPORT_BAR_W	460	/* pixels of the longest bar */
#define REPORT_LABEL_W	220	/* pixels for labels left of bars */
#define REPORT_ROW_H	22
#define REPORT_HATCH_W	40	/* pixels of a suppressed cell's bar: the */
				/* same for "<5" and "*", whatever they hide */
#define REPORT_HATCH_H	14	/* and of its column in a column chart */

enum report_text {
	RT_TITLE, RT_PERIOD, RT_NONE, RT_LEGEND, RT_SENDERS, RT_SUMMARY,
	RT_DAYS, RT_TOPICS, RT_LANGS, RT_COUNTRIES, RT_HOURS, RT_WORDS,
	RT_WORDS_NOTE, RT_WITHHELD, RT_NO_WORDS, RT_GENERATED, RT_CHANNEL,
	RT_TOTAL, RT_SMALL, RT_HIDDEN, RT_SUMMARY_NOTE, RT_COUNT
};

static const char *const report_ru[RT_COUNT] = {
	[RT_TITLE] = "habar: о чём спрашивают",
	[RT_PERIOD] = "Период",
	[RT_NONE] = "нет сообщений за этот период",
	[RT_LEGEND] = "«<%d» — от 1 до %d; «*» — скрыто, чтобы «<%d» нельзя "
	    "было вычислить вычитанием из итогов. Числа меньше порога "
	    "никогда не показываются: так ни одного человека нельзя "
	    "выделить.",
	[RT_SENDERS] = "Отправители считаются по псевдонимам, которые "
	    "меняются каждый период ключа (%s): человек, писавший в двух "
	    "периодах, считается дважды.",
	[RT_SUMMARY] = "Сводка по каналам",
	[RT_DAYS] = "Сообщения по дням (UTC)",
	[RT_TOPICS] = "Темы",
	[RT_LANGS] = "Языки ответа",
	[RT_COUNTRIES] = "Страны (по коду номера)",
	[RT_HOURS] = "Время суток (UTC)",
	[RT_WORDS] = "Слова без ответа",
	[RT_WORDS_NOTE] = "Слова сообщений, на которые не нашлось темы, "
	    "в упрощённом написании; показаны только слова, которые "
	    "написали не меньше %d разных отправителей. Цифры и имена не "
	    "хранятся.",
	[RT_WITHHELD] = "Не показано: слишком мало сообщений, чтобы "
	    "показать разбивку безопасно.",
	[RT_NO_WORDS] = "Нет слов, которые написали %d или больше человек.",
	[RT_GENERATED] = "Создано",
	[RT_CHANNEL] = "канал",
	[RT_TOTAL] = "всего",
	[RT_SMALL] = "<%d: от 1 до %d",
	[RT_HIDDEN] = "*: скрыто, %d или больше",
	[RT_SUMMARY_NOTE] = "«С ответом» — сообщения, на которые ответила "
	    "тема, в любом канале. «Ответы SMS» — ответы, отправленные SMS "
	    "(каналы sms и sms-http), «части SMS» — их стоимость. Ответ на "
	    "USSD — экран в сессии, а не SMS: он есть в «с ответом», но не "
	    "в «ответах SMS».",
};

static const char *const report_en[RT_COUNT] = {
	[RT_TITLE] = "habar: what people ask",
	[RT_PERIOD] = "Period",
	[RT_NONE] = "no messages in this period",
	[RT_LEGEND] = "\"<%d\": between 1 and %d; \"*\": hidden so that a "
	    "\"<%d\" cannot be worked out by subtraction from the totals. "
	    "Counts below the threshold are never shown, so no single "
	    "person stands out.",
	[RT_SENDERS] = "Senders are counted by pseudonyms that change every "
	    "key epoch (%s): a person who wrote in two epochs counts twice.",
	[RT_SUMMARY] = "Summary by channel",
	[RT_DAYS] = "Messages per day (UTC)",
	[RT_TOPICS] = "Topics",
	[RT_LANGS] = "Reply languages",
	[RT_COUNTRIES] = "Countries (by number prefix)",
	[RT_HOURS] = "Time of day (UTC)",
	[RT_WORDS] = "Unanswered words",
	[RT_WORDS_NOTE] = "Words of messages no topic matched, in folded "
	    "spelling; only words that %d or more distinct senders used are "
	    "shown. Digits and names are never stored.",
	[RT_WITHHELD] = "Withheld: too few messages to show this breakdown "
	    "safely.",
	[RT_NO_WORDS] = "No word was used by %d or more people.",
	[RT_GENERATED] = "Generated",
	[RT_CHANNEL] = "channel",
	[RT_TOTAL] = "total",
	[RT_SMALL] = "<%d: 1 to %d",
	[RT_HIDDEN] = "*: hidden, %d or more",
	[RT_SUMMARY_NOTE] = "\"Answered\": messages a topic answered, on "
	    "any channel. \"SMS replies\": replies sent as SMS (channels sms "
	    "and sms-http), and \"SMS parts\" what they cost. A USSD answer "
	    "is a screen in the session, not an SMS: it counts as answered, "
	    "not as an SMS reply.",
};

static const char *const report_cols_ru[SC_NCOL] = {
	"сообщения", "отправители", "с ответом", "без ответа", "ответы SMS",
	"части SMS", "не доставлено"
};
static const char *const report_cols_en[SC_NCOL] = {
	"messages", "senders", "answered", "unanswered", "SMS replies",
	"SMS parts", "dropped"
};

struct report {
	FILE			*f;
	struct store		*store;
	struct stats_opts	 o;
	struct content		*content;
	const char *const	*t;		/* report_ru or report_en */
	const char *const	*cols;
	int			 lang;		/* content language, or -1 */
};

/* Write s with &, <, > and " escaped. */
static void
report_esc(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

/*
 * A text with its "%d"s filled in with k, k - 1, k in turn and "%s"
 * with s, escaped.  The texts are ours, but not format literals.
 */
static void
report_fmt(FILE *f, const char *fmt, int k, const char *s)
{
	char	 buf[1024], num[16];
	size_t	 len = 0, n;
	int	 nd = 0;
	const char *add;

	for (; *fmt != '\0' && len + 1 < sizeof(buf); fmt++) {
		add = NULL;
		if (fmt[0] == '%' && fmt[1] == 'd') {
			(void)snprintf(num, sizeof(num), "%d",
			    nd++ == 1 ? k - 1 : k);
			add = num;
		} else if (fmt[0] == '%' && fmt[1] == 's')
			add = s != NULL ? s : "";
		if (add == NULL) {
			buf[len++] = *fmt;
			continue;
		}
		fmt++;
		n = strlen(add);
		if (len + n + 1 > sizeof(buf))
			break;
		memcpy(buf + len, add, n);
		len += n;
	}
	buf[len] = '\0';
	report_esc(f, buf);
}

/* Topic title in the report's language, or the id. */
static const char *
report_label(const struct report *r, const struct stats_table *t, size_t i)
{
	const struct topic	*tp;
	size_t			 l;

	if (t->by != STORE_BY_TOPIC || r->content == NULL ||
	    (tp = content_topic(r->content, t->keys[i])) == NULL)
		return t->keys[i];
	if (r->lang >= 0 && tp->text[r->lang].title != NULL)
		return tp->text[r->lang].title;
	for (l = 0; l < r->content->nlangs; l++)
		if (tp->text[l].title != NULL)
			return tp->text[l].title;
	return t->keys[i];
}

/* The largest shown value of column c among the categories, at least 1. */
static int64_t
report_max(const struct stats_table *t, enum stats_col c)
{
	const struct suppress_cell *cell;
	int64_t	 max = 1;
	size_t	 i;

	for (i = 1; i <= t->nrows; i++) {
		cell = stats_cell(t, i, c);
		if (cell->state == SUPPRESS_SHOWN && cell->value > max)
			max = cell->value;
	}
	return max;
}

/*
 * A suppressed cell's label: "<5: 1 to 4" or "*: hidden, 5 or more", or
 * with brief the sign alone, which the legend explains.
 */
static void
report_hidden_label(const struct report *r, const struct suppress_cell *cell,
    int brief)
{
	char	 val[32];

	if (brief) {
		suppress_format(cell, r->o.k, val, sizeof(val));
		report_esc(r->f, val);
	} else if (cell->state == SUPPRESS_SMALL)
		report_fmt(r->f, r->t[RT_SMALL], r->o.k, NULL);
	else {
		/* "%d" takes k, k - 1, k in turn: here the first */
		report_fmt(r->f, r->t[RT_HIDDEN], r->o.k, NULL);
	}
}

/*
 * One horizontal bar: a shown value to scale; a suppressed one ("<5" or
 * "*") a hatched bar of one fixed width, so that its length says
 * nothing, with its label.
 */
static void
report_hbar(const struct report *r, const char *label,
    const struct suppress_cell *cell, int64_t max, int y)
{
	char	 val[32];
	int	 w;

	fprintf(r->f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">",
	    REPORT_LABEL_W - 8, y + 15);
	report_esc(r->f, label);
	fputs("</text>", r->f);
	if (cell->state != SUPPRESS_SHOWN) {
		fprintf(r->f, "<rect class=\"hidden\" fill=\"url(#hatch)\" "
		    "x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>"
		    "<text class=\"hl\" x=\"%d\" y=\"%d\">", REPORT_LABEL_W,
		    y + 3, REPORT_HATCH_W, REPORT_ROW_H - 6,
		    REPORT_LABEL_W + REPORT_HATCH_W + 6, y + 15);
		report_hidden_label(r, cell, 0);
		fputs("</text>\n", r->f);
		return;
	}
	w = (int)(cell->value * REPORT_BAR_W / max);
	if (cell->value > 0 && w < 2)
		w = 2;
	fprintf(r->f, "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%d\" "
	    "height=\"%d\"/>", REPORT_LABEL_W, y + 3, w, REPORT_ROW_H - 6);
	suppress_format(cell, r->o.k, val, sizeof(val));
	fprintf(r->f, "<text x=\"%d\" y=\"%d\">", REPORT_LABEL_W + w + 6,
	    y + 15);
	report_esc(r->f, val);
	fputs("</text>\n", r->f);
}

/* A horizontal bar chart of the messages of each category. */
static void
report_hchart(const struct report *r, const struct stats_table *t)
{
	int64_t	 max = report_max(t, SC_MSG);
	size_t	 i;
	int	 h = (int)t->nrows * REPORT_ROW_H + 4;

	fprintf(r->f, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
	    REPORT_LABEL_W + REPORT_BAR_W + 60, h,
	    REPORT_LABEL_W + REPORT_BAR_W + 60, h);
	for (i = 1; i <= t->nrows; i++)
		report_hbar(r, report_label(r, t, i), stats_cell(t, i, SC_MSG),
		    max, (int)(i - 1) * REPORT_ROW_H);
	fputs("</svg>\n", r->f);
}

/*
 * The label under column i of a column chart, upright: an hour as it
 * is ("07"); a day as "11-26" where the column is wide enough, else its
 * day of the month, with the month ("2026-11") under the first column
 * and under each first of a month.  Labels a column too narrow for them
 * would overlap are left out but every step-th.
 */
static void
report_vlabel(const struct report *r, const struct stats_table *t, size_t i,
    int x, int y, int colw)
{
	const char	*key = t->keys[i];
	int		 day = strlen(key) == 10, step;

	step = (day && colw < 40 ? 22 : day ? 40 : 20) / colw + 1;
	if (day && colw >= 40) {
		fprintf(r->f, "<text class=\"v\" x=\"%d\" y=\"%d\" "
		    "text-anchor=\"middle\">%.5s</text>", x, y, key + 5);
		return;
	}
	if ((i - 1) % (size_t)step == 0 || (day && strcmp(key + 8,
	    "01") == 0)) {
		fprintf(r->f, "<text class=\"v\" x=\"%d\" y=\"%d\" "
		    "text-anchor=\"middle\">", x, y);
		report_esc(r->f, day ? key + 8 : key);
		fputs("</text>", r->f);
	}
	if (day && (i == 1 || strcmp(key + 8, "01") == 0))
		fprintf(r->f, "<text class=\"v\" x=\"%d\" y=\"%d\">"
		    "%.7s</text>", x - colw / 2 + 1, y + 15, key);
}

/*
 * A column chart (days, hours): one column per category; a suppressed
 * cell a hatched block of one fixed height under its sign.
 */
static void
report_vchart(const struct report *r, const struct stats_table *t)
{
	const struct suppress_cell *cell;
	int64_t	 max = report_max(t, SC_MSG);
	size_t	 i;
	char	 val[32];
	int	 colw, x, bh, ch = 180, w;

	colw = t->nrows > 0 ? (int)(680 / t->nrows) : 20;
	if (colw > 60)
		colw = 60;
	if (colw < 8)
		colw = 8;
	w = colw * (int)t->nrows + 20;
	fprintf(r->f, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
	    w, ch + 60, w, ch + 60);
	for (i = 1; i <= t->nrows; i++) {
		cell = stats_cell(t, i, SC_MSG);
		x = 10 + (int)(i - 1) * colw;
		if (cell->state == SUPPRESS_SHOWN) {
			bh = (int)(cell->value * ch / max);
			fprintf(r->f, "<rect class=\"bar\" x=\"%d\" y=\"%d\" "
			    "width=\"%d\" height=\"%d\"/>", x + 1,
			    20 + ch - bh, colw - 2, bh);
		} else {
			bh = REPORT_HATCH_H;
			fprintf(r->f, "<rect class=\"hidden\" "
			    "fill=\"url(#hatch)\" x=\"%d\" y=\"%d\" "
			    "width=\"%d\" height=\"%d\"/>", x + 1,
			    20 + ch - bh, colw - 2, bh);
		}
		fprintf(r->f, "<text class=\"%s\" x=\"%d\" y=\"%d\" "
		    "text-anchor=\"middle\">", cell->state == SUPPRESS_SHOWN ?
		    "v" : "v hl", x + colw / 2, 16 + ch - bh);
		suppress_format(cell, r->o.k, val, sizeof(val));
		report_esc(r->f, val);
		fputs("</text>", r->f);
		report_vlabel(r, t, i, x + colw / 2, ch + 36, colw);
		fputs("\n", r->f);
	}
	fputs("</svg>\n", r->f);
}

/* A table of the figures, as "habar stats" shows them. */
static void
report_table(const struct report *r, const struct stats_table *t,
    const char *keyname)
{
	char	 val[32];
	size_t	 i;
	int	 c;

	fputs("<table><tr><th>", r->f);
	report_esc(r->f, keyname);
	fputs("</th>", r->f);
	for (c = 0; c < SC_NCOL; c++)
		if (t->mask & SC_BIT(c)) {
			fputs("<th>", r->f);
			report_esc(r->f, r->cols[c]);
			fputs("</th>", r->f);
		}
	fputs("</tr>\n", r->f);
	for (i = 0; i <= t->nrows && !(i > 0 && t->withheld); i++) {
		fprintf(r->f, "<tr%s><td>", i == 0 ? " class=\"total\"" : "");
		report_esc(r->f, i == 0 ? r->t[RT_TOTAL] :
		    report_label(r, t, i));
		fputs("</td>", r->f);
		for (c = 0; c < SC_NCOL; c++) {
			if (!(t->mask & SC_BIT(c)))
				continue;
			suppress_format(stats_cell(t, i, c), r->o.k, val,
			    sizeof(val));
			fputs("<td class=\"n\">", r->f);
			report_esc(r->f, val);
			fputs("</td>", r->f);
		}
		fputs("</tr>\n", r->f);
	}
	fputs("</table>\n", r->f);
}

/* One section: heading, chart (vertical or not), and its table. */
static int
report_section(struct report *r, enum report_text title, enum store_by by,
    unsigned mask, int vertical, int with_table)
{
	struct stats_table	 t;

	if (stats_table_load(r->store, &r->o, by, mask, &t) == -1)
		return -1;
	fprintf(r->f, "<section><h2>");
	report_esc(r->f, r->t[title]);
	fprintf(r->f, "</h2>\n");
	if (t.withheld) {
		fputs("<p class=\"note\">", r->f);
		report_esc(r->f, r->t[RT_WITHHELD]);
		fputs("</p>\n", r->f);
	} else if (t.nrows > 0 && !with_table) {
		if (vertical)
			report_vchart(r, &t);
		else
			report_hchart(r, &t);
	}
	if (with_table) {
		report_table(r, &t, r->t[RT_CHANNEL]);
		fputs("<p class=\"note\">", r->f);
		report_esc(r->f, r->t[RT_SUMMARY_NOTE]);
		fputs("</p>\n", r->f);
	}
	fputs("</section>\n", r->f);
	stats_table_free(&t);
	return 0;
}

static int
report_words(struct report *r)
{
	struct store_word	*w = NULL;
	struct suppress_cell	 cell;
	size_t			 n = 0, i;
	int64_t			 max = 1;
	int			 h;

	if (store_stats_words(r->store, &r->o.period, r->o.min_senders,
	    REPORT_WORDS, &w, &n) == -1)
		return -1;
	fputs("<section><h2>", r->f);
	report_esc(r->f, r->t[RT_WORDS]);
	fputs("</h2>\n<p class=\"note\">", r->f);
	report_fmt(r->f, r->t[RT_WORDS_NOTE], r->o.min_senders, NULL);
	fputs("</p>\n", r->f);
	if (n == 0) {
		fputs("<p>", r->f);
		report_fmt(r->f, r->t[RT_NO_WORDS], r->o.min_senders, NULL);
		fputs("</p>\n", r->f);
	} else {
		for (i = 0; i < n; i++)
			if (w[i].senders > max)
				max = w[i].senders;
		h = (int)n * REPORT_ROW_H + 4;
		fprintf(r->f, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
		    "role=\"img\" width=\"%d\" height=\"%d\" "
		    "viewBox=\"0 0 %d %d\">\n",
		    REPORT_LABEL_W + REPORT_BAR_W + 60, h,
		    REPORT_LABEL_W + REPORT_BAR_W + 60, h);
		for (i = 0; i < n; i++) {
			suppress_cell_init(&cell, w[i].senders);
			report_hbar(r, w[i].word, &cell, max,
			    (int)i * REPORT_ROW_H);
		}
		fputs("</svg>\n", r->f);
	}
	fputs("</section>\n", r->f);
	free(w);
	return 0;
}

static const char report_css[] =
    "body{font-family:sans-serif;margin:2em;max-width:60em;color:#222}"
    "h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;"
    "padding:.2em .6em}td.n{text-align:right}tr.total{font-weight:bold}"
    ".note{color:#555;font-size:.9em}svg text{font:13px sans-serif;"
    "fill:#222}svg text.v{font-size:12px}svg text.hl{font-style:italic}"
    ".bar{fill:#3a6ea5}.hidden{stroke:#56606a;stroke-width:1}"
    "@media print{body{margin:0}}";

/* The hatching of suppressed cells, once for every chart of the page. */
static const char report_defs[] =
    "<svg width=\"0\" height=\"0\" style=\"position:absolute\" "
    "aria-hidden=\"true\"><defs><pattern id=\"hatch\" width=\"6\" "
    "height=\"6\" patternUnits=\"userSpaceOnUse\" "
    "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" "
    "fill=\"#eef0f2\"/><rect width=\"3\" height=\"6\" fill=\"#56606a\"/>"
    "</pattern></defs></svg>\n";

static int
report_write(struct report *r, const char *lang)
{
	char		 first[STORE_HOUR_MAX], last[STORE_HOUR_MAX];
	char		 gen[32];
	struct tm	 tm;
	time_t		 now = time(NULL);

	gmtime_r(&now, &tm);
	strftime(gen, sizeof(gen), "%Y-%m-%d %H:%M UTC", &tm);
	if (store_stats_span(r->store, &r->o.period, first, last) == -1)
		return -1;
	fprintf(r->f, "<!DOCTYPE html>\n<html lang=\"%s\"><head>"
	    "<meta charset=\"utf-8\">\n<title>", lang);
	report_esc(r->f, r->t[RT_TITLE]);
	fprintf(r->f, "</title>\n<style>%s</style></head><body>\n%s<h1>",
	    report_css, report_defs);
	report_esc(r->f, r->t[RT_TITLE]);
	fputs("</h1>\n<p>", r->f);
	report_esc(r->f, r->t[RT_PERIOD]);
	fputs(": ", r->f);
	if (first[0] == '\0')
		report_esc(r->f, r->t[RT_NONE]);
	else
		fprintf(r->f, "%s:00 &ndash; %s:59 UTC", first, last);
	fputs(". ", r->f);
	report_esc(r->f, r->t[RT_GENERATED]);
	fprintf(r->f, ": %s.</p>\n<p class=\"note\">", gen);
	report_fmt(r->f, r->t[RT_LEGEND], r->o.k, NULL);
	fputs(" ", r->f);
	report_fmt(r->f, r->t[RT_SENDERS], 0, r->o.epoch);
	fputs("</p>\n", r->f);
	if (report_section(r, RT_SUMMARY, STORE_BY_CHANNEL, SC_BIT(SC_MSG) |
	    SC_BIT(SC_SND) | SC_BIT(SC_ANS) | SC_BIT(SC_UNA) |
	    SC_BIT(SC_REP) | SC_BIT(SC_PRT) | SC_BIT(SC_DRP), 0, 1) == -1 ||
	    report_section(r, RT_DAYS, STORE_BY_DAY, SC_BIT(SC_MSG) |
	    SC_BIT(SC_SND) | SC_BIT(SC_UNA), 1, 0) == -1 ||
	    report_section(r, RT_TOPICS, STORE_BY_TOPIC, SC_BIT(SC_MSG) |
	    SC_BIT(SC_SND) | SC_BIT(SC_REP) | SC_BIT(SC_PRT), 0, 0) == -1 ||
	    report_section(r, RT_LANGS, STORE_BY_LANG, SC_BIT(SC_MSG) |
	    SC_BIT(SC_SND) | SC_BIT(SC_UNA) | SC_BIT(SC_REP) |
	    SC_BIT(SC_PRT), 0, 0) == -1 ||
	    report_section(r, RT_COUNTRIES, STORE_BY_COUNTRY, SC_BIT(SC_MSG) |
	    SC_BIT(SC_SND) | SC_BIT(SC_UNA) | SC_BIT(SC_REP) |
	    SC_BIT(SC_PRT), 0, 0) == -1 ||
	    report_section(r, RT_HOURS, STORE_BY_HOUR, SC_BIT(SC_MSG) |
	    SC_BIT(SC_SND) | SC_BIT(SC_UNA), 1, 0) == -1 ||
	    report_words(r) == -1)
		return -1;
	fputs("</body></html>\n", r->f);
	return 0;
}

int
report_main(const char *conf_file, int argc, char *argv[])
{
	struct report	 r;
	struct conf	*conf;
	const char	*file = NULL, *lang = "ru";
	int		 i = 1, rc, rv = 0;

	memset(&r, 0, sizeof(r));
	while (i < argc) {
		if ((rc = stats_period_opt(&r.o, argc, argv, &i)) == -1)
			return 2;
		if (rc == 1)
			continue;
		if (strcmp(argv[i], "--html") == 0 && i + 1 < argc)
			file = argv[i + 1];
		else if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
			lang = argv[i + 1];
		else
			break;
		i += 2;
	}
	if (i < argc || file == NULL || (strcmp(lang, "ru") != 0 &&
	    strcmp(lang, "en") != 0)) {
		fprintf(stderr, "usage: habar report --html file "
		    "[--lang ru|en] [--since D] [--until D] [--last 7d]\n");
		return 2;
	}
	r.t = strcmp(lang, "en") == 0 ? report_en : report_ru;
	r.cols = strcmp(lang, "en") == 0 ? report_cols_en : report_cols_ru;
	if ((conf = stats_conf(conf_file, &r.o)) == NULL)
		return 2;
	if ((r.store = store_open_readonly(conf->database)) == NULL) {
		conf_free(conf);
		return 1;
	}
	r.content = content_load(conf->content_dir,
	    (const char *const *)conf->langs, conf->nlangs, stats_quiet, NULL);
	r.lang = r.content != NULL ? content_lang(r.content, lang) : -1;
	if ((r.f = fopen(file, "w")) == NULL) {
		fprintf(stderr, "habar: cannot write '%s'\n", file);
		rv = 1;
	} else {
		if (report_write(&r, lang) == -1)
			rv = 1;
		if (fclose(r.f) == EOF) {
			fprintf(stderr, "habar: cannot write '%s'\n", file);
			rv = 1;
		}
	}
	content_free(r.content);
	store_close(r.store);
	conf_free(conf);
	return rv;
}
