/*
 * extract_header.c - the headline and the publication date
 * (src/extract/header.c, qp_extract_header with the embedded header.*
 * rules): the publication stamp, "posted" and dateline lines, a lead
 * sentence that is no headline, and blank input.
 */
#include <stdio.h>
#include <string.h>

#include "extractor.h"
#include "harness.h"

/* Run qp_extract_header on text; expect the title (NULL: none) and the
 * publication date ("" for none). */
static void header_case(const char *name, const qp_rules *rules,
                        qp_matcher *m, const char *text, const char *title,
                        const char *published)
{
	qp_doc d;
	if (doc_prepare(&d, text) != QP_NORM_OK) {
		check(name, 0, "prepare failed");
		qp_doc_free(&d);
		return;
	}
	qp_sentences sents = {0};
	qp_result r;
	qp_result_init(&r);
	qp_ctx c = {.doc = &d, .sents = &sents, .rules = rules, .m = m};
	int rc = qp_segment(&d, &sents) ? -1 : qp_extract_header(&c, &r);
	char got[600] = "(none)";
	int title_ok;
	if (r.has_title) {
		int sane = r.title.s <= r.title.e && r.title.e <= d.norm.len;
		snprintf(got, sizeof got, "%s", sane ?
		         show(d.norm.s + r.title.s, r.title.e - r.title.s) :
		         "(span out of range)");
		title_ok = title && sane && strlen(title) == r.title.e - r.title.s &&
		           memcmp(title, d.norm.s + r.title.s, strlen(title)) == 0;
	} else {
		title_ok = title == NULL;
	}
	/* The numeric fields agree with the string. */
	char again[16] = "";
	if (r.pub_year)
		snprintf(again, sizeof again, r.pub_day ? "%04d-%02d-%02d" :
		         "%04d-%02d", r.pub_year, r.pub_month, r.pub_day);
	check(name, rc == 0 && title_ok && strcmp(r.published, published) == 0 &&
	      strcmp(again, published) == 0,
	      "title %s (want %s), published \"%s\" / %d-%d-%d (want \"%s\")",
	      got, title ? shows(title) : "none", r.published, r.pub_year,
	      r.pub_month, r.pub_day, published);
	qp_result_free(&r);
	qp_sentences_free(&sents);
	qp_doc_free(&d);
}

/* Documents and their header: the title (NULL: none) and the
 * publication date ("" for none). */
static const struct {
	const char *name, *text, *title, *published;
} header_cases[] = {
	{"header.stamp.month",
	 " date 2024-12 Headline\n\nSáng 18/12, hội nghị tổng kết.\n",
	 "Headline", "2024-12"},
	{"header.stamp.day",
	 " date 2025-11-27 Huyện Đông Khê Hạ tổng kết công tác quốc "
	 "phòng - an ninh\nNội dung bài.\n",
	 "Huyện Đông Khê Hạ tổng kết công tác quốc phòng - an ninh",
	 "2025-11-27"},
	{"header.stamp.crlf_bom",
	 "\xEF\xBB\xBF date 2024-01 Lực lượng vũ trang thị xã Lam Phổ "
	 "ra quân\r\n\r\nThân bài.\r\n",
	 "Lực lượng vũ trang thị xã Lam Phổ ra quân", "2024-01"},
	{"header.stamp.nfd",
	 " date 2024-12 Ho\xCC\x80" "a Bi\xCC\x80nh vu\xCC\x9B\xCC\x83ng "
	 "ma\xCC\xA3nh\nThân bài.\n",
	 "Hòa Bình vững mạnh", "2024-12"},
	{"header.posted.dang_ngay",
	 "Thị xã Lam Phổ triển khai nhiệm vụ quốc phòng năm 2024\n"
	 "Đăng ngày 13/12/2023\n\nChiều 12/12, Ban CHQS thị xã họp.\n",
	 "Thị xã Lam Phổ triển khai nhiệm vụ quốc phòng năm 2024",
	 "2023-12-13"},
	{"header.posted.before_title",
	 "Đăng ngày 13/12/2023\nCông an xã Vân Trạch tổng kết năm\n"
	 "Thân bài.\n",
	 "Công an xã Vân Trạch tổng kết năm", "2023-12-13"},
	{"header.posted.cap_nhat",
	 "Huyện Mỹ Lâm Đông bảo đảm an ninh trật tự dịp Tết\n"
	 "Cập nhật:12/01/2019 4:48:37 CH\nThân bài.\n",
	 "Huyện Mỹ Lâm Đông bảo đảm an ninh trật tự dịp Tết",
	 "2019-01-12"},
	{"header.posted.dateline_words",
	 "Bắc Vân, ngày 24 tháng 01 năm 2020\n"
	 "Công an tỉnh Bắc Vân tổng kết phong trào toàn dân bảo vệ an "
	 "ninh Tổ quốc\nThân bài.\n",
	 "Công an tỉnh Bắc Vân tổng kết phong trào toàn dân bảo vệ an "
	 "ninh Tổ quốc", "2020-01-24"},
	{"header.posted.dateline_digits",
	 "Thứ Hai, 16/12/2024 - 09:15\nXã Phú Lãm Đông ra quân\n",
	 "Xã Phú Lãm Đông ra quân", "2024-12-16"},
	{"header.posted.stamp_wins",
	 " date 2024-12 Tin ngắn\nĐăng ngày 02/01/2025\nThân bài.\n",
	 "Tin ngắn", "2024-12"},
	{"header.lede.agency",
	 "(BVO) - Sáng 3/12, Bộ Chỉ huy Quân sự tỉnh Bắc Vân tổ chức "
	 "hội nghị tổng kết công tác quốc phòng năm 2024\n"
	 "Dự hội nghị có lãnh đạo tỉnh.\n", NULL, ""},
	{"header.lede.dated",
	 "Chiều 15/12, UBND huyện Đông Khê Hạ tổ chức hội nghị tổng kết "
	 "công tác quân sự, quốc phòng địa phương năm 2024.\n", NULL, ""},
	{"header.lede.body_date_not_published",
	 "Ngày 21/11/2019, UBND xã Vân Trạch tổ chức hội nghị tổng kết "
	 "công tác quốc phòng năm 2019.\nThân bài.\n", NULL, ""},
	{"header.body_date_second_line",
	 "Xã Vân Trạch tổng kết công tác quốc phòng\n"
	 "Ngày 21/11/2019, UBND xã Vân Trạch tổ chức hội nghị tổng kết "
	 "công tác quốc phòng năm 2019.\n",
	 "Xã Vân Trạch tổng kết công tác quốc phòng", ""},
	{"header.title.trimmed",
	 "\n\n  \t Công an huyện ra quân \t\nThân bài.\n",
	 "Công an huyện ra quân", ""},
	{"header.empty", "", NULL, ""},
	{"header.blank_lines_only", "\n \n\t\n", NULL, ""},
};

void test_header(void)
{
	char err[1200];
	qp_rules *r = qp_rules_load(NULL, err, sizeof err);
	qp_matcher *mp = r ? qp_matcher_new(r) : NULL;
	if (!mp) {
		check("header.setup", 0, "%s", err);
		qp_rules_free(r);
		return;
	}
	for (size_t i = 0; i < COUNT(header_cases); i++)
		header_case(header_cases[i].name, r, mp, header_cases[i].text,
		            header_cases[i].title, header_cases[i].published);
	qp_matcher_free(mp);
	qp_rules_free(r);
}
