"""Legal status: what the dated legal events of an application say about its right on a date.

The events themselves are the third record family (``model.legal_events``), stored as each source
gives them (INPADOC codes from PATSTAT tls231 and OPS, USPTO maintenance-fee events, register
and ODP status). This capability gives each source code a normalised *meaning* (a dated,
versioned reference table) and computes, from the meanings and the filing dates, the *status* of
a right as of a date: pending, in force (with its expiry), lapsed, expired, withdrawn, refused,
revoked, or unknown with the reason. Indicators (patents in force abroad) and protect (coverage
counts only rights in force) read the statuses from here.
"""
