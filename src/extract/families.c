#include "extractor.h"
int qp_extract(const qp_doc *d, const qp_sentences *sents,
               const qp_rules *rules, qp_matcher *m, qp_result *r)
{
	qp_ctx c = {.doc = d, .sents = sents, .rules = rules, .m = m};
#define QP_FAMILY_RUN(name, fn) if (fn(&c, r)) return -1;
	QP_FAMILIES(QP_FAMILY_RUN)
#undef QP_FAMILY_RUN
	return 0;
}
