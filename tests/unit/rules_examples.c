/*
 * rules_examples.c - every built-in rule against the examples written
 * under it in data/rules/NAME.rules: "#= sentence" must match, "#!
 * sentence" must not.  Each example is prepared as a one-sentence
 * document (NFC, fold) and the rule runs over the whole text of its
 * layer, as qp_match_find() runs it on a sentence.  One check per rule
 * ("rules.examples.ID"), naming the rule's file and line and the first
 * example it gets wrong; and one that every rule has a "#=" example.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "rules.h"

void test_rule_examples(void)
{
	char err[1024];
	qp_rules *r = qp_rules_load(NULL, err, sizeof err);
	qp_matcher *m = r ? qp_matcher_new(r) : NULL;
	if (!check("rules.examples.setup", m != NULL, "%s", err)) {
		qp_rules_free(r);
		return;
	}
	size_t without = 0;
	const char *first_without = NULL;
	for (size_t i = 0; i < qp_rules_count(r); i++) {
		const qp_rule *rule = qp_rules_at(r, i);
		const char *ex, *wrong = NULL;
		int must, wrong_must = 0, has_match = 0;
		for (size_t k = 0; (ex = qp_rule_example(rule, k, &must)); k++) {
			has_match |= must;
			if (!wrong && rule_on_text(m, rule, ex, NULL, 0) != must) {
				wrong = ex;
				wrong_must = must;
			}
		}
		if (!has_match && !without++)
			first_without = rule->id;
		if (!qp_rule_example(rule, 0, &must))
			continue;
		char name[300];
		snprintf(name, sizeof name, "rules.examples.%s", rule->id);
		check(name, !wrong, "%s: %s %s", rule->where,
		      wrong_must ? "does not match" : "matches",
		      wrong ? shows(wrong) : "");
	}
	check("rules.examples.every_rule", without == 0,
	      "%zu rules have no \"#=\" example, the first %s", without,
	      first_without ? first_without : "");
	qp_matcher_free(m);
	qp_rules_free(r);
}
