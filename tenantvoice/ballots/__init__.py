"""The one voting mechanism of TenantVoice: recommendations (issue 11) and polls (issue 12) both
put their question to a vote through it. Design and guarantees: docs/security/secret-ballot.md.

Interface for the domains above (services flush, the caller's view commits once)
-------------------------------------------------------------------------------

Owner reference. A question carries ``purpose`` (``Purpose.RECOMMENDATION``, ``POLL``,
``MOTION``) and ``subject_id`` (the owner's id), with no foreign key: ballots sits below
recommendations and polls in the domain order, so it cannot point at their tables, and one
owner may hold several questions (a recommendation voted again after amendments). The owner
keeps its own foreign key to the question (``recommendations.question_id →
ballot_questions.id``) for integrity, and finds its questions with
``queries.questions_of(purpose, subject_id)``. Nullable per-owner foreign keys on the question
would invert the dependency and grow a column per new user of the mechanism.

Creating and opening — ``services.create_question(actor, body, *, purpose, title, kind,
closes_at, choices=(), subject_id=None, meeting=None, explanation="", mode=None, rules=None,
max_choices=None, audience=Audience.MEMBERS, sites=(), franchise=None, opens_at=None,
results_live=False, electorate_given=None, confirm_small_electorate=False) -> Question``

* ``kind``: ``Kind.MOTION`` (for/against/abstain, choices made for you), ``YES_NO``,
  ``SINGLE``, ``MULTIPLE`` (``max_choices`` = k), ``RANKING``, ``DATES`` (``choices`` are aware
  datetimes; each voter answers yes / if needed / no per date). Other kinds take ``choices`` as
  labels: at least 2, no duplicates (accents and case ignored).
* ``mode``: ``Mode.SECRET`` or ``Mode.OPEN`` (named); default ``body.secret_ballot_default``.
* ``rules``: ``rules.Rules(quorum_mode, quorum_value, quorum_minimum, majority,
  count_abstentions)``; default for a motion: the body's quorum, simple majority of the votes
  cast, abstentions not counted; for a poll: no quorum.
* Window: ``opens_at`` (None or past: opens now, electorate snapshotted at once) and
  ``closes_at`` (aware UTC, from ``tenantvoice.clock``; must be in the future and after
  opening). A future ``opens_at`` leaves the question SCHEDULED until the worker opens it.
* Electorate, taken at opening (people added later cannot vote): ``Audience.MEMBERS`` (the
  body's current adult register, accounts or not), ``SITES`` (``sites``: tenancies and the
  provider's registers at those sites), ``PROVIDER``, or ``electorate_given`` — a list of
  ``electorate.ElectorSpec`` the caller built (opens at once). ``franchise`` (default
  ``body.franchise``): ``ADULT``, or ``UNIT`` (site + normalized unit number; the first ballot
  of a unit counts). A person appears once: keyed on their account, else on the register entry
  matched to its unit (see ``electorate``).
* Refusals raise ``errors.BallotInvalidError`` (422) with ``.field`` and a translated
  ``.message``: no title, bad choices, k out of range, closing in the past or before opening,
  live results of a secret question, sites of another provider, and a secret question fewer
  than 5 could answer unless ``confirm_small_electorate=True`` (the confirmation is audited).

Voting — ``services.cast(user, question, answer) -> "cast" | "changed"``

* ``answer``: a choice id (MOTION, YES_NO, SINGLE); a list of ids (MULTIPLE); ``{id: rank}``
  (RANKING, blanks ignored); ``{id: "y"|"m"|"n"}`` (DATES, every date). ``forms.answer_from``
  reads it from a submitted form; ``services.check_ballot(user, question, answer)`` gives the same
  refusals without casting (the review step of a secret ballot).
* Raises ``NotEligibleError`` (403), ``VotingClosedError`` (409: not open yet, or past
  ``closes_at`` by the clock even before the worker ran), ``AlreadyVotedError`` (409: the roll
  has this person, or their unit — "your unit has voted"), ``BallotInvalidError`` (422: a forged
  or foreign choice id…), ``BallotStorageError`` (500, nothing kept). A named vote cast again
  by the same person is changed (``"changed"``); a secret ballot is final.
* ``services.elector_of(question, user)`` is the user's line in the electorate (or None).

Paper — ``services.check_in_paper(actor, question, person_key, answer=None)`` while open: returns
``CHECKED_IN``, ``VOTED_IN_APP`` (set the paper ballot aside) or ``ALREADY_ON_PAPER``; a named
question takes the person's ``answer`` (per-ballot entry). After closing a secret question with
paper voters ``question.awaits_paper`` is true until ``services.enter_paper_count(actor,
question, counts)`` (counts per choice; never more ballots than paper check-ins; never one
person's ballot) makes the result final.

Closing — ``services.close_due_questions(now=None) -> {"opened": n, "closed": n}`` is the
worker's periodic job (every minute): it opens the due scheduled questions and closes the due
open ones, committing each (it is its own unit of work). ``services.close_question(question,
actor=officer)`` closes early (the view asks for confirmation). Closing a secret question
tallies, deletes its ballots, rewrites its roll and, after the commit, compacts the tables.
The worker runs it every minute (``ballots.jobs``); ``flask ballots run-due`` runs it at once.

Results and pages

* ``services.result_of(question) -> counting.Result | None`` (None until final): ``outcome``
  (``Outcome.ADOPTED``, ``REJECTED``, ``NO_QUORUM``, or ``COUNTED`` for a poll), ``counts``,
  ``maybe`` (dates), ``leaders`` (most votes / instant-runoff winner / best date),
  ``runoff.rounds`` (with tie breaks and ``seed``), ``mean_ranks``, ``turnout``, ``electorate``.
* ``queries.result_view(question)`` is what may be *published*: ``show_counts`` (named, or at
  least 5 ballots), ``show_outcome``, app/paper split, ``by_channel`` (protected), ``named``
  (roll-call of a named vote). ``anonymity.protect(rows)`` protects any breakdown (sites ×
  choices…): cells 1–4 shown as "fewer than 5", complementary suppression, tested by
  recomputing hidden cells. Use it for every chart and CSV of a poll.
* ``queries.participation(question)`` (n of N), ``queries.voter_state(question, user)``,
  ``queries.check_in_list(question, q)`` (officers), ``queries.open_questions_for(user)``.
* ``signals.result_final`` fires inside the transaction that makes a result final, with
  ``question`` and ``result``: connect in the factory (a recommendation records its vote and
  offers a resolution of ``question.meeting``; a poll notifies).
* Permissions: ``policy.can_see_question / can_vote / can_see_roll / can_check_in_paper /
  can_enter_paper_count / can_close_question / can_manage_questions``.
* Pages (``views.py``): ``ballots.question`` (vote, participation, result),
  ``ballots.participation``, and the officers' ``ballots.paper``, ``ballots.check_in``,
  ``ballots.paper_count``, ``ballots.close``. Partials to embed in a recommendation's or a
  poll's page: ``ballots/_answer_fields.html``, ``_participation.html``, ``_result.html``,
  ``_secret_help.html``.
* An owner with its own page for its questions registers it in ``views.OWNER_PAGES``
  (``{Purpose.POLL: "polls.show"}``, set when the polls blueprint is registered): the question
  page then redirects there, and no ballots page shows such a question's result (a poll's is
  published only through ``anonymity.protect``).
"""
