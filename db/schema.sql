-- Roundtable database schema: the single source of truth.
--
-- Shape: FollowTheMoney-style entities, with relationships (positions, meeting participants,
-- commitment parties and places) as rows of their own that carry evidence like any entity;
-- AidData-style commitment fields; and a quotes/evidence pair that ties every row to a verbatim
-- span of an article. Every entity has a human `name` so the file reads well in any SQLite tool:
-- `entities.name` is the one the code reads, and each kind's table and `links` carry the same
-- name (written by the build from the same record) because Datasette and other clients label a
-- row, and every foreign key to it, by the referenced table's own `name` column.
--
-- Dates are stored whole (`2030-01-01`, `2023-05-01`, `2023-05-18`) so SQLite's date functions
-- read them, with their precision beside: a year-precision `2030` is stored as `2030-01-01`
-- and shown as `2030` (tui/formatting.py cuts a date to its precision).
--
-- The build executes this file into an empty database, then records SCHEMA_VERSION in `meta`.
-- Readers refuse a database whose `meta.schema_version` differs from theirs.

PRAGMA foreign_keys = ON;

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- The hub: one row per entity of any kind. `ref` is `kind:slug`.
CREATE TABLE entities (
    ref                  TEXT PRIMARY KEY,
    kind                 TEXT NOT NULL CHECK (kind IN
                             ('organization', 'person', 'meeting', 'commitment',
                              'indicator', 'place', 'article')),
    slug                 TEXT NOT NULL,
    name                 TEXT NOT NULL,
    description          TEXT,
    reported_differently INTEGER NOT NULL DEFAULT 0 CHECK (reported_differently IN (0, 1)),
    -- how the articles reporting it agree: the weakest of its properties' and links'
    agreement            TEXT NOT NULL DEFAULT 'single' CHECK (agreement IN
                             ('single', 'corroborated', 'consistent', 'conflicting')),
    UNIQUE (kind, slug),
    CHECK (ref = kind || ':' || slug)
);
CREATE INDEX entities_kind_name ON entities (kind, name, ref);

CREATE TABLE aliases (
    entity_ref TEXT NOT NULL REFERENCES entities (ref),
    alias      TEXT NOT NULL,
    PRIMARY KEY (entity_ref, alias)
) WITHOUT ROWID;

CREATE TABLE places (
    ref        TEXT PRIMARY KEY REFERENCES entities (ref),
    name       TEXT NOT NULL,
    place_type TEXT CHECK (place_type IN ('city', 'region', 'country', 'area')),
    within_ref TEXT REFERENCES places (ref)
);
CREATE INDEX places_within ON places (within_ref);

CREATE TABLE articles (
    ref            TEXT PRIMARY KEY REFERENCES entities (ref),
    name           TEXT NOT NULL,  -- its title, or its dateline and date where it prints none
    title          TEXT,
    published      TEXT NOT NULL,
    date_precision TEXT NOT NULL,
    dateline       TEXT,
    place_ref      TEXT REFERENCES places (ref),
    file           TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    body           TEXT NOT NULL
);
CREATE INDEX articles_place ON articles (place_ref);
CREATE INDEX articles_file ON articles (file);  -- an update checks no two share a text

CREATE TABLE organizations (
    ref         TEXT PRIMARY KEY REFERENCES entities (ref),
    name        TEXT NOT NULL,
    org_type    TEXT CHECK (org_type IN
                    ('company', 'state_company', 'bank', 'intergovernmental',
                     'government', 'institute', 'facility', 'group')),
    country_ref TEXT REFERENCES places (ref)
);
CREATE INDEX organizations_country ON organizations (country_ref);
CREATE INDEX organizations_type ON organizations (org_type);

CREATE TABLE people (
    ref         TEXT PRIMARY KEY REFERENCES entities (ref),
    name        TEXT NOT NULL,
    country_ref TEXT REFERENCES places (ref)
);
CREATE INDEX people_country ON people (country_ref);

CREATE TABLE meetings (
    ref            TEXT PRIMARY KEY REFERENCES entities (ref),
    name           TEXT NOT NULL,
    meeting_type   TEXT CHECK (meeting_type IN
                       ('state_visit', 'talks', 'roundtable', 'bilateral')),
    date           TEXT,
    date_precision TEXT CHECK (date_precision IN ('day', 'month', 'year')),
    end_date       TEXT,  -- the last day of a meeting of several days, where stated
    place_ref      TEXT REFERENCES places (ref),
    part_of_ref    TEXT REFERENCES meetings (ref),
    topics         TEXT
);
CREATE INDEX meetings_place ON meetings (place_ref);
CREATE INDEX meetings_part_of ON meetings (part_of_ref);
CREATE INDEX meetings_date ON meetings (date);

CREATE TABLE commitments (
    ref                TEXT PRIMARY KEY REFERENCES entities (ref),
    name               TEXT NOT NULL,
    category           TEXT CHECK (category IN
                           ('agreement', 'project', 'intention', 'supply_agreement',
                            'national_target', 'invitation', 'cooperation', 'decision')),
    status             TEXT CHECK (status IN
                           ('signed', 'agreed', 'planned', 'intended', 'discussed', 'under_way',
                            'launched', 'completed', 'targeted', 'proposed')),
    sector             TEXT,  -- its sectors joined for reading; one row each in `sectors`
    amount             REAL,
    amount_qualifier   TEXT,
    currency           TEXT,
    document_count     INTEGER,
    capacity           REAL,
    capacity_unit      TEXT,
    capacity_qualifier TEXT,
    quantity           REAL,
    quantity_unit      TEXT,
    target_value       REAL,
    target_unit        TEXT,
    date               TEXT,
    date_precision     TEXT CHECK (date_precision IN ('day', 'month', 'year', 'target_year')),
    announced_at_ref   TEXT REFERENCES meetings (ref),
    part_of_ref        TEXT REFERENCES commitments (ref),  -- a commitment it is stated to be part of
    covers_ref         TEXT REFERENCES meetings (ref),  -- a total of what that meeting signed
    CHECK (amount IS NULL OR currency IS NOT NULL),
    CHECK (capacity IS NULL OR capacity_unit IS NOT NULL)
);
CREATE INDEX commitments_category ON commitments (category);
CREATE INDEX commitments_status ON commitments (status);
CREATE INDEX commitments_announced_at ON commitments (announced_at_ref);
CREATE INDEX commitments_date ON commitments (date);
CREATE INDEX commitments_part_of ON commitments (part_of_ref);
CREATE INDEX commitments_covers ON commitments (covers_ref);

-- Sectors of organizations and commitments: a list, one row per sector.
CREATE TABLE sectors (
    entity_ref TEXT NOT NULL REFERENCES entities (ref),
    sector     TEXT NOT NULL,
    PRIMARY KEY (entity_ref, sector)
) WITHOUT ROWID;
CREATE INDEX sectors_sector ON sectors (sector, entity_ref);

CREATE TABLE indicators (
    ref             TEXT PRIMARY KEY REFERENCES entities (ref),
    name            TEXT NOT NULL,
    metric          TEXT,  -- as a text states it (an article may name the figure only)
    value           REAL,
    value_qualifier TEXT,
    unit            TEXT,
    currency        TEXT,
    period          TEXT,
    subject_ref     TEXT REFERENCES entities (ref),
    counterpart_ref TEXT REFERENCES entities (ref)
);
CREATE INDEX indicators_subject ON indicators (subject_ref);
CREATE INDEX indicators_counterpart ON indicators (counterpart_ref);

-- Relationships. `link_id` is shared across the four tables through `links`, so evidence can
-- point at any relationship with a real foreign key. `name` says what it links, for people
-- and tools reading the table: `Dai Houliang: Chairman, China National Petroleum Corporation`.
CREATE TABLE links (
    id        INTEGER PRIMARY KEY,
    link_type TEXT NOT NULL CHECK (link_type IN
                  ('position', 'participant', 'party', 'commitment_place', 'relation')),
    name      TEXT NOT NULL,
    agreement TEXT NOT NULL DEFAULT 'single' CHECK (agreement IN
                  ('single', 'corroborated', 'consistent', 'conflicting'))
);

CREATE TABLE positions (
    link_id          INTEGER PRIMARY KEY REFERENCES links (id),
    person_ref       TEXT NOT NULL REFERENCES people (ref),
    organization_ref TEXT NOT NULL REFERENCES entities (ref),
    role             TEXT NOT NULL
);
CREATE INDEX positions_person ON positions (person_ref);
CREATE INDEX positions_organization ON positions (organization_ref);

CREATE TABLE meeting_participants (
    link_id     INTEGER PRIMARY KEY REFERENCES links (id),
    meeting_ref TEXT NOT NULL REFERENCES meetings (ref),
    entity_ref  TEXT NOT NULL REFERENCES entities (ref),
    role        TEXT NOT NULL
);
CREATE INDEX meeting_participants_meeting ON meeting_participants (meeting_ref);
CREATE INDEX meeting_participants_entity ON meeting_participants (entity_ref);

CREATE TABLE commitment_parties (
    link_id        INTEGER PRIMARY KEY REFERENCES links (id),
    commitment_ref TEXT NOT NULL REFERENCES commitments (ref),
    entity_ref     TEXT NOT NULL REFERENCES entities (ref),
    role           TEXT NOT NULL
);
CREATE INDEX commitment_parties_commitment ON commitment_parties (commitment_ref);
CREATE INDEX commitment_parties_entity ON commitment_parties (entity_ref);

CREATE TABLE commitment_places (
    link_id        INTEGER PRIMARY KEY REFERENCES links (id),
    commitment_ref TEXT NOT NULL REFERENCES commitments (ref),
    place_ref      TEXT NOT NULL REFERENCES places (ref),
    role           TEXT NOT NULL
);
CREATE INDEX commitment_places_commitment ON commitment_places (commitment_ref);
CREATE INDEX commitment_places_place ON commitment_places (place_ref);

-- An organization related to another (part of, subsidiary, operator), or an indicator to
-- an entity it ranks or compares (ranked above), as a text says.
CREATE TABLE relations (
    link_id  INTEGER PRIMARY KEY REFERENCES links (id),
    from_ref TEXT NOT NULL REFERENCES entities (ref),
    to_ref   TEXT NOT NULL REFERENCES entities (ref),
    role     TEXT NOT NULL
);
CREATE INDEX relations_from ON relations (from_ref);
CREATE INDEX relations_to ON relations (to_ref);

-- Derived at build time (see tui/data/timeline.py), for the Timeline to read a page at a time:
-- every dated meeting and commitment under a key that sorts in timeline order (date as stated,
-- meetings first, then ref), and each item under every organization, person or place it involves (a place also
-- under the places that contain it). A page is then a range of `seq`, alone or under one
-- `other`; the key depends only on the item, so an update of one article rewrites its own rows.
CREATE TABLE timeline_items (
    seq            TEXT PRIMARY KEY,
    ref            TEXT NOT NULL REFERENCES entities (ref),
    name           TEXT NOT NULL,
    date           TEXT NOT NULL,  -- its own date, or the announcing meeting's
    date_precision TEXT,           -- that date's precision
    precision      TEXT,           -- its own date's precision, or 'announced'
    via_ref        TEXT REFERENCES meetings (ref)  -- the meeting whose date it takes
) WITHOUT ROWID;
CREATE UNIQUE INDEX timeline_items_ref ON timeline_items (ref);

CREATE TABLE timeline_involves (
    other TEXT NOT NULL REFERENCES entities (ref),
    seq   TEXT NOT NULL REFERENCES timeline_items (seq),
    PRIMARY KEY (other, seq)
) WITHOUT ROWID;

-- Provenance. A quote is a verbatim span [start, end) of an article body, in characters.
CREATE TABLE quotes (
    id          INTEGER PRIMARY KEY,
    article_ref TEXT NOT NULL REFERENCES articles (ref),
    start       INTEGER NOT NULL CHECK (start >= 0),
    end         INTEGER NOT NULL CHECK (end > start),
    text        TEXT NOT NULL,
    UNIQUE (article_ref, start, end)
);

-- Evidence ties a quote to exactly one entity or one relationship. `field`/`value` are set where
-- the articles state a field differently: what this source says.
CREATE TABLE evidence (
    id         INTEGER PRIMARY KEY,
    quote_id   INTEGER NOT NULL REFERENCES quotes (id),
    entity_ref TEXT REFERENCES entities (ref),
    link_id    INTEGER REFERENCES links (id),
    field      TEXT,
    value      TEXT,
    CHECK ((entity_ref IS NULL) <> (link_id IS NULL))
);
CREATE INDEX evidence_quote ON evidence (quote_id);
CREATE INDEX evidence_entity ON evidence (entity_ref);
CREATE INDEX evidence_link ON evidence (link_id);

-- Statements: everything each article says, one row per (subject, property, value). A link
-- statement (a position, a participant, a party, a place, a relation) names its `link_id`.
-- `value` is JSON (a number stays a number); `asserted_by_ref` is who the text says stated it.
-- The entity and link tables above are derived from these by the build (tui/data/derive.py).
CREATE TABLE statements (
    id              INTEGER PRIMARY KEY,
    subject_ref     TEXT NOT NULL REFERENCES entities (ref),
    property        TEXT NOT NULL,
    value           TEXT,
    role            TEXT,
    link_id         INTEGER REFERENCES links (id),
    article_ref     TEXT NOT NULL REFERENCES articles (ref),
    quote_id        INTEGER NOT NULL REFERENCES quotes (id),
    asserted_by_ref TEXT REFERENCES entities (ref),
    relative        TEXT,  -- the words a date was resolved from, against the article's date
    seq             INTEGER NOT NULL  -- its place in its article's facts file: the order an
                                      -- update re-derives an entity in, as the full build does
);
CREATE INDEX statements_subject ON statements (subject_ref, property);
CREATE INDEX statements_article ON statements (article_ref);
CREATE INDEX statements_asserted_by ON statements (asserted_by_ref)
    WHERE asserted_by_ref IS NOT NULL;

-- How the articles agree on a property of an entity that several articles report (derived
-- from `statements`); a property with no row here is reported by one article (`single`).
CREATE TABLE property_agreements (
    subject_ref TEXT NOT NULL REFERENCES entities (ref),
    property    TEXT NOT NULL,
    agreement   TEXT NOT NULL CHECK (agreement IN
                    ('single', 'corroborated', 'consistent', 'conflicting')),
    articles    INTEGER NOT NULL,
    PRIMARY KEY (subject_ref, property)
) WITHOUT ROWID;

-- Which facts file each article's statements came from, for updating one article at a time.
CREATE TABLE article_facts (
    article_ref TEXT PRIMARY KEY REFERENCES articles (ref),
    file        TEXT NOT NULL,
    sha256      TEXT NOT NULL
) WITHOUT ROWID;

-- Every link of an entity, in both directions, one row per (from, to, relation).
CREATE VIEW entity_links (from_ref, to_ref, relation, role, link_id) AS
    SELECT person_ref, organization_ref, 'position', role, link_id FROM positions
    UNION ALL SELECT organization_ref, person_ref, 'person', role, link_id FROM positions
    UNION ALL SELECT meeting_ref, entity_ref, 'participant', role, link_id FROM meeting_participants
    UNION ALL SELECT entity_ref, meeting_ref, 'meeting', role, link_id FROM meeting_participants
    UNION ALL SELECT commitment_ref, entity_ref, 'party', role, link_id FROM commitment_parties
    UNION ALL SELECT entity_ref, commitment_ref, 'commitment', role, link_id FROM commitment_parties
    UNION ALL SELECT commitment_ref, place_ref, 'place', role, link_id FROM commitment_places
    UNION ALL SELECT place_ref, commitment_ref, 'commitment', role, link_id FROM commitment_places
    UNION ALL SELECT ref, place_ref, 'held in', NULL, NULL FROM meetings WHERE place_ref IS NOT NULL
    UNION ALL SELECT place_ref, ref, 'meeting', 'venue', NULL FROM meetings WHERE place_ref IS NOT NULL
    UNION ALL SELECT ref, part_of_ref, 'part of', NULL, NULL FROM meetings
        WHERE part_of_ref IS NOT NULL
    UNION ALL SELECT part_of_ref, ref, 'includes', NULL, NULL FROM meetings
        WHERE part_of_ref IS NOT NULL
    UNION ALL SELECT from_ref, to_ref, 'related', role, link_id FROM relations
    UNION ALL SELECT to_ref, from_ref, 'related', role, link_id FROM relations
    UNION ALL SELECT ref, part_of_ref, 'part of', NULL, NULL FROM commitments
        WHERE part_of_ref IS NOT NULL
    UNION ALL SELECT part_of_ref, ref, 'includes', NULL, NULL FROM commitments
        WHERE part_of_ref IS NOT NULL
    UNION ALL SELECT ref, covers_ref, 'total of', NULL, NULL FROM commitments
        WHERE covers_ref IS NOT NULL
    UNION ALL SELECT covers_ref, ref, 'commitment', 'total', NULL FROM commitments
        WHERE covers_ref IS NOT NULL
    UNION ALL SELECT ref, announced_at_ref, 'announced at', NULL, NULL FROM commitments
        WHERE announced_at_ref IS NOT NULL
    UNION ALL SELECT announced_at_ref, ref, 'commitment', 'announced', NULL FROM commitments
        WHERE announced_at_ref IS NOT NULL
    UNION ALL SELECT ref, country_ref, 'country', NULL, NULL FROM organizations
        WHERE country_ref IS NOT NULL
    UNION ALL SELECT country_ref, ref, 'organization', NULL, NULL FROM organizations
        WHERE country_ref IS NOT NULL
    UNION ALL SELECT ref, country_ref, 'country', NULL, NULL FROM people
        WHERE country_ref IS NOT NULL
    UNION ALL SELECT country_ref, ref, 'person', NULL, NULL FROM people
        WHERE country_ref IS NOT NULL
    UNION ALL SELECT ref, within_ref, 'within', NULL, NULL FROM places WHERE within_ref IS NOT NULL
    UNION ALL SELECT within_ref, ref, 'contains', NULL, NULL FROM places
        WHERE within_ref IS NOT NULL
    UNION ALL SELECT ref, subject_ref, 'subject', NULL, NULL FROM indicators
        WHERE subject_ref IS NOT NULL
    UNION ALL SELECT subject_ref, ref, 'indicator', 'subject', NULL FROM indicators
        WHERE subject_ref IS NOT NULL
    UNION ALL SELECT ref, counterpart_ref, 'counterpart', NULL, NULL FROM indicators
        WHERE counterpart_ref IS NOT NULL
    UNION ALL SELECT counterpart_ref, ref, 'indicator', 'counterpart', NULL FROM indicators
        WHERE counterpart_ref IS NOT NULL
    UNION ALL SELECT ref, place_ref, 'dateline', NULL, NULL FROM articles
        WHERE place_ref IS NOT NULL
    UNION ALL SELECT place_ref, ref, 'article', 'dateline', NULL FROM articles
        WHERE place_ref IS NOT NULL;

-- Search. One document per entity: name, aliases, spelling keys, its own text (description,
-- topics, its quotes), what its links say (`linked`: the linked entities' names, the links'
-- roles and quotes; ranked below its own text) and its amounts of money (`amounts`: one term
-- per value, see tui.data.amounts).
-- `search_docs` is the content table. The database is built once and then only read, so no
-- triggers keep the index in step (tools such as VisiData list triggers as tables): the build
-- fills `search_docs`, then rebuilds the index from it.
CREATE TABLE search_docs (
    rowid   INTEGER PRIMARY KEY,
    ref     TEXT NOT NULL UNIQUE REFERENCES entities (ref),
    kind    TEXT NOT NULL,
    name    TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '',
    keys    TEXT NOT NULL DEFAULT '',
    body    TEXT NOT NULL DEFAULT '',
    linked  TEXT NOT NULL DEFAULT '',
    amounts TEXT NOT NULL DEFAULT ''
);
CREATE INDEX search_docs_kind ON search_docs (kind, rowid);

-- `kind` is indexed so a kind filter is part of the MATCH; `prefix` keeps short prefixes fast.
-- `content="search_docs"` is spelled the way Datasette and sqlite-utils detect an external
-- content table (they do not recognise `content = 'search_docs'`); the build finds the index
-- through sqlite-utils' detection, so a declaration they cannot see fails the build.
CREATE VIRTUAL TABLE search_fts USING fts5 (
    name, aliases, keys, body, kind, linked, amounts,
    content="search_docs", content_rowid="rowid",
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);

-- Vocabulary of name tokens for typo tolerance: each term under every one-deletion variant of
-- its spelling key (a SymSpell-style index), so a query token within one edit finds it by lookup.
CREATE TABLE term_variants (
    variant TEXT NOT NULL,
    term    TEXT NOT NULL,
    PRIMARY KEY (variant, term)
) WITHOUT ROWID;
