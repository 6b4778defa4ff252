/*
 * langid.c - the language of a message from its letters and its common
 * words, among Kazakh, Russian, Uzbek, Kyrgyz and Tajik.
 *
 * Letters: ә ұ һ і are Kazakh only, ў Uzbek only, ӣ ӯ ҷ Tajik only;
 * ң ө ү are Kazakh and Kyrgyz, ғ қ Kazakh, Uzbek and Tajik, ҳ Uzbek and
 * Tajik; o' and g' (any apostrophe) are Uzbek Latin, but Kazakh Latin
 * of 2017 has them too, so they weigh like a few words, as do Kyrgyz
 * long vowels (оо уу өө үү ээ), which Kazakh lacks, and ө ү three times
 * or more with none of ә ұ һ і қ ғ (Kyrgyz rounds its suffixes:
 * "көрсөтүңүз", where Kazakh writes "көрсетіңіз"), and Tajik -тсия
 * for the -ция of Russian loans ("депортатсия").  Words: small
 * tables of pronouns, question words, particles and the verbs of a
 * request, folded at langid_new() (text_fold), so Russian-letter and
 * Latin spellings count as well ("кайда", "qayerda", "куджо").  A word
 * two languages share counts for both; letters or other words decide.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "langid.h"
#include "log.h"
#include "text.h"
#include "utf8.h"

#define LANGID_LETTER	100	/* a letter of the language */
#define LANGID_APOS	3	/* o' or g' */
#define LANGID_ROUND	3	/* ө ү this often: Kyrgyz vowel harmony */
#define LANGID_MOSTLY_RU 4	/* Russian words, twice the others': Russian */

static const char *const langid_codes[LANGID_N] = {
	"kk", "ru", "uz", "ky", "tg"
};

/* Each language in its own name; Uzbek Latin with a GSM-7 apostrophe. */
static const char *const langid_names[LANGID_N] = {
	"Қазақша", "Русский", "O'zbekcha", "Кыргызча", "Тоҷикӣ"
};

/* The nearest language, lent the evidence of one not enabled, or -1. */
static const int langid_near[LANGID_N] = {
	LANGID_KY, -1, -1, LANGID_KK, -1
};

/* Ties go to the first of these; Russian is never picked (see .h). */
static const int langid_order[] = {
	LANGID_KK, LANGID_KY, LANGID_UZ, LANGID_TG
};

/*
 * Common Kazakh words: pronouns, question words, particles, the verbs
 * of a request for help, thanks and greetings.  None is a Russian word.
 */
static const char *const langid_kk[] = {
	"мен", "сен", "сіз", "біз", "олар", "маған", "саған", "сізге",
	"бізге", "оған", "менің", "сенің", "сіздің", "біздің", "мені",
	"сені", "сізді", "бізді", "керек", "қажет", "қалай", "қайда",
	"қашан", "қанша", "қандай", "неге", "неше", "кім", "бар", "жоқ",
	"үшін", "және", "емес", "ма", "ме", "ба", "бе", "па", "пе", "ғой",
	"ғана", "әлі", "осы", "мына", "бұл", "жатыр", "жатырмын",
	"болады", "болмайды", "келеді", "кетті", "алды", "алып", "қойды",
	"берді", "бермеді", "бермейді", "бермей", "төлемеді",
	"төлемейді", "істеймін", "іздеймін", "қалдым", "отырмын",
	"көмектесіңіз", "көмектесіңізші", "рахмет", "рақмет", "сау",
	"жарайды", "иә", "жақсы", "қалайсың", "қалың", "халың", "сәлем",
	"сәлеметсіз", "ертең", "бүгін", "қазір", "тез", "түсіндім",
	"түсінбедім", "білмеймін", "айтыңыз", "жазыңыз",
};

/*
 * Common Russian words: pronouns, prepositions, question words, the
 * verbs of a request.  Left out because Kazakh has them too: не, да,
 * он, от, из.
 */
static const char *const langid_ru[] = {
	"я", "мне", "меня", "мой", "моя", "мои", "моё", "у", "в", "на",
	"с", "и", "а", "но", "или", "что", "как", "где", "когда", "почему",
	"зачем", "куда", "откуда", "кто", "это", "есть", "нет", "нужна",
	"нужен", "нужно", "надо", "можно", "пожалуйста", "здравствуйте",
	"спасибо", "помогите", "хочу", "делать", "знаю", "они", "мы",
	"вы", "ты", "она", "нас", "нам", "вас", "вам", "их", "им", "уже",
	"очень", "тоже", "только", "за", "по", "до", "без", "для", "если",
	"так", "там", "тут", "вот", "сколько", "работает", "работаю",
	"будет", "было", "был", "была", "сказал", "сказали", "просто",
	"ничего", "хорошо", "ладно", "привет", "пока", "тебя", "тебе",
	"его", "её", "сегодня", "завтра", "вчера", "сейчас", "чтобы",
	"даже", "все", "всё", "мама", "какой", "какая", "чем",
};

/*
 * Common Uzbek words, in Latin (o' and g' with an apostrophe) and in
 * Cyrillic where the folded forms differ (йўқ, ёрдам).
 */
static const char *const langid_uz[] = {
	"men", "sen", "siz", "biz", "ular", "menga", "senga", "sizga", "bizga",
	"mening", "sening", "sizning", "bizning", "meni", "seni", "sizni",
	"nima", "nimaga", "nega", "qanday", "qanaqa", "qayerda", "qayerga",
	"qachon", "qancha", "kim", "bor", "yo'q", "yoq", "kerak", "kerakmi",
	"emas", "uchun", "va", "bilan", "ham", "lekin", "juda", "hozir",
	"bugun", "ertaga", "kecha", "bu", "shu", "iltimos", "rahmat", "salom",
	"assalomu", "alaykum", "aka", "opa", "uka", "ishlayman", "ishlab",
	"ishladim", "olib", "qo'ydi", "qo'yishdi", "bermayapti", "bermadi",
	"bermaydi", "qilay", "qilish", "qildi", "qilaman", "qilsam", "kelib",
	"keldim", "ketdim", "yordam", "bering", "ayting", "yozing", "bilmayman",
	"tushunmadim", "mumkinmi", "bo'ladimi", "bo'lsa", "qaytarmayapti",
	"xo'jayin", "ish", "ishim", "pulim", "nimadir", "qayerdan", "qilib",
	"qildim", "qilishdi", "bo'ladi", "bo'lmaydi", "bo'ldi", "deb",
	"deyapti", "aytdi", "berib", "hech", "narsa", "bitta", "akam", "ukam",
	"opam", "singlim", "do'stim", "xotinim", "menda", "sizda", "ishxona",
	"ishxonada", "O'zbekiston", "йўқ", "ёрдам", "қилай", "қаерда", "қачон",
	"керак", "эмас", "илтимос", "раҳмат", "ишлайман", "бермаяпти",
	"хўжайин", "necha", "nechta", "qayer", "nimani", "shunaqa",
	"hali", "hamma", "hammasi", "yoki", "agar", "oldin", "chunki", "faqat",
	"pul", "katta", "yaxshi", "yomon", "ekan", "ekanmi",
	"emasmi", "bo'lmayapti", "boldimi", "boladimi", "bolmaydi", "boldi",
	"bolsa", "yoq", "ketdi", "qoldi", "qoldim", "bermay", "bermasa",
	"olmayapti", "oldi", "oldim", "ishlayapman", "ishlaydi", "ishladik",
	"ishlatdi", "qilinadi", "qiling", "kelsa", "ketsa", "soradi", "so'radi",
	"so'rayapti", "qaytib", "menga", "bizni", "bizga", "ularni", "unga",
	"uni", "uning", "o'zbekman", "ozbekman", "o'zbekistondan",
	"ozbekistondan", "uzbekistondan", "toshkent", "samarqand", "farg'ona",
	"fargona", "andijon", "namangan", "buxoro", "xorazm", "qashqadaryo",
	"surxondaryo", "navoiy", "jizzax", "termiz", "nima", "qanaqa", "nimaga",
	"qayerga", "qachon", "qancha", "iltimos", "неча", "нимага", "нимани",
	"қаерга", "қанча", "бўлди", "бўлади", "бўладими", "бўлмаяпти", "кетди",
	"олди", "билан", "лекин", "жуда", "ҳозир", "эртага", "хужайин",
	"хожайин", "ўзбекистондан", "узбекистондан", "тошкент", "самарқанд",
	"фарғона", "андижон", "наманган", "бухоро", "хоразм", "shu",
	"dedim", "turibdi", "bo'ptimi", "bormi", "yo'qmi", "yoqmi",
	"qozogistonda", "qozog'istonda", "qozogistonga", "yuboring",
	"jo'nating", "ishlasam", "ishga", "ishda", "ishdan", "ishni", "ишга",
	"ишда", "ишдан",
	"pulni", "pulimizni", "пулни",
	/* how are you, fine, yes, not needed, do you know, now */
	"qalaysiz", "qalesan", "yaxshimisiz", "qalaysan", "қалайсиз",
	"яхшимисиз", "mayli", "майли", "xo'p", "хўп", "kerakmas",
	"керакмас", "bilasizmi", "bilmadim", "билмадим", "endi", "энди",
	"aytingchi", "tushunarli", "hozircha",
};

/* Common Kyrgyz words; "сиз", "мен", "керек" it shares with Kazakh. */
static const char *const langid_ky[] = {
	"мен", "сен", "сиз", "биз", "алар", "мага", "сага", "сизге", "бизге",
	"менин", "сенин", "сиздин", "биздин", "мени", "эмне", "эмнеге",
	"эмнени", "кантип", "кантем", "кайда", "качан", "канча", "кандай",
	"ким", "бар", "барбы", "жок", "жокпу", "керек", "керекпи", "үчүн",
	"эмес", "го", "гана", "азыр", "бүгүн", "эртең", "рахмат",
	"саламатсызбы", "жатат", "жатам", "жатабыз", "жатышат", "бербей",
	"бербейт", "бербейм", "издейм", "иштейм", "иштеп", "иштедим", "кылам",
	"кылыш", "кылып", "кылсам", "болот", "болобу", "болбойт", "келет",
	"кетти", "акча", "акчамды", "жардам", "байке", "эже", "абдан", "дагы",
	"билбейм", "түшүнбөдүм", "айтыңызчы", "мүмкүнбү", "кожоюн", "бербеди",
	"алып", "алды", "койду", "эле", "чейин", "бирок", "эч", "өтө", "ушул",
	"ошол", "мында", "турам", "жашайм", "кылат", "берет", "иштейт", "айтты",
	"кийин", "жакшы", "жаман", "балдар", "кеттим", "болуп", "эми", "азыр",
	"кийин", "мурун", "бардык", "эч", "нерсе", "эмнеге", "кантем", "кантсе",
	"жок", "болду", "болбойт", "болобу", "болбой", "берди", "бербейт",
	"бербей", "албайт", "албай", "келбейт", "кетти", "кетиптир", "алышты",
	"алып", "кылып", "кылыш", "кылышат", "кылабы", "иштеп", "иштейт",
	"иштедим", "иштедик", "иштетип", "иштеген", "жатабы", "жатышты",
	"жатышат", "дейт", "дешти", "сурайт", "айтат", "берет", "келет",
	"керекпи", "барбы", "жокпу", "болобу", "мүмкүнбү", "мүмкүн", "бергиле",
	"жазгыла", "жибергиле", "жардам", "жардамдашкыла", "кыргызмын",
	"кыргызстандан", "кыргызстандык", "бишкек", "бишкектен", "ош", "оштон",
	"жалалабад", "нарын", "талас", "баткен", "ысыккөл", "токмок",
	"карабалта", "анан", "ошондо", "ушундай", "ошондой", "аябай", "жаңы",
	"тез", "дароо", "бизди", "бизге", "аларды", "аны", "анын", "мага",
	"сага", "байке", "эже", "карындашым", "кожоюн", "кожоюнум", "бекен",
	"текшерип", "ооруп", "ооруйт", "оорудум", "доктур", "окшойт",
	"чынбы", "беришкен", "кылсам", "бул", "элчилик", "элчилиги",
	"элчиликтин", "чалам", "чалсам", "чалабыз", "кечиресиз", "чоң", "чыкты",
	"качып", "ичип", "текшериңиз", "жумуш", "жумушка", "жумушта",
	"жумуштан", "жумушум",
	/* yes, how are you, understood, help (Kazakh көмек), please */
	"ооба", "кандайсыз", "кандайсың", "жакшыбы", "жакшысызбы",
	"түшүндүм", "түшүнбөйм", "бериңизчи", "көмөк", "көмөктөшүңүз",
	"жибериңизчи", "жазыңызчы",
};

/* Common Tajik words, in Cyrillic and as they are written in Latin. */
static const char *const langid_tg[] = {
	"ман", "ту", "шумо", "мо", "онҳо", "маро", "туро", "шуморо", "чӣ",
	"чаро", "кай", "куҷо", "чанд", "чихел", "ҳаст", "нест", "мехоҳам",
	"метавонам", "кунам", "кунед", "кардан", "карданд", "кардам", "гирифт",
	"гирифтанд", "намедиҳад", "намедиҳанд", "медиҳад", "диҳед", "ёрӣ",
	"кумак", "барои", "аз", "дар", "бо", "ки", "ва", "ҳам", "вале", "хеле",
	"ҳозир", "имрӯз", "фардо", "бародар", "хоҳар", "модар", "кор", "корам",
	"пул", "пулам", "маош", "музд", "корфармо", "намедонам", "нафаҳмидам",
	"нависед", "гӯед", "мекунам", "мекунад", "шуд", "шудам", "намешавад",
	"мешавад", "буд", "аст", "нестам", "раҳмат", "салом", "илтимос",
	"ҳамин", "чизе", "гуфт", "гуфтанд", "бигӯед", "надорам", "дорам",
	"доранд", "баъд", "агар", "чунки", "лекин", "моҳ", "рӯз", "ҳафта",
	"хона", "падар", "бародарам", "писарам", "духтарам", "занам",
	"шавҳарам", "тоҷик", "тоҷикам", "man", "shumo", "chi", "chiro", "kujo",
	"chand", "hast", "nest", "mehoham", "mekhoham", "kunam", "kuned",
	"namedihad", "namedihand", "yori", "kumak", "baroi", "dar", "ki", "kor",
	"koram", "pulam", "namedonam", "ast", "shud", "mekunam", "korfarmo",
	"чи", "кучо", "куджо", "чаро", "чихел", "кадом", "кист", "кӣ", "инро",
	"онро", "ман", "мо", "шумо", "вай", "ба", "бе", "ё", "ҳеҷ", "хеч",
	"ҳама", "ҳамааш", "ҳоло", "акнун", "пеш", "пас", "боз", "дигар",
	"бисёр", "калон", "нав", "кард", "карда", "кардед", "карданд", "кардем",
	"кунем", "кунанд", "кунад", "мекунанд", "мекунед", "намекунад",
	"намекунанд", "намедиҳам", "медиҳанд", "диҳад", "дод", "доданд",
	"додам", "гирам", "гирифтам", "гирифтаанд", "мегиранд", "намегирад",
	"намегиранд", "шудам", "шуданд", "шавад", "мешавам", "омадам", "омадем",
	"омад", "рафт", "рафтам", "равам", "меравам", "баргардам", "гуфтам",
	"мегӯяд", "мегуяд", "мегуфт", "лозим", "даркор", "метавонам",
	"наметавонам", "мехоҳам", "мехохам", "намехоҳам", "ҳастам", "ҳаст",
	"хаст", "нест", "ёрӣ", "ёри", "диҳед", "дихед", "кунед", "гӯед", "гуед",
	"нависед", "фиристед", "гӯш", "корам", "кори", "пули", "пулам",
	"пуламро", "бародарам", "додар", "ака", "ҷон", "ҷураҷон", "тоҷикистон",
	"тоҷикистонам", "точикистон", "душанбе", "хуҷанд", "худжанд", "хучанд",
	"кӯлоб", "кулоб", "бохтар", "қурғонтеппа", "панҷакент", "истаравшан",
	"ҳисор", "турсунзода", "chi", "kujo", "kuja", "charo", "chixel",
	"kadom", "shumo", "lozim", "darkor", "hastam", "kardam",
	"kardand", "giriftand", "giriftam", "shudam", "omadam", "namedonam",
	"namekunad", "medihad", "diham", "dihed", "kuned", "navised",
	"korfarmo", "barodar", "barodaram", "pul", "pulam", "pulamro", "boz",
	"ham", "hozir", "holo", "aknun", "digar", "kunem", "mekunad", "дорад",
	"доред", "дорем", "намефаҳмам", "намефахмам",
	/* thanks, please, sorry, yes, good; know, call, hit */
	"ташаккур", "tashakkur", "лутфан", "lutfan", "марҳамат", "бубахшед",
	"мебахшед", "bubakhshed", "бале", "хуб", "нағз", "медонам",
	"медонед", "медонӣ", "донед", "ҳастед", "ҳастӣ", "мекунӣ",
	"метавонед", "занг", "занед", "мезанад", "зада", "чизе",
};

struct langid_word {
	char		*key;		/* folded, owned */
	size_t		 len;
	uint32_t	 hash;
	unsigned	 mask;		/* 1 << LANGID_* */
};

struct langid {
	struct langid_word	*w;
	size_t			 n;
	uint32_t		*slots;	/* index + 1; 0: empty */
	size_t			 mask;
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static struct langid_word *
langid_lookup(const struct langid *li, const char *s, size_t len)
{
	struct langid_word *w;
	uint32_t h = text_hash(s, len);
	size_t i;

	for (i = h & li->mask; li->slots[i] != 0; i = (i + 1) & li->mask) {
		w = &li->w[li->slots[i] - 1];
		if (w->hash == h && w->len == len &&
		    memcmp(w->key, s, len) == 0)
			return w;
	}
	return NULL;
}

/* Add the n words of list, folded, for language lang; 0, or -1. */
static int
langid_add(struct langid *li, const char *const *list, size_t n, int lang)
{
	struct langid_word *w;
	char key[TEXT_MAX_FOLD];
	size_t i, len, slot;

	for (i = 0; i < n; i++) {
		if ((len = text_fold(key, sizeof(key), list[i])) == 0)
			continue;
		if ((w = langid_lookup(li, key, len)) != NULL) {
			w->mask |= 1u << lang;
			continue;
		}
		w = &li->w[li->n];
		if ((w->key = strdup(key)) == NULL) {
			log_warn("langid: strdup");
			return -1;
		}
		w->len = len;
		w->hash = text_hash(key, len);
		w->mask = 1u << lang;
		for (slot = w->hash & li->mask; li->slots[slot] != 0;
		    slot = (slot + 1) & li->mask)
			;
		li->slots[slot] = (uint32_t)li->n + 1;
		li->n++;
	}
	return 0;
}

/* The five word tables, folded into one hash set; NULL out of memory. */
struct langid *
langid_new(void)
{
	static const struct {
		const char *const	*list;
		size_t			 n;
		int			 lang;
	} tables[] = {
		{ langid_kk, NELEM(langid_kk), LANGID_KK },
		{ langid_ru, NELEM(langid_ru), LANGID_RU },
		{ langid_uz, NELEM(langid_uz), LANGID_UZ },
		{ langid_ky, NELEM(langid_ky), LANGID_KY },
		{ langid_tg, NELEM(langid_tg), LANGID_TG },
	};
	struct langid *li;
	size_t total = 0, nslots = 16, i;

	for (i = 0; i < NELEM(tables); i++)
		total += tables[i].n;
	while (nslots < 2 * total)
		nslots *= 2;
	if ((li = calloc(1, sizeof(*li))) == NULL ||
	    (li->w = calloc(total, sizeof(*li->w))) == NULL ||
	    (li->slots = calloc(nslots, sizeof(*li->slots))) == NULL) {
		log_warn("langid: calloc");
		langid_free(li);
		return NULL;
	}
	li->mask = nslots - 1;
	for (i = 0; i < NELEM(tables); i++)
		if (langid_add(li, tables[i].list, tables[i].n,
		    tables[i].lang) == -1) {
			langid_free(li);
			return NULL;
		}
	return li;
}

/* Free li and its words.  NULL is fine. */
void
langid_free(struct langid *li)
{
	size_t i;

	if (li == NULL)
		return;
	for (i = 0; li->w != NULL && i < li->n; i++)
		free(li->w[i].key);
	free(li->w);
	free(li->slots);
	free(li);
}

const char *
langid_code(int i)
{
	return i >= 0 && i < LANGID_N ? langid_codes[i] : NULL;
}

const char *
langid_name(int i)
{
	return i >= 0 && i < LANGID_N ? langid_names[i] : NULL;
}

int
langid_index(const char *code)
{
	int i;

	for (i = 0; code != NULL && i < LANGID_N; i++)
		if (strcmp(langid_codes[i], code) == 0)
			return i;
	return -1;
}

/* Does the word of len bytes at s end with the string end? */
static int
langid_ends(const char *s, size_t len, const char *end)
{
	size_t n = strlen(end);

	return len > n + 1 && memcmp(s + len - n, end, n) == 0;
}

static int
langid_has(const char *s, size_t len, const char *part)
{
	size_t n = strlen(part), i;

	for (i = 0; i + n <= len; i++)
		if (memcmp(s + i, part, n) == 0)
			return 1;
	return 0;
}

/*
 * Grammar no word table lists, for a folded word of 5 letters or more
 * (folding writes a doubled letter once: кетти is "keti").
 * Uzbek: -yap- (bermayapti, qilyapman), -ishdi, -moqchi, -ingiz, -ib;
 * its past in -di, -dim after a voiceless consonant (ketdi, chiqdim,
 * topdi), where Kazakh and Kyrgyz have -ti (кетті, кетти); -imni and
 * -lar- with a case (pasportimni, hujjatlarni), where Kazakh and Kyrgyz
 * have -ымды and -лар-ды; -ni, -ga, -da, -dan after a voiceless
 * consonant (pasportni, ishga, ishda, ishdan: Kazakh жұмысқа, жұмыста);
 * -mang, -inglar, -aman, -mayman.  Kyrgyz: -ышты/-ушту, -ышат, -ңызчы,
 * -гыла/-кула, -умду, -дун, -үңүз; the negative -байт/-бейт (бербейт,
 * албайт) and -бадым (албадым), where Kazakh has -майды; the question
 * -бы/-пи written onto the verb (болобу, барбы, керекпи), where Kazakh
 * writes ма apart; -абыз (жатабыз); the rounded past -олду/-ордү
 * (болду, көрдү), where Kazakh has -ды/-ді, and its first persons
 * -дум/-тум/-дук/-тук (жогодум, жоготтум, болдук), where Kazakh has
 * -дым/-дық; the mutual past -ашты/-ешти (алдашты, сүйлөштү), where
 * Kazakh has -асты/-есті; the second person plural -сыңар/-сиңер/
 * -суңар/-сүңөр (жазасыңар), where Kazakh has -сыңдар; акча-, where
 * Kazakh has ақша-.  Tajik: me-/name- verbs (mekunam, namedihad), also
 * after a prefix (барнамегардонад); the object ending -ро (маошро,
 * пуламро); the infinitive -фтан/-штан (рафтан, баргаштан); the past
 * -дам/-там (кардам, шудам, гирифтам), -данд/-танд (карданд,
 * гирифтанд), -аст (гирифтааст); the imperative -ед (диҳед, кунед,
 * нависед).  Endings a common Russian word has (-тро, -бро, -еро, -оро;
 * продам, местам, пишет, почту) are left out, and so are those Kazakh
 * has too (қашқан), and words Kazakh writes the same once folded
 * (мүмкін, көп, еді).  0 when none fits.
 */
static unsigned
langid_grammar(const char *s, size_t len)
{
	static const char *const uz_end[] = {
		"iapti", "iapman", "iapsiz", "iapmiz", "ishdi", "iapsan", "ib",
		"tdi", "kdi", "pdi", "chdi", "tdim", "kdim", "pdim", "chdim",
		"tdik", "kdik", "imni", "imizni", "larni", "larga", "larda",
		"lardan", "imga", "iotgan", "ab", "mang", "nglar", "aman",
		"maiman", "shga", "tga", "pga", "sga", "chga", "shda", "tda",
		"pda", "sda", "chda", "kda", "shdan", "tdan", "pdan", "sdan",
		"chdan", "kdan",
	};
	static const char *const ky_end[] = {
		"ishti", "ushtu", "ishat", "ushat", "izchi", "izchu", "gila",
		"gile", "kila", "kile", "umdu", "umda", "umdun", "dun", "tun",
		"nun", "beit", "bait", "boit", "peit", "pait", "poit", "badim",
		"bedim", "bodum", "abi", "ebi", "obu", "ubu", "kpi", "kpu",
		"rbi", "nbu", "abiz", "ebiz", "oldu", "ordu", "uldu", "oshtu",
		"kula", "gula", "shkon", "unuz", "ibiz",
		"ubuz", "ptir", "dogu", "dugu", "togu", "tugu",
		"mchu", "chibi", "kibi", "rdu", "rtum", "dum", "tum", "duk",
		"tuk", "ashti", "eshti", "sinar", "siner", "sunar", "sunor",
	};
	static const char *const tg_end[] = {
		"rdam", "udam", "ftam", "madam", "dand", "tand", "aast",
		"aand", "ihed", "uned", "ised", "sted", "ftan", "shtan",
		"ftast",
	};
	static const char *const tg_me[] = { "am", "ad", "and", "ed", "em" };
	size_t i;

	if (len < 5)
		return 0;
	/* Russian words that end as Uzbek -ab does (прораб, штаб) */
	if ((len >= 6 && memcmp(s + len - 6, "prorab", 6) == 0) ||
	    memcmp(s + len - 5, "shtab", 5) == 0)
		return 0;
	for (i = 0; i < NELEM(uz_end); i++)
		if (langid_ends(s, len, uz_end[i]))
			return 1u << LANGID_UZ;
	if (langid_has(s, len, "mokchi") || langid_has(s, len, "ingiz"))
		return 1u << LANGID_UZ;
	/*
	 * -ni after a consonant: Kazakh and Kyrgyz have -ды/-ты there; not
	 * after l, as Russian заполни, выполни (pulni is in the table)
	 */
	if (s[len - 2] == 'n' && s[len - 1] == 'i' &&
	    strchr("ktpg", s[len - 3]) != NULL)
		return 1u << LANGID_UZ;
	for (i = 0; i < NELEM(ky_end); i++)
		if (langid_ends(s, len, ky_end[i]))
			return 1u << LANGID_KY;
	if (memcmp(s, "akch", 4) == 0)
		return 1u << LANGID_KY;	/* акча-, Kazakh ақша- */
	if (len >= 7 && memcmp(s, "name", 4) == 0)
		return 1u << LANGID_TG;
	/* бар-на-ме-гардонад: a prefix before name- */
	if (len >= 9 && langid_has(s + 1, len - 1, "name") &&
	    (langid_ends(s, len, "ad") || langid_ends(s, len, "and") ||
	    langid_ends(s, len, "am")))
		return 1u << LANGID_TG;
	for (i = 0; len >= 6 && s[0] == 'm' && s[1] == 'e' &&
	    i < NELEM(tg_me); i++)
		if (langid_ends(s, len, tg_me[i]))
			return 1u << LANGID_TG;
	for (i = 0; i < NELEM(tg_end); i++)
		if (langid_ends(s, len, tg_end[i]))
			return 1u << LANGID_TG;
	if (len >= 6 && s[len - 2] == 'r' && s[len - 1] == 'o' &&
	    strchr("mhnauril", s[len - 3]) != NULL)
		return 1u << LANGID_TG;	/* -ро, but not бюро */
	return 0;
}

unsigned
langid_word(const struct langid *li, const char *s, size_t len)
{
	const struct langid_word *w;

	if (li == NULL || len == 0)
		return 0;
	if ((w = langid_lookup(li, s, len)) == NULL)
		return langid_grammar(s, len);
	return w->mask;
}

/*
 * mask with the languages not enabled (NULL: all are) replaced by their
 * nearest enabled one, if any: a word Kazakh and Kyrgyz share counts
 * once for Kazakh when Kyrgyz is off.
 */
static unsigned
langid_lend(unsigned mask, const int *enabled)
{
	unsigned out = mask;
	int i, n;

	if (enabled == NULL)
		return mask;
	for (i = 0; i < LANGID_N; i++)
		if ((mask & (1u << i)) && !enabled[i]) {
			out &= ~(1u << i);
			if ((n = langid_near[i]) >= 0 && enabled[n])
				out |= 1u << n;
		}
	return out;
}

void
langid_count(struct langid_vote *v, unsigned mask, const int *enabled)
{
	int i;

	mask = langid_lend(mask, enabled);
	for (i = 0; i < LANGID_N; i++)
		if (mask & (1u << i)) {
			v->words[i]++;
			if (mask == 1u << i)
				v->only[i]++;
		}
}

/* The languages (1 << LANGID_*) using the small letter cp, or 0. */
static unsigned
langid_letter(int32_t cp)
{
	const unsigned kk = 1u << LANGID_KK, uz = 1u << LANGID_UZ,
	    ky = 1u << LANGID_KY, tg = 1u << LANGID_TG;

	switch (cp) {
	case 0x04D9:	/* ә */
	case 0x04B1:	/* ұ */
	case 0x04BB:	/* һ */
	case 0x0456:	/* і */
		return kk;
	case 0x045E:	/* ў */
		return uz;
	case 0x04E3:	/* ӣ */
	case 0x04EF:	/* ӯ */
	case 0x04B7:	/* ҷ */
		return tg;
	case 0x04A3:	/* ң */
	case 0x04E9:	/* ө */
	case 0x04AF:	/* ү */
		return kk | ky;
	case 0x0493:	/* ғ */
	case 0x049B:	/* қ */
		return kk | uz | tg;
	case 0x04B3:	/* ҳ */
		return uz | tg;
	}
	return 0;
}

/* An apostrophe as phones type it after Uzbek o and g. */
static int
langid_apostrophe(int32_t cp)
{
	return cp == '\'' || cp == '`' || cp == 0x2019 || cp == 0x2018 ||
	    cp == 0x02BB || cp == 0x02BC || cp == 0x00B4;
}

/*
 * Does the word (small letters: the first have of its len, have at most
 * len) begin as a Kyrgyz word written with э where Kazakh writes е and
 * Uzbek another vowel: эмес, эмне, эртең, or is it эки (Kazakh емес,
 * не, ертең, екі; Uzbek эмас, эрта, икки)?  No Russian word does.
 */
static int
langid_ky_e(const int32_t *w, size_t have, size_t len)
{
	static const struct {
		const char	*s;
		int		 whole;		/* the whole word, not a start */
	} stems[] = {
		{ "эмес", 0 }, { "эмне", 0 }, { "эртең", 0 }, { "эки", 1 },
	};
	const char	*p, *e;
	size_t		 i, k;
	int		 same;

	for (i = 0; i < NELEM(stems); i++) {
		p = stems[i].s;
		e = p + strlen(p);
		for (same = 1, k = 0; same && p < e; k++)
			same = k < have && utf8_next(&p, e) == w[k];
		if (same && (!stems[i].whole || len == k))
			return 1;
	}
	return 0;
}

void
langid_letters(struct langid_vote *v, const char *utf8, const int *enabled)
{
	const char *end;
	unsigned seen[16], m;
	size_t nseen = 0, i;
	int32_t c, prev = 0;
	int32_t prev2 = 0, prev3 = 0;
	int apos = 0, longv = 0, nround = 0, kkish = 0, tsia = 0, l;
	int wlong = 0, wcaps = 0, cap, latq = 0;
	int32_t word[8];	/* the word's first letters, small */
	int32_t first = 0;
	size_t wlen = 0;	/* letters of the word so far */

	if (utf8 == NULL)
		return;
	end = utf8 + strlen(utf8);
	while (utf8 <= end) {
		if (utf8 == end)
			c = ' ';	/* the last word ends */
		else if ((c = utf8_next(&utf8, end)) < 0)
			continue;
		cap = c >= 0x0410 && c <= 0x042F;
		if (cap)
			c += 0x20;	/* А-Я */
		/* capitals of these letters are one below the small */
		if (c >= 0x0490 && c < 0x0530 && langid_letter(c) == 0 &&
		    langid_letter(c + 1) != 0)
			c++;
		else if (c >= 0x0400 && c < 0x0410)
			c += 0x50;	/* Ў І */
		if ((m = langid_letter(c)) != 0) {
			for (i = 0; i < nseen; i++)
				if (seen[i] == (unsigned)c)
					break;
			if (i == nseen && nseen < NELEM(seen)) {
				seen[nseen++] = (unsigned)c;
				m = langid_lend(m, enabled);
				for (l = 0; l < LANGID_N; l++)
					if (m & (1u << l))
						v->letters[l] += LANGID_LETTER;
			}
		}
		if (langid_apostrophe(c) && (prev == 'o' || prev == 'O' ||
		    prev == 'g' || prev == 'G'))
			apos = 1;
		if (c == 'q' || c == 'Q')
			latq = 1;
		if ((c >= 0x0400 && c < 0x0530) || (c < 0x80 &&
		    ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))) {
			if (wlen < NELEM(word))
				word[wlen] = c;
			if (wlen++ == 0) {
				first = c;
				wcaps = 1;
				wlong = 0;
			}
			wcaps = wcaps && cap;
		} else {
			if (wlen > 0 && first == 0x044D && langid_ky_e(word,
			    wlen < NELEM(word) ? wlen : NELEM(word), wlen))
				longv = 1;	/* counted as a long vowel */
			/*
			 * A long vowel counts when its word ends, unless the
			 * word is a capitalised abbreviation of three letters
			 * or fewer: ТОО, ООО (a firm's legal form).
			 */
			if (wlong && !(wcaps && wlen <= 3))
				longv = 1;
			wlen = 0;
			wlong = 0;
		}
		if (utf8 == end && c == ' ')
			break;
		/*
		 * оо уу өө үү ээ, but not the Russian со-о-, во-о-, ко-о-,
		 * зо-о- (сообщение, вообще, кооператив, зоопарк)
		 */
		if (c == prev && (c == 0x043E || c == 0x0443 || c == 0x04E9 ||
		    c == 0x04AF || c == 0x044D) && !(c == 0x043E &&
		    wlen == 3 && (first == 0x0441 || first == 0x0432 ||
		    first == 0x043A || first == 0x0437)))
			wlong = 1;
		if (prev3 == 0x0442 && prev2 == 0x0441 && prev == 0x0438 &&
		    c == 0x044F)
			tsia = 1;	/* -тсия, Tajik for -ция */
		if (c == 0x04E9 || c == 0x04AF)
			nround++;	/* ө ү */
		else if (m != 0 && (m & (1u << LANGID_KY)) == 0)
			kkish = 1;	/* a letter Kyrgyz lacks */
		prev3 = prev2;
		prev2 = prev;
		prev = c;
	}
	if (tsia && (m = langid_lend(1u << LANGID_TG, enabled)) != 0)
		v->letters[LANGID_TG] += LANGID_APOS;
	/* ө ү again and again, with no letter Kyrgyz lacks: its harmony */
	if (nround >= LANGID_ROUND && !kkish)
		longv = 1;
	if (apos && (m = langid_lend(1u << LANGID_UZ, enabled)) != 0)
		v->letters[LANGID_UZ] += LANGID_APOS;
	/*
	 * Latin q: Uzbek (qancha, qayerda) or Kazakh (qalai, joq) Latin;
	 * Kyrgyz and Tajik in Latin letters write k ("kancha", "kujo").
	 * Only where Uzbek is enabled: without it, an Uzbek message is
	 * better left to the default than given to Kazakh.
	 */
	if (latq && (enabled == NULL || enabled[LANGID_UZ])) {
		v->letters[LANGID_UZ] += LANGID_APOS;
		if (enabled == NULL || enabled[LANGID_KK])
			v->letters[LANGID_KK] += LANGID_APOS;
	}
	if (longv && (m = langid_lend(1u << LANGID_KY, enabled)) != 0)
		for (l = 0; l < LANGID_N; l++)
			if (m & (1u << l))
				v->letters[l] += LANGID_APOS;
}

/* The enabled languages with the most evidence (1 << LANGID_*), or 0. */
unsigned
langid_best(const struct langid_vote *v, const int *enabled)
{
	unsigned mask = 0;
	int i, total, best = 0;

	for (i = 0; i < LANGID_N; i++) {
		total = v->letters[i] + v->words[i];
		if (!enabled[i] || total == 0 || total < best)
			continue;
		if (total > best)
			mask = 0;
		best = total;
		mask |= 1u << i;
	}
	return mask;
}

/*
 * Of the languages best tied for the most evidence (none of them
 * Russian or the session's), those with the most words no other
 * language has: a word of one language alone outweighs a shared one.
 */
static unsigned
langid_most_only(const struct langid_vote *v, unsigned best)
{
	unsigned mask = 0;
	int i, most = -1;

	for (i = 0; i < LANGID_N; i++) {
		if (!(best & (1u << i)) || v->only[i] < most)
			continue;
		if (v->only[i] > most)
			mask = 0;
		most = v->only[i];
		mask |= 1u << i;
	}
	return mask;
}

/* The tie langid_pick() leaves to the order kk, ky, uz, tg, or 0. */
static unsigned
langid_tie(const struct langid_vote *v, unsigned best, int session)
{
	unsigned most;

	if ((best & (best - 1)) == 0 || (session >= 0 &&
	    (best & (1u << session))) || (best & (1u << LANGID_RU)))
		return 0;
	most = langid_most_only(v, best);
	return (most & (most - 1)) != 0 ? most : 0;
}

unsigned
langid_tied(const struct langid_vote *v, const int *enabled, int session)
{
	return langid_tie(v, langid_best(v, enabled), session);
}

int
langid_pick(const struct langid_vote *v, const int *enabled, int session,
    int *by_letters)
{
	unsigned best = langid_best(v, enabled), most;
	int i, n = -1;

	*by_letters = 0;
	if (best == 0)
		return -1;
	if ((best & (best - 1)) == 0) {
		for (n = 0; !(best & (1u << n)); n++)
			;
	} else if (session >= 0 && (best & (1u << session)))
		n = session;
	else if (best & (1u << LANGID_RU))
		return -1;
	else {
		most = langid_most_only(v, best);
		for (i = 0; n < 0 && i < (int)NELEM(langid_order); i++)
			if (most & (1u << langid_order[i]))
				n = langid_order[i];
	}
	if (n == LANGID_RU)
		return -1;
	/*
	 * A Russian message with one word of another language in it
	 * ("... помогите, раҳмат", an agency "Жұмыс Плюс" named) is still
	 * Russian: its letters do not decide against that many words.
	 */
	if (v->words[LANGID_RU] >= LANGID_MOSTLY_RU &&
	    v->words[LANGID_RU] >= 2 * (v->words[n] + 1))
		return -1;
	*by_letters = v->letters[n] >= LANGID_LETTER ? 2 :
	    v->letters[n] > 0;
	return n;
}
