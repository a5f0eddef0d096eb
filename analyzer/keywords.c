/*
 * keywords.c - quote_identifier()'s test, with PostgreSQL's keyword
 * list as libpg_query ships it.
 *
 * No PostgreSQL header is installed with libpg_query, so what we use of
 * its scanner is declared here (as pgprintf.c does for its printf): the
 * keyword list is passed by address only, its layout never read. Both
 * symbols are exported by the archive and the shared library alike.
 * Only analyzer/parse.c and parse_node.c include pg_query.h; this file does not need it.
 */
#include "keywords.h"

#include <stdint.h>

#include "banned.h"

struct scan_keyword_list;   /* PostgreSQL's ScanKeywordList: opaque here */

/* src/common/kwlookup.c: the keyword's index in the list, or -1 */
int ScanKeywordLookup(const char *str, const struct scan_keyword_list *keywords);
extern const struct scan_keyword_list ScanKeywords;
/* src/common/keywords.c: each keyword's category, by index */
extern const uint8_t ScanKeywordCategories[];

/* kwlist.h's categories; quote_identifier() leaves only these bare */
enum { UNRESERVED_KEYWORD = 0 };

bool ident_needs_quotes(const char *s)
{
	int kw;

	if (!*s || !((*s >= 'a' && *s <= 'z') || *s == '_'))
		return true;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return true;
	kw = ScanKeywordLookup(s, &ScanKeywords);
	return kw >= 0 && ScanKeywordCategories[kw] != UNRESERVED_KEYWORD;
}
