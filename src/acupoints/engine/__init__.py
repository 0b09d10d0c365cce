"""The engine: a case in, a suggestion out. Pure: it reads no files and draws nothing.

Its parts, in the order :meth:`Engine.suggest <acupoints.engine.engine.Engine.suggest>`
uses them:

- ``engine``: the orchestrator, with the semantics of several matching rules;
- ``fired``: what a set of fired rules implies, worked out once per set (fast path);
- ``selection``: the kinds of selection, and each rule's selections prepared once;
- ``selection_cache``: each case's selections, keyed by what they read (fast path);
- ``query``: the graph query, written once (the plain version);
- ``among``: ``among`` queries as bit masks over the set (fast path);
- ``tender``: the case's tender points, resolved against the engine's catalogue;
- ``exclusion``: what the fired rules leave out;
- ``ranking``: scores, running totals, the ranking and the cut;
- ``outputs``: plan, advice, conflicts and referral;
- ``suggestion``: the result of a case with points; ``result``: the result's types;
- ``binding``: what "affected" means for a rule; ``explain``: why and why not;
- ``caches``: the one bound on the engine's caches.

Each fast path's module names the plain version it stands in for and the property test
that pins the two together.
"""

__all__: list[str] = []
