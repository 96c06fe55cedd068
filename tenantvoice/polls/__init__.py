"""Polls (issue 12): a CCR or an ADL asks tenants a question — its members, the tenants of chosen
buildings or of the whole provider — who answer on their phones or on paper.

A poll is a question of the ballots mechanism (``Purpose.POLL``, ``subject_id`` None): the
eligibility snapshot, the voter roll, the ballot box, paper check-in and count, closing and
tallying are all ``tenantvoice.ballots``'s. This domain adds the officer's creation form, the
poll's own pages (one-screen answer on a phone, printable ballots in French, English or both,
the result with an accessible SVG chart, a table and a CSV, all protected by
``ballots.anonymity.protect``), the body's list of polls, the home page's card of open polls
(``panels.home_open_polls`` on ``home_panels``) and the link that turns a date poll's best date
into a meeting of the body (the meetings scheduling form, pre-filled).

A poll has no data of its own beyond its question (the print language is chosen when printing);
the domain's one table, ``poll_drafts``, keeps the creation form an officer saved as a draft.
"""
