/*
 * families.h - every field family, once: the extractor that fills it
 * and the rules it reads, with the capture groups it reads from them.
 * extractor.h declares the extractors from QP_FAMILIES, families.c runs
 * them in this order and checks every loaded rule against
 * QP_RULE_FAMILIES (qp_extract_check), so a rule file cannot drift from
 * the code silently: an id no family reads, a group the code does not
 * read (a typo: "(?<dd>"), or one it needs and the rule lacks, stops
 * qpan at start with the rule's file and line.
 *
 * How to add a field family (as git's builtin.h lists its steps):
 *
 *   1. Write src/extract/NAME.c with `int qp_extract_NAME(qp_ctx *c,
 *      qp_result *r)`, opening with a comment on what it reads and how;
 *      find rules with qp_find_family() and read them with qp_found().
 *   2. Add its row to QP_FAMILIES below (the order is the run order: a
 *      family may read what the ones above it wrote), and one row per
 *      rule family it reads to QP_RULE_FAMILIES, with the groups.
 *   3. Add its fields to qp_result (include/result.h; free them in
 *      result.c) and print them in src/output/json.c (and tsv.c when it
 *      has rows), data/schema.json, SPEC-following names.
 *   4. Write data/rules/NAME.rules with "#=" and "#!" examples under
 *      each rule, a case file in tests/cases/, and the README and
 *      man page lines for the new output.
 */
#ifndef QPAN_FAMILIES_H
#define QPAN_FAMILIES_H

/* X(name, extractor): the field families, in the order they run. */
#define QP_FAMILIES(X) \
	X(header,     qp_extract_header) \
	X(meeting,    qp_extract_meeting) \
	X(province,   qp_extract_province) \
	X(officials,  qp_extract_officials) \
	X(units,      qp_extract_units) \
	X(statistics, qp_extract_statistics) \
	X(awards,     qp_extract_awards) \
	X(tasks,      qp_extract_tasks)

/* R(field family, rule families, groups required, groups allowed
 * besides, what the id's last part names).  A row may name several rule
 * families (space-separated) that read the same groups.  A rule belongs
 * to the longest rule family its id equals or starts with followed by
 * a dot ("stat.context.drugs" to "stat.context", "stat.count" to
 * "stat").  Groups are space-separated; QP_NAMES_CATEGORY asks the last
 * part of the id to be a statistics category (result.h). */
#define QP_NAMES_NONE     0
#define QP_NAMES_CATEGORY 1
#define QP_RULE_FAMILIES(R) \
	R(page, "page.furniture page.related page.caption page.topic", "", "", \
	  QP_NAMES_NONE) \
	R(header, "header.stamp", "y m", "d", QP_NAMES_NONE) \
	R(header, "header.posted", "d m y", "", QP_NAMES_NONE) \
	R(header, "header.lede header.site_suffix", "", "", QP_NAMES_NONE) \
	R(meeting, "meeting.date", "d m", "y tod", QP_NAMES_NONE) \
	R(meeting, "meeting.report_year meeting.plan_year", "y", "", \
	  QP_NAMES_NONE) \
	R(meeting, "meeting.host.passive", "host", "", QP_NAMES_NONE) \
	R(meeting, "meeting.next_year meeting.past_year", "", "", \
	  QP_NAMES_NONE) \
	R(meeting, "meeting.tod_before", "tod", "", QP_NAMES_NONE) \
	R(meeting, "meeting.locality", "place", "level", QP_NAMES_NONE) \
	R(meeting, "meeting.level", "level", "", QP_NAMES_NONE) \
	R(meeting, "meeting.position_before", "", "", QP_NAMES_NONE) \
	R(meeting, "meeting.sentence meeting.host.active meeting.host.venue " \
	  "meeting.host.lead meeting.host.head meeting.host.split " \
	  "meeting.host.post meeting.host.command", "", "", \
	  QP_NAMES_NONE) \
	R(officials, "official", "name", "rank title", QP_NAMES_NONE) \
	R(officials, "title.after", "title", "", QP_NAMES_NONE) \
	R(officials, "title.verb place.level role.passive role.chair.before " \
	  "role.chair.after role.chair.co role.chair.joiner role.chair.blocker " \
	  "role.attendee role.speaker role.reporter role.presenter", "", "", \
	  QP_NAMES_NONE) \
	R(units, "unit", "", "", QP_NAMES_NONE) \
	R(statistics, "stat", "num", "approx of word scale unit item", \
	  QP_NAMES_NONE) \
	R(statistics, "stat.context", "", "", QP_NAMES_CATEGORY) \
	R(awards, "award.trigger", "", "", QP_NAMES_NONE) \
	R(awards, "award.form", "form", "", QP_NAMES_NONE) \
	R(awards, "award.title", "title", "", QP_NAMES_NONE) \
	R(awards, "award.issuer", "issuer", "", QP_NAMES_NONE) \
	R(awards, "award.count", "n", "individual collective", QP_NAMES_NONE) \
	R(tasks, "task.lead task.mark task.stop task.within task.recap " \
	  "task.announce task.bullet task.named " \
	  "task.narrative task.result", "", "", QP_NAMES_NONE) \
	R(tasks, "task.year", "y", "", QP_NAMES_NONE)

#endif
