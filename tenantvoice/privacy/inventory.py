"""The data inventory (Law 25, trust-and-safety Q-06 and Q-07): for every column of every table,
what TenantVoice does with it in a person's "download my data".

- `exported`: in the export of the person the row belongs to (`owner` says which column links
  the row to them);
- `withheld`: person-linked but not exported, with the reason (a secret, another person's act,
  something the association or the system made rather than collected from the person);
- `never`: never in any export, whatever happens (secret ballots are unlinkable by design);
- `plain`: holds no personal information (keys to organizations, settings, counters).

tests/privacy/test_inventory.py walks the metadata: a table or a column without a decision fails
the suite, and the export is checked against `exported`. docs/privacy/pia.md lists every table.
"""

from dataclasses import dataclass, field

#: The export's sections, in their order: (section, table). A section holds the rows of one table.


@dataclass(frozen=True)
class Table:
    name: str
    #: What a row is, in one line (the privacy impact assessment lists it).
    about: str
    #: The export's section for these rows; None when nothing of it is exported.
    section: str | None = None
    #: The column whose value is the person (their user id, or "u:<user id>" for `owner_key`).
    owner: str | None = None
    #: How the owner column names the person: "{id}" (a user id) or "u:{id}" (a ballot key).
    owner_key: str = "{id}"
    exported: str = ""
    #: {"columns separated by spaces": "why not exported"}
    withheld: dict[str, str] = field(default_factory=dict)
    #: {"columns": "why never"}
    never: dict[str, str] = field(default_factory=dict)
    plain: str = ""

    @property
    def exported_columns(self) -> list[str]:
        return self.exported.split()

    def decisions(self) -> dict[str, str]:
        """column → "exported" | "withheld: why" | "never: why" | "plain"."""
        found: dict[str, str] = {}

        def put(columns: str, decision: str) -> None:
            for column in columns.split():
                if column in found:
                    raise ValueError(f"{self.name}.{column} has two decisions")
                found[column] = decision

        put(self.exported, "exported")
        for columns, why in self.withheld.items():
            put(columns, f"withheld: {why}")
        for columns, why in self.never.items():
            put(columns, f"never: {why}")
        put(self.plain, "plain")
        return found


#: Reasons, shared by many columns.
SECRET = "a secret (stored hashed or encrypted): useless to you, dangerous in a file"  # noqa: S105
DERIVED = "computed from other columns (search keys, counters)"
OTHERS = "another person's act or identity (who decided, who recorded, who signed)"
BODY = "the association's own record, not collected from you"
SYSTEM = "kept by the system for its own working, not collected from you"
LOGBOOK = "the organizers' professional logbook: it names no tenant, so it holds nothing of yours"
SESSION = "security data about your logins, shown on your account page"

TABLES = [
    # --- accounts ------------------------------------------------------------------------------
    Table(
        "users",
        "An account: name, email, phone, language, login secrets.",
        section="profile",
        owner="id",
        exported="id name email phone locale active created_at updated_at last_login_at "
        "password_changed_at totp_enabled_at",
        withheld={
            "password_hash totp_secret totp_last_step": SECRET,
            "unread_notifications search_key": DERIVED,
        },
    ),
    Table(
        "user_sessions",
        "A login on one device (digest of its cookie, device, times).",
        withheld={"user_id created_at last_seen_at second_factor_at user_agent": SESSION},
        never={"token_hash scratch": SECRET},
        plain="id",
    ),
    Table(
        "password_reset_tokens",
        "A password reset link sent by email (digest only).",
        withheld={"user_id created_at expires_at used_at": SESSION},
        never={"token_hash": SECRET},
        plain="id",
    ),
    Table(
        "reset_codes",
        "A reset code an officer handed over in person (digest only).",
        withheld={
            "user_id created_at expires_at used_at acknowledged_at": SESSION,
            "failed_attempts locked_until": SESSION,
            "issued_by_id": OTHERS,
        },
        never={"code_hash": SECRET},
        plain="id",
    ),
    Table(
        "recovery_codes",
        "One-time recovery codes for a lost second factor (digests only).",
        withheld={"user_id used_at": SESSION},
        never={"code_hash": SECRET},
        plain="id",
    ),
    Table(
        "consent_log",
        "Each consent given or withdrawn, per purpose, with the policy's version.",
        section="consents",
        owner="user_id",
        exported="id purpose body_id given policy_version recorded_at on_paper",
        withheld={"recorded_by_id": OTHERS},
        # member_id: the register entry a paper consent was recorded on (a line with no user_id
        # is an entry's without an account: in nobody's export until the person joins).
        plain="user_id member_id",
    ),
    # --- orgs ----------------------------------------------------------------------------------
    Table("regions", "An administrative region.", plain="id name active created_at updated_at"),
    Table(
        "providers",
        "A housing provider (office, cooperative).",
        plain="id region_id kind name active created_at updated_at",
    ),
    Table(
        "sites",
        "A building or group of buildings.",
        plain="id provider_id name address units_count program active created_at updated_at",
    ),
    Table(
        "bodies",
        "A tenants' association or committee, with its rules.",
        plain="id provider_id kind name notice_days_general notice_days_board quorum_mode "
        "quorum_number quorum_percent quorum_base quorum_minimum board_quorum franchise "
        "secret_ballot_default answer_delay_days minutes_audience minutes_shared_with_organizer "
        "minutes_shared_with_office recognized_on recognition_reference recognition_ended_on "
        "search_key created_at updated_at",
    ),
    Table("body_sites", "Which sites a body covers.", plain="body_id site_id"),
    Table(
        "members",
        "An entry of a body's member register (name, unit, phone, role, consents).",
        section="register_entries",
        owner="user_id",
        exported="id body_id name site_id unit phone is_adult consent_contact "
        "consent_recorded_at consent_share_with_organizer consent_organizer_recorded_at role "
        "seat_source designated_by_id since until linked_at created_at updated_at",
        withheld={"search_key": DERIVED, "forgotten_at": SYSTEM},
        plain="user_id",
    ),
    Table(
        "tenancies",
        "A person lives at a site, in a unit.",
        section="tenancies",
        owner="user_id",
        exported="id site_id unit ended_on created_at updated_at",
        plain="user_id",
    ),
    Table(
        "staff_assignments",
        "A staff role (organizer, office) with its scope.",
        section="staff_roles",
        owner="user_id",
        exported="id role region_id provider_id employer coordinator created_at updated_at",
        plain="user_id",
    ),
    Table(
        "invitations",
        "An invitation code to join a body (digest only).",
        withheld={
            "member_id site_id unit label used_at used_by_id invitee_id": BODY,
            "created_by_id": OTHERS,
        },
        never={"code_hash": SECRET},
        plain="id body_id created_at expires_at revoked_at",
    ),
    # --- notifications and outbox --------------------------------------------------------------
    Table(
        "notification_events",
        "Something that happened, announced to the people it concerns.",
        plain="id kind body_id url title created_at once_key",
    ),
    Table(
        "notifications",
        "A notification in a person's centre.",
        withheld={"user_id event_id in_app created_at read_at": SYSTEM},
        plain="id",
    ),
    Table(
        "notification_digest_items",
        "A line waiting for a person's email digest.",
        withheld={"notification_id user_id channel frequency created_at done_at": SYSTEM},
        plain="id",
    ),
    Table(
        "notification_preferences",
        "A person's choice of channel and frequency for one kind of notification.",
        section="notification_preferences",
        owner="user_id",
        exported="kind channel frequency",
        plain="user_id",
    ),
    Table(
        "notification_settings",
        "A person's quiet hours and whether emails carry details.",
        section="notification_settings",
        owner="user_id",
        exported="quiet_start quiet_end email_details",
        plain="user_id",
    ),
    Table(
        "push_subscriptions",
        "A phone's push address and keys.",
        withheld={"user_id device created_at last_used_at session_id": SESSION},
        never={"endpoint p256dh auth": SECRET},
        plain="id",
    ),
    Table(
        "outbox_deliveries",
        "An email or push waiting to be sent, kept 30 days after.",
        withheld={
            "user_id to identity subject payload": "a copy of a message sent to you, kept "
            "briefly for delivery",
        },
        plain="id channel kind subscription_id private created_at attempts next_attempt_at "
        "last_error sent_at gave_up_at",
    ),
    Table(
        "form_submissions",
        "A form's one-time key, so a double tap does not act twice (two days).",
        withheld={"user_id scope result_url": SYSTEM},
        plain="id key created_at",
    ),
    Table(
        "audit_events",
        "The audit trail of important changes (who did what, never a ballot).",
        withheld={"actor_id action body_id object_type object_id detail at": SYSTEM},
        plain="id",
    ),
    # --- meetings --------------------------------------------------------------------------------
    Table(
        "meetings",
        "A meeting of a body (notice, place, times).",
        withheld={"published_by_id created_by_id": OTHERS},
        plain="id body_id kind title starts_at ends_at place address video_url audience status "
        "published_at notice_contact late_notice cancelled_at cancel_reason sequence "
        "year_number guests_count oc_invited office_invited opened_at adjourned_at "
        "quorum_reached_at created_at updated_at",
    ),
    Table(
        "agenda_items",
        "An item of a meeting's agenda.",
        withheld={"presenter": BODY},
        plain="id meeting_id position title description kind expected_minutes in_camera",
    ),
    Table(
        "agenda_proposals",
        "An agenda item a member proposed.",
        section="agenda_proposals",
        owner="proposed_by_id",
        exported="id meeting_id title description status decline_reason decided_at "
        "created_at updated_at",
        withheld={"decided_by_id": OTHERS, "agenda_item_id": BODY},
        plain="proposed_by_id",
    ),
    Table(
        "rsvps",
        "A person's answer to a meeting's invitation.",
        section="rsvps",
        owner="user_id",
        exported="id meeting_id answer party_size updated_at",
        plain="user_id",
    ),
    Table(
        "meeting_changes",
        "A dated change of a meeting (time, place, agenda).",
        withheld={"by_id": OTHERS},
        plain="id meeting_id at kind item_id in_camera data",
    ),
    Table(
        "calendar_tokens",
        "A person's private calendar feed address.",
        withheld={"user_id version created_at": SESSION},
        never={"feed_id": SECRET},
        plain="id",
    ),
    # --- assembly and minutes --------------------------------------------------------------------
    Table(
        "attendances",
        "Who attended a meeting (the register entry), recorded by an officer.",
        withheld={
            "member_id on_paper left_at entered_afterwards recorded_at": BODY,
            "recorded_by_id": OTHERS,
        },
        plain="id meeting_id",
    ),
    Table(
        "resolutions",
        "A resolution adopted or rejected in a meeting (moved and seconded by).",
        withheld={"moved_by_id seconded_by_id": BODY + " (the adopted minutes are a legal record)"},
        plain="id meeting_id agenda_item_id seq number text outcome votes_for votes_against "
        "abstentions casting_vote entered_afterwards created_at updated_at",
    ),
    Table(
        "resolution_amendments", "A resolution amending another.", plain="resolution_id amends_id"
    ),
    Table(
        "resolution_corrections",
        "A correction of a resolution, with its former text.",
        withheld={
            "corrected_by_id": OTHERS,
            "old_moved_by_id old_seconded_by_id": BODY,
        },
        plain="id resolution_id corrected_at reason old_text old_outcome old_votes_for "
        "old_votes_against old_abstentions old_casting_vote",
    ),
    Table(
        "seat_designations",
        "A CCR seat designated by an association's resolution.",
        withheld={"member_id": BODY, "linked_by_id": OTHERS},
        plain="resolution_id linked_at",
    ),
    Table(
        "minutes",
        "A meeting's minutes and their approval and signatures.",
        withheld={
            "president_signed_by_id secretary_signed_by_id created_by_id updated_by_id": OTHERS,
        },
        plain="id meeting_id body_id state version adjourned_at approving_meeting_id "
        "proposed_at approved_at approved_by_resolution_id president_signed_at "
        "secretary_signed_at published_at created_at updated_at",
    ),
    Table(
        "minutes_sections",
        "A section of the minutes' text.",
        withheld={"body_markdown": BODY},
        plain="id minutes_id agenda_item_id position title in_camera",
    ),
    Table(
        "minutes_versions",
        "A saved version of the minutes' text.",
        withheld={"text_markdown rendered_html change_note": BODY, "author_id": OTHERS},
        plain="id minutes_id number created_at",
    ),
    Table(
        "minutes_search",
        "The search index of published minutes.",
        withheld={"content content_folded": DERIVED},
        plain="id minutes_id body_id",
    ),
    # --- ballots and polls -----------------------------------------------------------------------
    Table(
        "ballot_questions",
        "A question put to a vote or a poll, with its rules and result.",
        withheld={"closed_early_by_id paper_entered_by_id created_by_id": OTHERS},
        plain="id body_id purpose subject_id meeting_id title explanation kind mode max_choices "
        "audience franchise quorum_mode quorum_value quorum_minimum majority count_abstentions "
        "results_live opens_at closes_at status opened_at closed_at electorate_size "
        "app_ballots paper_checked_in paper_ballots paper_entered_at outcome finalized_at "
        "draw_seed storage_compacted_at created_at updated_at",
    ),
    Table(
        "ballot_choices",
        "A choice of a question.",
        plain="id question_id position code label starts_at",
    ),
    Table("ballot_question_sites", "The buildings a poll asks.", plain="question_id site_id"),
    Table(
        "ballot_electors",
        "Who may vote, snapshotted from the register when the vote opens.",
        withheld={
            "person_key vote_key user_id member_id name site_id unit": "a copy of your "
            "register entry (exported there), made for the check-in list",
        },
        plain="question_id",
    ),
    Table(
        "ballot_roll",
        "Who handed in a ballot (a person or a unit), never what nor when.",
        never={
            "vote_key channel": "no file ever says who voted or did not (one unit may stand "
            "for several people)",
        },
        plain="question_id",
    ),
    Table(
        "ballot_box",
        "A secret ballot: names nobody, deleted at close.",
        never={"id content": "a secret ballot is unlinkable by design: nobody can say whose"},
        plain="question_id",
    ),
    Table(
        "ballot_named_votes",
        "A named (open) question's answer: who answered what, for the roll-call.",
        section="named_answers",
        owner="person_key",
        owner_key="u:{id}",
        exported="question_id content channel updated_at",
        withheld={"vote_key": "under a unit franchise, names your unit for everyone in it"},
        plain="person_key",
    ),
    Table(
        "ballot_tally",
        "Counts kept after a vote closed.",
        plain="question_id channel cell count",
    ),
    Table(
        "poll_drafts",
        "A poll an officer saved without opening it.",
        withheld={"created_by_id title fields": BODY},
        plain="id body_id created_at updated_at",
    ),
    # --- consultations and recommendations -------------------------------------------------------
    Table(
        "consultations",
        "The office consulting a CCR, and its answer.",
        withheld={"submitted_by_id answered_by_id": OTHERS},
        plain="id provider_id ccr_id kind title text submitted_at decision_date answer_text "
        "answered_at recommendation_id recommendation_at created_at updated_at",
    ),
    Table(
        "consultation_comments",
        "A comment a member wrote on a consultation.",
        section="consultation_comments",
        owner="author_id",
        exported="id consultation_id author_name text created_at",
        plain="author_id",
    ),
    Table(
        "recommendations",
        "A recommendation a body writes to the office, and its answer.",
        section="recommendations",
        owner="author_id",
        exported="id body_id title situation recommended category status created_at updated_at",
        withheld={
            "target target_body_id version question_id resolution_id consultation_id adopted_at "
            "transmitted_at answer_due_on overdue_notified_at": BODY,
            "answer answer_text answer_plan answer_by answered_at answered_by_id": "the "
            "office's answer, not collected from you",
        },
        plain="author_id provider_id",
    ),
    Table(
        "recommendation_takeups",
        "A recommendation taken up from another body's.",
        plain="recommendation_id origin_id",
    ),
    Table(
        "recommendation_sites",
        "The buildings a recommendation concerns.",
        plain="recommendation_id site_id",
    ),
    Table(
        "recommendation_versions",
        "A version of a recommendation's text.",
        withheld={"title situation recommended": BODY, "created_by_id": OTHERS},
        plain="id recommendation_id number created_at amendment_id",
    ),
    Table(
        "recommendation_amendments",
        "An amendment a member proposed to a recommendation.",
        section="recommendation_amendments",
        owner="author_id",
        exported="id recommendation_id base_version recommended reason status created_at "
        "decided_at",
        withheld={"decided_by_id": OTHERS},
        plain="author_id",
    ),
    Table(
        "recommendation_comments",
        "A comment a member wrote on a recommendation.",
        section="recommendation_comments",
        owner="author_id",
        exported="id recommendation_id text created_at",
        plain="author_id",
    ),
    Table(
        "recommendation_attachments",
        "A file attached to a recommendation.",
        withheld={
            "filename content_type size data": BODY + " (the file is on the recommendation's page)",
            "uploaded_by_id": OTHERS,
        },
        plain="id recommendation_id created_at",
    ),
    Table(
        "recommendation_events",
        "A dated line of a recommendation's timeline.",
        withheld={"actor_id note detail": OTHERS},
        plain="id recommendation_id at kind public status by_office",
    ),
    # --- needs -----------------------------------------------------------------------------------
    Table(
        "needs",
        "A collective need a tenant raised (anonymous by default).",
        section="needs_raised",
        owner="author_id",
        exported="id site_id origin anonymous share_text title description urgency "
        "sensitive category status supporters_count created_at updated_at closed_at",
        withheld={
            "reviewing_body_id to_organizer to_direction priority forwarded_at "
            "first_response_seconds": BODY,
            "search_key organizer_search_key category_mask": DERIVED,
        },
        plain="author_id provider_id provider_kind region_id",
    ),
    Table(
        "need_categories",
        "A category of a need (its author chose it).",
        section="need_categories",
        owner="need_id",
        owner_key="need",
        exported="need_id code position",
    ),
    Table(
        "need_populations",
        "A group of people a need affects (its author chose it).",
        section="need_populations",
        owner="need_id",
        owner_key="need",
        exported="need_id population",
    ),
    Table(
        "need_supports",
        'A person\'s "me too" on a need.',
        section="needs_supported",
        owner="user_id",
        exported="need_id created_at",
        plain="user_id",
    ),
    Table(
        "need_comments",
        "A comment on a need (shown unsigned).",
        section="need_comments",
        owner="author_id",
        exported="id need_id text created_at",
        plain="author_id",
    ),
    Table(
        "need_forwards",
        "The reviewing body's wording of a need, sent to the organizer or the office.",
        withheld={"wording note": BODY},
        plain="id need_id body_id priority to_organizer to_direction created_at",
    ),
    Table(
        "need_events",
        "A dated line of a need's timeline; the organizer's interventions.",
        withheld={
            "public_text staff_note partner_id resolution_id": "the organizer's and the "
            "association's follow-up (interventions are never exported)",
            "actor_id": OTHERS,
        },
        plain="id need_id kind other_need_id created_at",
    ),
    Table(
        "partners",
        "A partner organization the organizer refers needs to.",
        plain="id region_id kind name service phone website active",
    ),
    # --- privacy ---------------------------------------------------------------------------------
    Table(
        "data_exports",
        'A "download my data" file waiting for its owner (24 hours).',
        withheld={
            "user_id requested_at ready_at expires_at json_text csv_zip_b64": "the export itself"
        },
        plain="id",
    ),
    # --- logbook: the organizers' interventions (issue 14); they name no tenant --------------
    Table(
        "logbook_interventions",
        "An intervention an ISC or OC recorded: site, kinds, groups, a count of people, no name.",
        withheld={
            "worker_id day kinds populations people duration_minutes need_id body_id "
            "referrals_count note created_at updated_at": LOGBOOK,
        },
        plain="id site_id provider_id provider_kind region_id",
    ),
    Table(
        "logbook_themes",
        "A theme (needs taxonomy) of a logbook intervention.",
        plain="intervention_id code",
    ),
    Table(
        "logbook_referrals",
        "A referral made during an intervention: a partner or a kind of partner, no name.",
        withheld={"worker_id day": LOGBOOK},
        plain="id intervention_id partner_id partner_kind category region_id",
    ),
    Table(
        "privacy_incidents",
        "A confidentiality incident of the register (admins only, kept at least 5 years).",
        withheld={
            "created_by_id updated_by_id": OTHERS,
            "information circumstances persons_count risk_assessment serious_risk "
            "commission_notified_on persons_notified_on measures": "the incident register, "
            "about many people",
        },
        plain="id occurred_on occurred_until discovered_on created_at updated_at",
    ),
    Table(
        "privacy_alerts",
        "An alert: a staff account repeated views of small-cell pages.",
        withheld={"user_id window_start views_count created_at": SYSTEM},
        plain="id",
    ),
    Table(
        "privacy_small_cell_views",
        "A staff view of a page with small cells, counted for the alert.",
        withheld={"user_id view at": SYSTEM},
        plain="id",
    ),
]

BY_NAME = {table.name: table for table in TABLES}
