/* placeholder, replaced below */
#define QP_FAMILIES(X) \
	X(header,     qp_extract_header) \
	X(meeting,    qp_extract_meeting) \
	X(officials,  qp_extract_officials) \
	X(units,      qp_extract_units) \
	X(statistics, qp_extract_statistics) \
	X(awards,     qp_extract_awards) \
	X(tasks,      qp_extract_tasks)
