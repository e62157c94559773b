"""Relationships as links: one row per relationship row, with both ends named.

The schema keeps each relationship in a table of its own; reports and exports that treat them
alike (corroboration, FollowTheMoney) read them through `LINK_ENDS`.
"""

from __future__ import annotations

# Columns: link_id, a (the person, participant, party, commitment or organization), b (the
# organization, meeting, commitment or place), role, type ('position', 'participant', 'party',
# 'place', 'related').
LINK_ENDS = """
    SELECT link_id, person_ref AS a, organization_ref AS b, role, 'position' AS type
        FROM positions
    UNION ALL SELECT link_id, entity_ref, meeting_ref, role, 'participant' FROM meeting_participants
    UNION ALL SELECT link_id, entity_ref, commitment_ref, role, 'party' FROM commitment_parties
    UNION ALL SELECT link_id, commitment_ref, place_ref, role, 'place' FROM commitment_places
    UNION ALL SELECT link_id, from_ref, to_ref, role, 'related' FROM relations"""
