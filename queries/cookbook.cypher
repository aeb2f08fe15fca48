// kg cookbook: queries for Neo4j Browser over a graph pushed with `kg neo4j push`.
// Set the parameters once in Browser (names from the seed pages), then run any query below:
//   :params {person: '张凯', other: '王凯', place: '阿拉山口市', project: '准东开发区', org: '阿拉山口市党委', text: '山口', since: '2025-01-01'}
// Each query: comment lines starting with "// tag:", then the query, ending with ';'.
// Tag "neo4j-only" in a comment marks a query that needs Neo4j itself (the full-text index).

// labels: how many nodes of each kind kg pushed.
MATCH (n:KgNode)
UNWIND labels(n) AS label
WITH label WHERE label <> 'KgNode'
RETURN label, count(*) AS nodes
ORDER BY nodes DESC, label;

// types: how many relationships of each type.
MATCH (:KgNode)-[r]->(:KgNode)
RETURN type(r) AS type, count(*) AS relationships
ORDER BY relationships DESC, type;

// lookup: an entity by its name or one of its aliases.
MATCH (e:Entity)
WHERE e.name = $place OR $place IN e.aliases
RETURN e.id AS id, e.name AS name, e.label AS label, e.mentions AS mentions;

// search: full-text search over names and aliases (cjk analyzer: parts of a name match). neo4j-only
CALL db.index.fulltext.queryNodes('kg_entity_names', $text) YIELD node, score
RETURN node.name AS name, node.label AS label, score
ORDER BY score DESC LIMIT 10;

// co-occurs: who and what co-occurs most with a person.
MATCH (p:Person {name: $person})-[r:CO_OCCURS_WITH]-(other:Entity)
RETURN other.name AS name, other.label AS label, r.weight AS weight, r.npmi AS npmi
ORDER BY weight DESC, name LIMIT 10;

// path: the shortest co-occurrence chain between two people (at most 4 hops; direction ignored,
// since each pair is stored once). Neo4j alone could also use shortestPath().
MATCH (a:Person {name: $person}), (b:Person {name: $other})
MATCH p = (a)-[:CO_OCCURS_WITH*1..4]-(b)
RETURN [n IN nodes(p) | n.name] AS chain, length(p) AS hops
ORDER BY hops LIMIT 1;

// projects: projects located in a place or in any place inside it.
MATCH (project:Project)-[:LOCATED_IN*1..3]->(:Place {name: $place})
RETURN DISTINCT project.name AS project, project.mentions AS mentions
ORDER BY mentions DESC, project;

// org-degree: organisations ranked by how many entities they co-occur with.
MATCH (o:Organization)
RETURN o.name AS organization, o.degree AS degree, o.mentions AS mentions
ORDER BY degree DESC, organization LIMIT 10;

// both: articles that mention both a person and a place.
MATCH (:Person {name: $person})<-[:MENTIONS]-(a:Article)-[:MENTIONS]->(:Place {name: $place})
RETURN a.id AS article, a.title AS title
ORDER BY article;

// evidence: the sentences behind a person's co-occurrences (evidence is a JSON list of
// {text, article, location}; with APOC: apoc.convert.fromJsonList(r.evidence)).
MATCH (:Person {name: $person})-[r:CO_OCCURS_WITH]-(other:Entity)
RETURN other.name AS other, r.weight AS weight, r.evidence AS evidence
ORDER BY weight DESC, other LIMIT 10;

// roles: the titles a person holds, and where.
MATCH (:Person {name: $person})-[r:HOLDS_ROLE]->(body:Entity)
RETURN r.title AS title, body.name AS body, body.label AS label
ORDER BY body;

// staff: the people holding a role in an organisation.
MATCH (p:Person)-[r:HOLDS_ROLE]->(:Organization {name: $org})
RETURN p.name AS person, r.title AS title
ORDER BY person;

// communities: the largest communities and their most central members.
MATCH (e:Entity)
WITH e ORDER BY e.pagerank DESC
WITH e.community AS community, count(*) AS size, collect(e.name) AS members
RETURN community, size, members[..5] AS top_members
ORDER BY size DESC, community LIMIT 10;

// central: the most central entities (pagerank over weighted co-occurrence).
MATCH (e:Entity)
RETURN e.name AS name, e.label AS label, e.pagerank AS pagerank
ORDER BY pagerank DESC, name LIMIT 10;

// named: projects whose name holds a phrase.
MATCH (p:Project)
WHERE p.name CONTAINS $project
RETURN p.name AS project
ORDER BY project;

// sources: the source files and articles that mention an entity most.
MATCH (a:Article)-[m:MENTIONS]->(:Entity {name: $place})
RETURN a.source AS source, a.id AS article, m.count AS mentions
ORDER BY mentions DESC, article;

// visited: who visited a place (or body, or project), in how many articles the text says so.
MATCH (p:Person)-[r:VISITED]->(:Entity {name: $place})
RETURN p.name AS person, size(r.articles) AS articles
ORDER BY articles DESC, person;

// aid: which provinces, cities and aid command posts aid which places (对口支援, 援疆).
MATCH (a:Entity)-[r:AIDS]->(b:Place)
RETURN a.name AS aider, b.name AS aided, size(r.articles) AS articles
ORDER BY aider, aided;

// wrote: what a reporter writes about: the entities the articles they wrote mention most.
MATCH (:Person {name: $reporter})-[:WROTE]->(a:Article)-[m:MENTIONS]->(e:Entity)
RETURN e.name AS name, e.label AS label, sum(m.count) AS mentions, count(a) AS articles
ORDER BY mentions DESC, name LIMIT 10;

// Time: over a corpus with dated articles, `date`, `first_seen` and `last_seen` are Neo4j `date` values
// (docs/schema.md); a push to another Bolt server keeps them ISO strings, hence neo4j-only below.

// timeline: an entity's mentions per month, in its dated articles. neo4j-only
MATCH (a:Article)-[m:MENTIONS]->(:Entity {name: $place})
WHERE a.date IS NOT NULL
RETURN a.date.year AS year, a.date.month AS month, sum(m.count) AS mentions, count(a) AS articles
ORDER BY year, month;

// new-per-month: how many entities of each label were first seen in each month. neo4j-only
MATCH (e:Entity)
WHERE e.first_seen IS NOT NULL
RETURN e.first_seen.year AS year, e.first_seen.month AS month, e.label AS label, count(*) AS new_entities
ORDER BY year, month, label;

// began-after: co-occurrences first seen on or after a date, and whether they were seen again. neo4j-only
MATCH (a:Entity)-[r:CO_OCCURS_WITH]->(b:Entity)
WHERE r.first_seen >= date($since)
RETURN a.name AS name, b.name AS other, toString(r.first_seen) AS first_seen, toString(r.last_seen) AS last_seen, r.weight AS weight
ORDER BY first_seen, name, other LIMIT 25;
